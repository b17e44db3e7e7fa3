from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gcmtrack.portal"
    label = "portal"
    verbose_name = "gcmtrack portal"
