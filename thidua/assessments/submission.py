"""Submission of a self-assessment by the unit head (draft → submitted)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.accounts.notify import reviewer_recipients, send_later
from thidua.accounts.scope import membership_of
from thidua.assessments.models import Assessment
from thidua.assessments.scores import ScoreSheet, score_sheet
from thidua.evidence.services import missing_required_evidence
from thidua.periods.models import Period


class SubmissionRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def missing_items(sheet: ScoreSheet) -> list[tuple[str, str]]:
    """(criterion code, what is missing) for each criterion that blocks submission."""
    assessment = sheet.assessment
    if assessment.pk:
        no_evidence = set(missing_required_evidence(assessment, sheet.level.criteria))
    else:
        no_evidence = {c.code for c in sheet.level.criteria if c.evidence_required}
    missing = []
    for row in sheet.rows:
        what = []
        if row.self_result.status == "not_scored":
            what.append("chưa nhập đủ số liệu")
        if row.criterion.code in no_evidence:
            what.append("chưa có tài liệu minh chứng")
        if what:
            missing.append((row.criterion.code, ", ".join(what)))
    return missing


def submit_assessment(*, assessment: Assessment, user, now=None) -> Assessment:
    """Submit when complete and on time (or under an extension); raise SubmissionRefused."""
    now = now or timezone.now()
    membership = membership_of(user)
    if (
        membership is None
        or membership.role != Role.UNIT_HEAD
        or membership.unit_id != assessment.unit_id
    ):
        raise SubmissionRefused(["Chỉ thủ trưởng đơn vị được nộp bản đánh giá của đơn vị."])
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update()
            .select_related("period", "unit__level")
            .get(pk=assessment.pk)
        )
        if locked.state != Assessment.State.DRAFT:
            raise SubmissionRefused(["Bản đánh giá đã được nộp."])
        period = locked.period
        if period.state != Period.State.OPEN:
            raise SubmissionRefused(["Kỳ đánh giá không còn nhận bản tự đánh giá."])
        today = timezone.localdate(now)
        last_day = period.deadline_for(locked.unit)
        if today > last_day:
            raise SubmissionRefused(
                [
                    f"Đã quá hạn nộp ({last_day:%d/%m/%Y}). Đơn vị cần quản trị hệ thống "
                    "gia hạn để nộp."
                ]
            )
        problems = [f"{code}: {what}" for code, what in missing_items(score_sheet(locked))]
        if problems:
            raise SubmissionRefused(problems)
        locked.state = Assessment.State.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = user
        locked.submitted_late = today > period.submission_deadline
        locked._change_reason = "submit"
        locked._history_user = user
        locked.save()
        send_later(
            reviewer_recipients(locked.unit),
            f"{locked.unit.display_name} đã nộp bản tự đánh giá",
            f"{locked.unit.display_name} đã nộp bản tự đánh giá {period.name} lúc "
            f"{timezone.localtime(now):%H:%M %d/%m/%Y}"
            f"{' (theo gia hạn)' if locked.submitted_late else ''}. "
            "Bản đánh giá đã vào hàng chờ thẩm định.",
        )
    assessment.refresh_from_db()
    return assessment
