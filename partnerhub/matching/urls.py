from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("matching/", views.marketplace, name="marketplace"),
    path("partnerships/<int:pk>/needs/", views.partnership_needs, name="partnership_needs"),
    path("partnerships/<int:pk>/needs/new/", views.need_edit, name="need_create"),
    path("partnerships/<int:pk>/pitches/new/", views.pitch_edit, name="pitch_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:need_pk>/edit/", views.need_edit, name="need_edit"),
    path("offers/new/", views.offer_edit, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("<str:kind>/<int:pk>/status/", views.listing_status, name="listing_status"),
    path("forum/", views.forum, name="forum"),
    path("pitches/<int:pk>/", views.pitch_detail, name="pitch_detail"),
    path("pitches/<int:pitch_pk>/edit/", views.pitch_edit, name="pitch_edit"),
    path("pitches/<int:pk>/<str:action>/", views.pitch_action, name="pitch_action"),
    path("interests/<int:pk>/<str:action>/", views.interest_decide, name="interest_decide"),
]
