import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.criteria.models import CriteriaSetVersion


def default_deadline_for(year: int) -> datetime.date:
    """Art. 2.1 of Decision 2435: units send their results no later than 15 December."""
    return datetime.date(year, 12, 15)


class Period(models.Model):
    """An evaluation period (kỳ đánh giá): one year, one criteria set version."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for self-assessment")
        REVIEWING = "reviewing", _("Under review")
        # Preliminary results: units may file one explanation per criterion until
        # `explanation_until`; reviewers answer them before the results are frozen.
        PUBLISHED = "published", _("Preliminary results published")
        FINAL = "final", _("Final results")
        ARCHIVED = "archived", _("Archived")

    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short code used in addresses, e.g. 2023."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=255)
    criteria_version = models.ForeignKey(
        CriteriaSetVersion,
        verbose_name=_("criteria set version"),
        on_delete=models.PROTECT,
        related_name="periods",
        limit_choices_to={"status": CriteriaSetVersion.Status.PUBLISHED},
    )
    opens_on = models.DateField(_("opens on"))
    submission_deadline = models.DateField(
        _("submission deadline"),
        help_text=_("Last day a unit may submit (inclusive, Asia/Ho_Chi_Minh)."),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    explanation_until = models.DateField(
        _("explanations accepted until"),
        null=True,
        blank=True,
        help_text=_("Last day units may explain preliminary results (inclusive)."),
    )
    discrepancy_tolerance = models.DecimalField(
        _("discrepancy tolerance (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text=_(
            "A unit whose self-reported rate differs from the source data by more than this "
            "is flagged."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # State changes go through thidua.periods.transitions, which records who, when and why.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "criteria_version"], name="period_unique_per_year_version"
            )
        ]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")

    def __str__(self):
        return self.name

    def days_left(self, today: datetime.date | None = None) -> int:
        today = today or timezone.localdate()
        return (self.submission_deadline - today).days

    def is_past_deadline(self, now: datetime.datetime | None = None) -> bool:
        # The deadline day itself is allowed up to 23:59:59 local time.
        local_today = timezone.localdate(now or timezone.now())
        return local_today > self.submission_deadline

    def deadline_for(self, unit) -> datetime.date:
        """The last day this unit may submit: the deadline, or its extension if later."""
        extension = self.extensions.filter(unit=unit).first()
        if extension and extension.until > self.submission_deadline:
            return extension.until
        return self.submission_deadline


class DueDate(models.Model):
    """Due date of one deliverable of a `deadline` criterion (e.g. T01 plan_issued) in a period."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="due_dates"
    )
    criterion_code = models.CharField(_("criterion"), max_length=8)
    deliverable = models.CharField(_("deliverable"), max_length=32)
    label = models.CharField(_("label"), max_length=255, blank=True)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["period", "criterion_code", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "criterion_code", "deliverable"], name="due_date_unique"
            )
        ]
        verbose_name = _("due date")
        verbose_name_plural = _("due dates")

    def __str__(self):
        return f"{self.criterion_code} · {self.label or self.deliverable}: {self.due_on:%d/%m/%Y}"


class Extension(models.Model):
    """An administrator lets one unit submit after the period's deadline (date and reason)."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="extensions"
    )
    until = models.DateField(
        _("submit until"), help_text=_("Last day this unit may submit (inclusive).")
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        "auth.User", verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="extension_unique_per_unit")
        ]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.unit} · {self.until:%d/%m/%Y}"


class DeadlineReminder(models.Model):
    """One deadline reminder mail sent on one day, so the daily cron job never sends it twice.

    `recipient` is the unit's code for a unit's reminder, or REVIEWERS for the summary sent
    to the provincial reviewers.
    """

    REVIEWERS = "reviewers"

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField(_("sent on"))
    days_left = models.PositiveSmallIntegerField(_("days left"))
    recipient = models.CharField(_("recipient"), max_length=32)
    addresses = models.TextField(_("addresses"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "period", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "sent_on", "recipient"], name="reminder_once_per_day"
            )
        ]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")

    def __str__(self):
        return f"{self.period} · {self.recipient} · {self.sent_on:%d/%m/%Y}"
