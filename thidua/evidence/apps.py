from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "thidua.evidence"
    default_auto_field = "django.db.models.BigAutoField"
