from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    path("secretariat/import/", views.import_page, name="import"),
    path("secretariat/import/<int:pk>/", views.import_job, name="import_job"),
]
