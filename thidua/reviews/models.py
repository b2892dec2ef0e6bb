import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.assessments.models import Assessment
from thidua.periods.models import Period


class ReviewComment(models.Model):
    """A reviewer's remark on one criterion of an assessment, or on the whole of it.

    Comments are addressed to the unit: it sees them on its own page, with who wrote them.
    A reviewer marks a comment resolved once the unit has dealt with it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    criterion_code = models.CharField(
        _("criterion"),
        max_length=8,
        blank=True,
        help_text=_("Empty for a comment on the whole assessment."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion_code", "created_at", "id"]
        indexes = [models.Index(fields=["assessment", "criterion_code"])]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return f"{self.assessment} · {self.criterion_code or '—'}: {self.text[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class SectorAssignment(models.Model):
    """An administrator assigns one criterion, in one period, to a sector body's appraiser.

    The appraiser is a user with the `viewer` role (read everything); the assignment lets
    them appraise that criterion for every unit whose level has it, and nothing else.
    """

    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="sector_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraiser"),
        on_delete=models.CASCADE,
        related_name="sector_assignments",
    )
    criterion_code = models.CharField(_("criterion"), max_length=8)
    sector = models.CharField(
        _("sector body"),
        max_length=255,
        help_text=_("The body the appraiser speaks for, e.g. Công an tỉnh, Sở Công Thương."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "sector", "reviewer", "criterion_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "reviewer", "criterion_code"],
                name="sector_assignment_unique",
            )
        ]
        verbose_name = _("sector assignment")
        verbose_name_plural = _("sector assignments")

    def __str__(self):
        return f"{self.sector}: {self.criterion_code} · {self.period}"

    def clean(self):
        from thidua.accounts.models import Role
        from thidua.accounts.scope import role_of
        from thidua.criteria.services import scoring_library

        errors = {}
        if self.period_id and self.criterion_code:
            library = scoring_library(self.period.criteria_version)
            codes = {c.code for level in library.levels for c in level.criteria}
            if self.criterion_code not in codes:
                errors["criterion_code"] = _("The period's criteria set has no such criterion.")
        if self.reviewer_id and role_of(self.reviewer) != Role.VIEWER:
            errors["reviewer"] = _(
                "A sector appraiser must have the viewer role; reviewers appraise everything "
                "in their scope already."
            )
        if errors:
            raise ValidationError(errors)
