from django.urls import path

from partnerhub.registry.views.partnerships import home

app_name = "core"

urlpatterns = [path("", home, name="home")]
