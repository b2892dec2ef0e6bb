from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "thidua.units"
    verbose_name = _("Units")
    default_auto_field = "django.db.models.BigAutoField"
