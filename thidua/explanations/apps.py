from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplanationsConfig(AppConfig):
    name = "thidua.explanations"
    verbose_name = _("Explanations")
    default_auto_field = "django.db.models.BigAutoField"
