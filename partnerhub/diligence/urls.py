from django.urls import path

from . import views

app_name = "diligence"

urlpatterns = [
    path("secretariat/diligence/", views.screening, name="screening"),
    path("secretariat/diligence/matches/<int:pk>/", views.match_decide, name="match_decide"),
    path("secretariat/diligence/organisations/<int:pk>/", views.organisation, name="organisation"),
]
