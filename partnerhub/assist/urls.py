from django.urls import path

from . import views

app_name = "assist"

urlpatterns = [
    path("assist/suggest/", views.suggest_part, name="suggest"),
    path("partnerships/<int:pk>/similar/", views.similar_part, name="similar"),
    path("partnerships/<int:pk>/duplicates/<int:other>/", views.duplicate_decide, name="duplicate_decide"),
    path("secretariat/goal-review/", views.goal_review, name="goal_review"),
]
