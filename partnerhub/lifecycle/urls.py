from django.urls import path

from . import views

app_name = "lifecycle"

urlpatterns = [
    path("partnerships/<int:pk>/workspace/", views.workspace, name="workspace"),
    path("partnerships/<int:pk>/workspace/tasks/<str:code>/", views.task_edit, name="task_edit"),
    path("partnerships/<int:pk>/workspace/publish/", views.publish, name="publish"),
    path("partnerships/<int:pk>/workspace/panel/", views.panel, name="panel"),
    path("partnerships/<int:pk>/workspace/framing/edit/", views.framing_edit, name="framing_edit"),
    path("partnerships/<int:pk>/workspace/objectives/<int:partner>/", views.objectives_edit, name="objectives_edit"),
    path("partnerships/<int:pk>/workspace/agreements/<int:item>/document/", views.agreement_document,
         name="agreement_document"),
    path("partnerships/<int:pk>/workspace/records/<str:kind>/new/", views.record_edit, name="record_create"),
    path("partnerships/<int:pk>/workspace/records/<str:kind>/edit/", views.record_edit, name="record_singleton"),
    path("partnerships/<int:pk>/workspace/records/<str:kind>/<int:item>/", views.record_edit, name="record_edit"),
    path("partnerships/<int:pk>/workspace/<str:section>/", views.section, name="section"),
    path("partnerships/<int:pk>/workspace/<str:section>/history/", views.section_history, name="history"),
    path("partnerships/<int:pk>/workspace/<str:section>/comments/", views.comment, name="comment"),
]  # fmt: skip
