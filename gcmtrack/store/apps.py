"""The store as a Django application: its models and migrations run on SQLite and PostgreSQL."""

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "gcmtrack.store"
    label = "gcmtrack"
    verbose_name = "gcmtrack store"
    default_auto_field = "django.db.models.BigAutoField"
