import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.periods.models import Period
from thidua.units.models import Level, Unit


class InspectionSample(models.Model):
    """A random draw of units for on-site inspection (kiểm tra tại một số đơn vị).

    Reproducible: the same seed over the same candidates gives the same units (see
    thidua.inspections.services.draw_units). `population` records how many candidates there
    were, so a later re-draw can tell whether the candidates changed since.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="samples"
    )
    seed = models.PositiveBigIntegerField(_("seed"))
    size = models.PositiveSmallIntegerField(_("number of units"))
    level = models.ForeignKey(
        Level,
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Draw among units of this level only; empty for all levels."),
    )
    submitted_only = models.BooleanField(
        _("submitted assessments only"),
        default=False,
        help_text=_("Draw only among units that submitted their self-assessment."),
    )
    population = models.PositiveIntegerField(_("number of candidate units"))
    note = models.TextField(_("note"), blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["period", "-drawn_at", "-id"]
        verbose_name = _("inspection sample")
        verbose_name_plural = _("inspection samples")

    def __str__(self):
        return f"{self.period} · {self.size} · {self.seed}"


class InspectionResult(models.Model):
    """The on-site inspection of one drawn unit: pending until its result is recorded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To inspect")
        DONE = "done", _("Inspected")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sample = models.ForeignKey(
        InspectionSample,
        verbose_name=_("sample"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    result = models.CharField(_("result"), max_length=255, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sample", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "unit"], name="inspection_unit_once")
        ]
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")

    def __str__(self):
        return f"{self.sample} · {self.unit}"
