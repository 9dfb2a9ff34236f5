from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("", include("partnerhub.core.urls")),
    # Before the registry: its "partnerships/<pk>/<action>/" would take "workspace" for an action.
    path("", include("partnerhub.lifecycle.urls")),
    path("", include("partnerhub.reporting.urls")),
    path("", include("partnerhub.diligence.urls")),
    path("", include("partnerhub.interop.urls")),
    path("", include("partnerhub.assist.urls")),
    path("", include("partnerhub.insights.urls")),
    path("", include("partnerhub.matching.urls")),
    path("", include("partnerhub.registry.urls")),
    path("accounts/", include("partnerhub.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("partnerhub.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
]
