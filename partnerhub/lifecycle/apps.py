from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "partnerhub.lifecycle"
    verbose_name = _("Partnership workspace")
    default_auto_field = "django.db.models.BigAutoField"
