from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/goals/<int:number>/", views.goal_profile, name="goal"),
    path("insights/countries/<str:iso3>/", views.country_profile, name="country"),
    path("insights/champions/", views.champions, name="champions"),
    path("insights/champions/<int:pk>/", views.champion, name="champion"),
]
