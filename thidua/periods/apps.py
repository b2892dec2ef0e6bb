from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "thidua.periods"
    default_auto_field = "django.db.models.BigAutoField"
