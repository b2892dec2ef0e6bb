from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "thidua.units"
    default_auto_field = "django.db.models.BigAutoField"
