from django.urls import path

from .views import organisations, partnerships

app_name = "registry"

urlpatterns = [
    path("partnerships/", partnerships.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path("partnerships/suggest/", partnerships.suggest, name="suggest"),
    path("partnerships/mine/", partnerships.my_partnerships, name="my_partnerships"),
    path("partnerships/review/", partnerships.review_queue, name="review_queue"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/delete/", partnerships.partnership_delete, name="partnership_delete"),
    path("partnerships/<int:pk>/history/", partnerships.partnership_history, name="partnership_history"),
    path(
        "partnerships/<int:pk>/<str:action>/",
        partnerships.partnership_workflow,
        name="partnership_workflow",
    ),
    path("partnerships/<int:pk>/commitments/new/", partnerships.commitment_edit, name="commitment_create"),
    path(
        "partnerships/<int:pk>/commitments/<int:commitment_pk>/",
        partnerships.commitment_edit,
        name="commitment_edit",
    ),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/options/", organisations.organisation_options, name="organisation_options"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/history/", organisations.organisation_history, name="organisation_history"),
    path("organisations/<int:pk>/join/", organisations.organisation_join, name="organisation_join"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/",
        organisations.membership_decide,
        name="membership_decide",
    ),
]
