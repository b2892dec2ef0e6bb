from django.apps import AppConfig


class ExplanationsConfig(AppConfig):
    name = "thidua.explanations"
    default_auto_field = "django.db.models.BigAutoField"
