import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.assessments.models import Assessment
from thidua.evidence.filetypes import TYPES_BY_CONTENT_TYPE, extension_of


class Explanation(models.Model):
    """A unit's explanation (giải trình) of one criterion of its preliminary result.

    One per criterion of an assessment, filed while the period's explanation window is open,
    answered once by a provincial reviewer: accepted with new verified inputs (copied here as
    they were set) or rejected with a reason.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="explanations",
    )
    criterion_code = models.CharField(_("criterion"), max_length=8)
    text = models.TextField(_("explanation"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The verified inputs set when the explanation was accepted, as set: the criterion entry
    # may change later (a reopened assessment), this copy says what the answer decided.
    verified_inputs = models.JSONField(_("verified inputs set"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "criterion_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion_code"], name="explanation_once_per_criterion"
            )
        ]
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")

    def __str__(self):
        return f"{self.assessment} · {self.criterion_code}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ExplanationAttachment(models.Model):
    """A file supporting an explanation: checked like evidence (thidua.evidence.filetypes),
    stored under a generated name with its checksum, never replaced."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    explanation = models.ForeignKey(
        Explanation,
        verbose_name=_("explanation"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="explanations/", max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("detected type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["explanation_id", "uploaded_at", "id"]
        verbose_name = _("explanation attachment")
        verbose_name_plural = _("explanation attachments")

    def __str__(self):
        return self.original_name

    @property
    def type_label(self) -> str:
        detected = TYPES_BY_CONTENT_TYPE.get(self.content_type)
        return detected.label if detected else ""

    @property
    def download_name(self) -> str:
        detected = TYPES_BY_CONTENT_TYPE.get(self.content_type)
        name = self.original_name or "giai-trinh"
        if detected and extension_of(name) not in detected.extensions:
            name = f"{name}.{detected.extension}"
        return name
