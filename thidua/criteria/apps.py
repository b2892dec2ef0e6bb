from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "thidua.criteria"
    verbose_name = _("Criteria")
    default_auto_field = "django.db.models.BigAutoField"
