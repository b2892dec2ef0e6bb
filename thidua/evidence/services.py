"""Storing, removing and listing evidence. Views, the API and tests all go through these."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import uuid
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from thidua import scoring
from thidua.assessments.access import AssessmentAccess
from thidua.assessments.models import Assessment
from thidua.assessments.services import NotEditable, criterion_of
from thidua.evidence.filetypes import (
    EvidenceRejected,
    FileType,
    clean_display_name,
    inspect_upload,
)
from thidua.evidence.models import Evidence

__all__ = [
    "EvidenceRejected",
    "evidence_for",
    "missing_required_evidence",
    "remove_evidence",
    "store_evidence",
    "validate_citation",
]

logger = logging.getLogger(__name__)

CITATION_FIELDS = ("doc_number", "doc_date", "doc_issuer", "doc_summary")
CITATION_LIMITS = {"doc_number": 100, "doc_issuer": 255, "doc_summary": 2000}
REMOVAL_REASON_MAX_LENGTH = 1000


def validate_citation(citation: dict | None, *, required: bool) -> dict:
    """The citation fields to store (all four keys), or EvidenceRejected.

    A citation without a file must give at least the document number (số hiệu) and date.
    """
    citation = citation or {}
    cleaned = {key: " ".join(str(citation.get(key) or "").split()) for key in CITATION_LIMITS}
    cleaned["doc_summary"] = str(citation.get("doc_summary") or "").strip()
    doc_date = citation.get("doc_date") or None
    if isinstance(doc_date, str):
        try:
            doc_date = datetime.date.fromisoformat(doc_date)
        except ValueError:
            doc_date = None if not doc_date.strip() else "invalid"
    if doc_date is not None and not isinstance(doc_date, datetime.date):
        raise EvidenceRejected("Ngày ban hành văn bản không hợp lệ.")
    if isinstance(doc_date, datetime.datetime):
        doc_date = doc_date.date()
    if doc_date is not None and doc_date > timezone.localdate():
        raise EvidenceRejected(
            f"Ngày ban hành văn bản ({doc_date:%d/%m/%Y}) ở sau ngày hôm nay: hãy kiểm tra lại."
        )
    cleaned["doc_date"] = doc_date
    for key, limit in CITATION_LIMITS.items():
        if len(cleaned[key]) > limit:
            raise EvidenceRejected(f"Thông tin văn bản quá dài (tối đa {limit} ký tự).")
    if required and not (cleaned["doc_number"] and cleaned["doc_date"]):
        raise EvidenceRejected(
            "Hãy chọn tệp minh chứng, hoặc ghi số hiệu và ngày ban hành của văn bản."
        )
    return cleaned


def storage_name(assessment: Assessment, detected: FileType) -> str:
    """evidence/<period>/<unit>/<random>.<ext>: never derived from the uploader's file name."""

    def safe(code: str) -> str:
        return re.sub(r"[^A-Za-z0-9_-]", "_", code) or "_"

    return (
        f"evidence/{safe(assessment.period.code)}/{safe(assessment.unit.code)}/"
        f"{uuid.uuid4().hex}.{detected.extension}"
    )


def store_evidence(
    *, access: AssessmentAccess, criterion_code: str, uploaded_file, user, citation=None
) -> Evidence:
    """Store one evidence file (or a citation only) for a criterion of an editable assessment.

    Raises PermissionDenied when the caller may not edit, EvidenceRejected (a ValidationError
    with a Vietnamese message naming the file) when the file or citation is refused. Either
    both the file and the row are stored or neither is.
    """
    access.require_edit()
    assessment = access.assessment
    if assessment.pk is None:
        raise ValueError("store_evidence needs a saved assessment (create=True)")
    try:
        criterion_of(assessment, criterion_code)
    except scoring.InputError:
        raise EvidenceRejected(
            f"Tiêu chí {criterion_code} không thuộc bộ tiêu chí cấp của đơn vị."
        ) from None
    fields = validate_citation(citation, required=uploaded_file is None)

    if uploaded_file is None:
        with transaction.atomic():
            _lock_draft(assessment)
            return _create(assessment, criterion_code, user, fields)

    original_name = clean_display_name(uploaded_file.name)
    detected = inspect_upload(uploaded_file, original_name)
    original_name = clean_display_name(uploaded_file.name, fallback_extension=detected.extension)
    digest, size = _sha256(uploaded_file)
    storage = Evidence._meta.get_field("file").storage
    uploaded_file.seek(0)
    stored = _save_file(storage, storage_name(assessment, detected), uploaded_file, original_name)
    try:
        with transaction.atomic():
            _lock_draft(assessment)
            fields.update(
                file=stored,
                original_name=original_name,
                content_type=detected.content_type,
                kind=detected.kind,
                size=size,
                sha256=digest,
            )
            return _create(assessment, criterion_code, user, fields)
    except BaseException:
        _delete_quietly(storage, stored)
        raise


def remove_evidence(*, access: AssessmentAccess, evidence: Evidence, user, reason: str) -> Evidence:
    """Withdraw evidence from a draft assessment: the row and the file stay, for the record."""
    access.require_edit()
    if evidence.assessment_id != access.assessment.pk:
        raise ValueError("evidence does not belong to this assessment")
    reason = " ".join((reason or "").split())
    if not reason:
        raise EvidenceRejected("Hãy ghi lý do gỡ tài liệu minh chứng.")
    if len(reason) > REMOVAL_REASON_MAX_LENGTH:
        raise EvidenceRejected(
            f"Lý do gỡ tài liệu quá dài (tối đa {REMOVAL_REASON_MAX_LENGTH} ký tự)."
        )
    with transaction.atomic():
        _lock_draft(access.assessment)
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.is_removed:
            raise EvidenceRejected(f"Tài liệu «{locked.original_name}» đã được gỡ trước đó.")
        locked.removed_at = timezone.now()
        locked.removed_by = user
        locked.removal_reason = reason
        locked._change_reason = "remove"
        locked.save()
    evidence.refresh_from_db()
    return evidence


def evidence_for(assessment: Assessment) -> dict[str, list[Evidence]]:
    """Active (not removed) evidence of an assessment by criterion code, oldest first."""
    if assessment.pk is None:
        return {}
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    items = (
        Evidence.objects.filter(assessment=assessment, removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("criterion_code", "uploaded_at", "id")
    )
    for item in items:
        grouped[item.criterion_code].append(item)
    return dict(grouped)


def missing_required_evidence(assessment: Assessment, level_criteria) -> list[str]:
    """Codes of criteria that ask for evidence and have none active (a citation counts)."""
    present = set()
    if assessment.pk is not None:
        present = set(
            Evidence.objects.filter(assessment=assessment, removed_at__isnull=True).values_list(
                "criterion_code", flat=True
            )
        )
    return [c.code for c in level_criteria if c.evidence_required and c.code not in present]


def _lock_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.state != Assessment.State.DRAFT:
        raise NotEditable("Bản đánh giá đã nộp, không thay đổi được tài liệu minh chứng")
    return locked


def _create(assessment: Assessment, criterion_code: str, user, fields: dict) -> Evidence:
    evidence = Evidence(
        assessment=assessment, criterion_code=criterion_code, uploaded_by=user, **fields
    )
    evidence._change_reason = "upload" if evidence.file else "cite"
    evidence.save()
    return evidence


def _sha256(uploaded_file) -> tuple[str, int]:
    """Checksum and byte count, read in chunks (an upload may be a 1 GB clip on disk)."""
    digest, size = hashlib.sha256(), 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _save_file(storage, name: str, uploaded_file, original_name: str) -> str:
    """Store the upload under `name`; on failure leave nothing behind and tell the user.

    The storage streams the upload (or moves its temporary file) under the generated name;
    `save` would pick another name rather than overwrite, but a fresh uuid never collides,
    so whatever exists under `name` after a failed write is this upload's partial copy
    (a disk that fills up, a worker killed mid-write) and is deleted.
    """
    try:
        return storage.save(name, uploaded_file, max_length=255)
    except BaseException as exc:
        _delete_quietly(storage, name)
        if not isinstance(exc, Exception):
            raise  # the worker is being stopped: clean up, but do not hide it
        logger.exception("Could not store evidence file %s (%s)", name, original_name)
        raise EvidenceRejected(
            f"Không lưu được tệp «{original_name}» vì kho lưu trữ tệp đang gặp sự cố; "
            "chưa có gì được lưu. Vui lòng thử lại sau ít phút."
        ) from exc


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete evidence file %s after a failed upload", name)
