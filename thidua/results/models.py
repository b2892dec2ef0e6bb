from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.periods.models import Period


class GradeBand(models.Model):
    """An optional grade of a period by total: e.g. Xuất sắc from 90, Tốt from 80, Khá from 65.

    A unit gets the band with the highest `min_total` not above its total (boundaries are
    inclusive: a total of exactly 90 is Xuất sắc).
    """

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="grade_bands"
    )
    name = models.CharField(_("name"), max_length=100)
    min_total = models.DecimalField(_("from total (inclusive)"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["period", "-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["period", "name"], name="grade_band_unique_name"),
            models.UniqueConstraint(
                fields=["period", "min_total"], name="grade_band_unique_min_total"
            ),
        ]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")

    def __str__(self):
        return f"{self.name} (≥ {self.min_total})"


class PublicResults(models.Model):
    """Whether a period's final results are on the public page (no login).

    The page shows only unit, rank, total and grade, and only once the period's results are
    final; switching it on earlier is allowed and takes effect when they become final.
    """

    period = models.OneToOneField(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="public_results"
    )
    enabled = models.BooleanField(_("public"), default=False)
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("switched by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enabled_at = models.DateTimeField(_("switched at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public results")
        verbose_name_plural = _("public results")

    def __str__(self):
        return f"{self.period} · {_('public') if self.enabled else _('not public')}"
