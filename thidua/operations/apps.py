from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running thidua: health check, backup and restore. No models."""

    name = "thidua.operations"
    default_auto_field = "django.db.models.BigAutoField"
