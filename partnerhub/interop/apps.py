from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "partnerhub.interop"
    label = "interop"
    verbose_name = _("Import and export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import rules  # noqa: F401  (permissions)
