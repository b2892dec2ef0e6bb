from django.db import models
from django.utils.translation import gettext_lazy as _

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
