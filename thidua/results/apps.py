from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "thidua.results"
    default_auto_field = "django.db.models.BigAutoField"
