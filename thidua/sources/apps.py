from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "thidua.sources"
    verbose_name = _("Source data")
    default_auto_field = "django.db.models.BigAutoField"
