from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "partnerhub.registry"
    label = "registry"
