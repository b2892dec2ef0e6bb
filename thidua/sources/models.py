import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.periods.models import Period

# A pending import not confirmed within this time can no longer be confirmed: the preview
# it showed is too old to trust. Upload the file again.
PENDING_LIFETIME = datetime.timedelta(hours=24)


class SourceImport(models.Model):
    """One uploaded file of source-system data (e.g. "Cổng DVC tỉnh") for one period.

    Kept for the record whatever its fate: who uploaded it, when, the file's checksum and
    row count, who confirmed it, and which earlier import of the same source it replaced.
    The rows of discarded and expired imports are dropped; those of applied ones are kept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        APPLIED = "applied", _("Applied")
        REPLACED = "replaced", _("Replaced by a later import")
        DISCARDED = "discarded", _("Discarded")
        EXPIRED = "expired", _("Expired")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="source_imports",
    )
    source = models.CharField(
        _("source"), max_length=255, help_text=_("The system the data comes from.")
    )
    # `source` folded (case, spacing): two imports with the same key are the same source.
    source_key = models.CharField(_("source key"), max_length=255, db_index=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=8)
    file_size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when imported from the command line without a user."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or discarded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("confirmed or discarded at"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("The earlier applied import of the same source that this one replaced."),
    )
    # The validated rows, [line, unit id, unit code, criterion code, inputs] each, inputs in
    # the canonical form verified inputs are stored in: {"rate": "90.5"} (text, decimal
    # point) or {"numerator": 45, "denominator": 50}. One JSON value rather than a table:
    # a file may have 200 000 rows, always read and written whole.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # Filled in on confirmation: what the import did.
    changed_count = models.PositiveIntegerField(_("values changed"), default=0)
    discrepancy_count = models.PositiveIntegerField(_("discrepancies"), default=0)
    cleared_count = models.PositiveIntegerField(_("earlier values cleared"), default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["period", "source_key", "status"])]
        verbose_name = _("source data import")
        verbose_name_plural = _("source data imports")

    def __str__(self):
        return f"{self.source} · {self.file_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.uploaded_at + PENDING_LIFETIME

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        if self.status == self.Status.EXPIRED:
            return True
        return self.status == self.Status.PENDING and (now or timezone.now()) >= self.expires_at

    @property
    def shown_status(self) -> str:
        """The status as users should read it: a stale pending import shows as expired."""
        if self.is_expired():
            return self.Status.EXPIRED
        return self.status

    @property
    def shown_status_label(self) -> str:
        return self.Status(self.shown_status).label
