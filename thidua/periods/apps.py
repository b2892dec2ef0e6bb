from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodsConfig(AppConfig):
    name = "thidua.periods"
    verbose_name = _("Evaluation periods")
    default_auto_field = "django.db.models.BigAutoField"
