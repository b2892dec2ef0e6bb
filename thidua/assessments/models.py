import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.periods.models import Period
from thidua.units.models import Unit

STORED_SCORE_FIELDS = (
    "score_key",
    "score_cache",
    "self_total",
    "final_total",
    "scores_changed_at",
)


class Assessment(models.Model):
    """One unit's assessment in one period: its self-assessment and the review of it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified by district")
        FINALIZED = "finalized", _("Finalized")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assessments"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_late = models.BooleanField(
        _("submitted after the deadline"),
        default=False,
        help_text=_("Submitted after the period's deadline, under an extension."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Derived from the entries by `thidua.assessments.score_cache` (see there): kept for the
    # speed of rankings and exports, rebuilt by `manage.py recompute_scores`.
    score_key = models.CharField(_("scores computed for"), max_length=80, blank=True)
    score_cache = models.JSONField(_("stored scores"), null=True, blank=True)
    self_total = models.DecimalField(
        _("self-assessed total"), max_digits=40, decimal_places=30, null=True, blank=True
    )
    final_total = models.DecimalField(
        _("final total"), max_digits=40, decimal_places=30, null=True, blank=True
    )
    # Set by every write of the stored scores: cached result pages are keyed on it.
    scores_changed_at = models.DateTimeField(
        _("scores changed at"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=list(STORED_SCORE_FIELDS))

    class Meta:
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique_per_period")
        ]
        indexes = [
            models.Index(fields=["period", "final_total"], name="assessment_period_total"),
            # The latest of each, per period: the stamp of cached result pages.
            models.Index(fields=["period", "updated_at"], name="assessment_period_updated"),
            models.Index(fields=["period", "scores_changed_at"], name="assessment_period_scored"),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.unit} · {self.period}"

    def save(self, *args, **kwargs):
        # The stored scores are written only by `score_cache` (update / bulk_update): an
        # instance loaded before a score changed must not put its older values back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in STORED_SCORE_FIELDS
            ]
        super().save(*args, **kwargs)


class CriterionEntry(models.Model):
    """What an assessment holds for one criterion: self-reported and verified inputs, N/A.

    Scores are not stored: they are computed from the inputs by `thidua.scoring`.
    `revision` increases on every save; a save carrying an older revision is a conflict.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="entries"
    )
    criterion_code = models.CharField(_("criterion"), max_length=8)
    self_inputs = models.JSONField(_("self-reported inputs"), null=True, blank=True)
    verified_inputs = models.JSONField(_("verified inputs"), null=True, blank=True)
    verified_source = models.CharField(_("source of verified inputs"), max_length=255, blank=True)
    na = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("reason for N/A"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # The reviewer's reason for the verified inputs or N/A (required when the score changes).
    review_reason = models.TextField(_("reason for the review decision"), blank=True)
    # The reviewer accepted the unit's self-reported inputs as they are.
    accepted = models.BooleanField(_("accepted as self-reported"), default=False)
    # Set by a source-data import when the self-reported rate differs beyond the tolerance.
    discrepancy = models.BooleanField(_("differs from source data"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion_code"], name="entry_unique_per_criterion"
            )
        ]
        verbose_name = _("criterion entry")
        verbose_name_plural = _("criterion entries")

    def __str__(self):
        return f"{self.assessment} · {self.criterion_code}"
