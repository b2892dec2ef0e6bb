import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.assessments.models import Assessment
from thidua.evidence.filetypes import TYPES_BY_CONTENT_TYPE, extension_of


class Evidence(models.Model):
    """One piece of evidence (tài liệu minh chứng) for one criterion of an assessment.

    An immutable revision: a new upload is a new row and a new file, never an overwrite.
    Removal is soft (who, when, why) and keeps the file for audit. An entry may also be a
    citation of a document without a file (at least its number and date).
    The file is stored under a generated name (`services.storage_name`); the user's name is
    kept only for display, sanitised.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video clip")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="evidence"
    )
    criterion_code = models.CharField(_("criterion"), max_length=8)

    file = models.FileField(_("file"), upload_to="evidence/", max_length=255, blank=True)
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    content_type = models.CharField(_("detected type"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    doc_date = models.DateField(_("document date"), null=True, blank=True)
    doc_issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    doc_summary = models.TextField(_("document summary"), blank=True)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "criterion_code", "uploaded_at", "id"]
        indexes = [models.Index(fields=["assessment", "criterion_code"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | (~Q(doc_number="") & Q(doc_date__isnull=False)),
                name="evidence_file_or_citation",
            )
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.criterion_code} · {self.original_name or self.doc_number}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def has_citation(self) -> bool:
        return bool(self.doc_number or self.doc_date or self.doc_issuer or self.doc_summary)

    @property
    def type_label(self) -> str:
        detected = TYPES_BY_CONTENT_TYPE.get(self.content_type)
        return detected.label if detected else ""

    @property
    def download_name(self) -> str:
        """The original name, with the detected extension added when the name lacks it."""
        detected = TYPES_BY_CONTENT_TYPE.get(self.content_type)
        name = self.original_name or "tai-lieu-minh-chung"
        if detected and extension_of(name) not in detected.extensions:
            name = f"{name}.{detected.extension}"
        return name
