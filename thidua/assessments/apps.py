from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "thidua.assessments"
    verbose_name = _("Self-assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        pre_create_historical_record.connect(
            _fit_change_reason, dispatch_uid="thidua_fit_change_reason"
        )


# django-simple-history keeps the change reason in a varchar(100); reviewers' reasons can be
# longer. The full reason stays on the record itself (e.g. CriterionEntry.review_reason);
# the history keeps its first 100 characters rather than failing the decision.
HISTORY_REASON_MAX = 100


def _fit_change_reason(sender, history_instance, **kwargs):
    reason = history_instance.history_change_reason
    if reason and len(reason) > HISTORY_REASON_MAX:
        history_instance.history_change_reason = reason[: HISTORY_REASON_MAX - 1] + "…"
