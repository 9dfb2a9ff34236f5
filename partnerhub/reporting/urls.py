from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("partnerships/<int:pk>/reports/", views.partnership_reports, name="partnership_reports"),
    path("partnerships/<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("partnerships/<int:pk>/compliance/<str:action>/", views.compliance_action, name="compliance_action"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("reports/<int:pk>/<str:action>/", views.report_action, name="report_action"),
    path("secretariat/follow-up/", views.follow_up, name="follow_up"),
]
