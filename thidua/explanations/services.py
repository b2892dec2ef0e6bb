"""Filing and answering explanations (giải trình). Views and tests go through these.

A unit explains a criterion of its preliminary result once, while the period is `published`
and until `period.explanation_until` (inclusive, local date), only for an assessment that was
finalized (units that never submitted have no result to explain). A provincial reviewer
answers once, while the period is still `published`: accepted with new verified inputs, set
through thidua.assessments.appraisal (so the criterion's history records them, with the
answer as the reason), or rejected with a reason. The unit is mailed the answer.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua import scoring
from thidua.accounts.models import Role
from thidua.accounts.notify import send_later, unit_recipients
from thidua.accounts.scope import membership_of, role_of
from thidua.assessments.appraisal import AppraisalRefused, set_verified_inputs
from thidua.assessments.models import Assessment
from thidua.assessments.services import criterion_of
from thidua.evidence.filetypes import EvidenceRejected, clean_display_name, inspect_upload
from thidua.explanations.models import Explanation, ExplanationAttachment
from thidua.periods.models import Period

logger = logging.getLogger(__name__)

TEXT_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000
MAX_FILES = 5
SOURCE_LABEL = "Giải trình của đơn vị"


class ExplanationRefused(Exception):
    """The explanation or answer is refused; the message says why, in Vietnamese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def can_file_for(user, assessment: Assessment) -> bool:
    """The unit's own editors and head explain its results."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role in (Role.UNIT_EDITOR, Role.UNIT_HEAD)
        and membership.unit_id == assessment.unit_id
    )


def can_answer(user) -> bool:
    return role_of(user) == Role.PROVINCIAL_REVIEWER


def window_problem(assessment: Assessment, today=None) -> str | None:
    """Why the unit cannot explain now, or None while the window is open for it."""
    period = assessment.period
    today = today or timezone.localdate()
    if period.state != Period.State.PUBLISHED:
        return "Chỉ giải trình được khi kết quả sơ bộ đã công bố và chưa chốt chính thức."
    if period.explanation_until is None or today > period.explanation_until:
        until = period.explanation_until
        return "Đã hết thời hạn giải trình" + (f" ({until:%d/%m/%Y})." if until else ".")
    if assessment.state != Assessment.State.FINALIZED:
        return "Chỉ giải trình được kết quả đã được thẩm định và chốt."
    return None


def file_explanation(
    *, assessment: Assessment, criterion_code: str, text: str, user, files=()
) -> Explanation:
    """File the unit's one explanation of a criterion, with its supporting files.

    Raises PermissionDenied for anyone but the unit's editors and head, ExplanationRefused
    (naming the file, the date or the criterion) otherwise. Files and row are stored together
    or not at all.
    """
    if not can_file_for(user, assessment):
        raise PermissionDenied("Chỉ cán bộ đầu mối và thủ trưởng đơn vị được gửi giải trình.")
    try:
        criterion = criterion_of(assessment, criterion_code)
    except scoring.InputError:
        raise ExplanationRefused(
            f"Tiêu chí {criterion_code} không thuộc bộ tiêu chí cấp của đơn vị."
        ) from None
    text = (text or "").strip()
    if not text:
        raise ExplanationRefused(f"{criterion.code}: hãy ghi nội dung giải trình.")
    if len(text) > TEXT_MAX_LENGTH:
        raise ExplanationRefused(f"Nội dung giải trình quá dài (tối đa {TEXT_MAX_LENGTH} ký tự).")
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ExplanationRefused(f"Mỗi giải trình đính kèm tối đa {MAX_FILES} tệp.")
    problem = window_problem(assessment)
    if problem:
        raise ExplanationRefused(problem)
    checked = []
    for upload in files:
        try:
            name = clean_display_name(upload.name)
            detected = inspect_upload(upload, name)
        except EvidenceRejected as exc:
            raise ExplanationRefused(exc.message) from None
        name = clean_display_name(upload.name, fallback_extension=detected.extension)
        checked.append((upload, name, detected))

    storage = ExplanationAttachment._meta.get_field("file").storage
    stored_names: list[str] = []
    try:
        attachments = []
        for upload, name, detected in checked:
            digest, size = _sha256(upload)
            upload.seek(0)
            stored = storage.save(_storage_name(assessment, detected), upload, max_length=255)
            stored_names.append(stored)
            attachments.append((stored, name, detected, size, digest))
        with transaction.atomic():
            locked = (
                # Lock only the assessment row: PostgreSQL refuses FOR UPDATE on the
                # nullable side of the outer join to the unit's parent.
                Assessment.objects.select_for_update(of=("self",))
                .select_related("period", "unit__parent")
                .get(pk=assessment.pk)
            )
            problem = window_problem(locked)
            if problem:
                raise ExplanationRefused(problem)
            if Explanation.objects.filter(
                assessment=locked, criterion_code=criterion.code
            ).exists():
                raise ExplanationRefused(
                    f"{criterion.code}: đơn vị đã giải trình tiêu chí này (mỗi tiêu chí một lần)."
                )
            explanation = Explanation(
                assessment=locked, criterion_code=criterion.code, text=text, filed_by=user
            )
            explanation._change_reason = "file"
            explanation._history_user = user
            try:
                with transaction.atomic():
                    explanation.save()
            except IntegrityError:
                raise ExplanationRefused(
                    f"{criterion.code}: đơn vị đã giải trình tiêu chí này (mỗi tiêu chí một lần)."
                ) from None
            for stored, name, detected, size, digest in attachments:
                ExplanationAttachment.objects.create(
                    explanation=explanation,
                    file=stored,
                    original_name=name,
                    content_type=detected.content_type,
                    size=size,
                    sha256=digest,
                    uploaded_by=user,
                )
    except BaseException:
        for stored in stored_names:
            _delete_quietly(storage, stored)
        raise
    return explanation


def answer_explanation(
    *,
    explanation: Explanation,
    user,
    accept: bool,
    reason: str = "",
    verified_inputs: dict | None = None,
) -> Explanation:
    """Accept (setting `verified_inputs` for the criterion) or reject (with a reason).

    The answer is the reason recorded with the new verified inputs; accepting needs one when
    the score changes (thidua.assessments.appraisal decides). Raises PermissionDenied for
    anyone but a provincial reviewer, ExplanationRefused otherwise.
    """
    if not can_answer(user):
        raise PermissionDenied("Chỉ cán bộ thẩm định cấp tỉnh được trả lời giải trình.")
    reason = (reason or "").strip()
    if len(reason) > ANSWER_MAX_LENGTH:
        raise ExplanationRefused(f"Câu trả lời quá dài (tối đa {ANSWER_MAX_LENGTH} ký tự).")
    if not accept and not reason:
        raise ExplanationRefused("Cần ghi lý do không chấp nhận giải trình.")
    if accept and not verified_inputs:
        raise ExplanationRefused("Chấp nhận giải trình cần số liệu thẩm định mới của tiêu chí.")
    with transaction.atomic():
        locked = (
            Explanation.objects.select_for_update(of=("self",))
            .select_related("assessment__period", "assessment__unit__parent")
            .get(pk=explanation.pk)
        )
        if not locked.is_pending:
            raise ExplanationRefused(
                f"{locked.criterion_code}: giải trình này đã được trả lời trước đó."
            )
        assessment = locked.assessment
        if assessment.period.state != Period.State.PUBLISHED:
            raise ExplanationRefused(
                "Chỉ trả lời giải trình khi kỳ đánh giá đang công bố kết quả sơ bộ."
            )
        if accept:
            try:
                # Explained results belong to finalized assessments.
                entry = set_verified_inputs(
                    assessment=assessment,
                    criterion_code=locked.criterion_code,
                    inputs=verified_inputs,
                    user=user,
                    reason=reason,
                    source=SOURCE_LABEL,
                    allowed_states=(Assessment.State.FINALIZED,),
                )
            except scoring.InputError as exc:
                raise ExplanationRefused(str(exc)) from None
            except AppraisalRefused as exc:
                raise ExplanationRefused(str(exc)) from None
            locked.verified_inputs = entry.verified_inputs
        locked.status = Explanation.Status.ACCEPTED if accept else Explanation.Status.REJECTED
        locked.answer = reason
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked._change_reason = "accept" if accept else "reject"
        locked._history_user = user
        locked.save()
        _mail_answer(locked)
    explanation.refresh_from_db()
    return explanation


def _mail_answer(explanation: Explanation) -> None:
    assessment = explanation.assessment
    unit = assessment.unit
    accepted = explanation.status == Explanation.Status.ACCEPTED
    decision = "được chấp nhận" if accepted else "không được chấp nhận"
    lines = [
        f"Giải trình tiêu chí {explanation.criterion_code} của {unit.display_name} "
        f"({assessment.period.name}) {decision}.",
    ]
    if explanation.answer:
        lines.append(f"Trả lời của Sở: {explanation.answer}")
    if accepted:
        lines.append("Số liệu thẩm định của tiêu chí đã được cập nhật theo giải trình.")
    send_later(
        unit_recipients(unit),
        f"Giải trình {explanation.criterion_code} {decision}: {unit.display_name}",
        "\n\n".join(lines),
    )


def _storage_name(assessment: Assessment, detected) -> str:
    """explanations/<period>/<unit>/<random>.<ext>: never derived from the uploader's name."""

    def safe(code: str) -> str:
        return re.sub(r"[^A-Za-z0-9_-]", "_", code) or "_"

    return (
        f"explanations/{safe(assessment.period.code)}/{safe(assessment.unit.code)}/"
        f"{uuid.uuid4().hex}.{detected.extension}"
    )


def _sha256(upload) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete explanation file %s after a failed filing", name)
