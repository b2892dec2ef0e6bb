"""State changes of the review. Views, the API, commands and tests all go through these.

One function per state change. Each locks the assessment, checks the caller's right
(`ReviewForbidden`, a 403) and the transition (`ReviewRefused`, with a Vietnamese message),
records who and why in the history, and mails after commit.

Decisions (documented in README.md):

- A return needs at least one comment: new ones given with it, or unresolved comments
  already written on the assessment. It withdraws the reviewers' "accepted" marks, since
  the unit may now change those inputs; verified inputs and N/A decisions stay. Returns
  happen only while the period is open (afterwards the unit could not edit or resubmit).
- District verification and finalization need a decision on every criterion (accepted,
  verified inputs or N/A) and a score for each; "accept all remaining" does the easy ones.
- The province may finalize a commune the district has not verified; the page warns and the
  history records it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import Membership, Role
from thidua.accounts.notify import send_later, unit_recipients
from thidua.assessments import appraisal
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import score_sheet
from thidua.periods.models import Period
from thidua.reviews.access import (
    FINALIZE_STATES,
    RETURN_STATES,
    ReviewAccess,
    ReviewForbidden,
    review_access,
)
from thidua.reviews.models import ReviewComment

State = Assessment.State
ReviewRefused = appraisal.AppraisalRefused  # one exception family for every refusal
ReasonRequired = appraisal.ReasonRequired


def _lock(assessment: Assessment) -> Assessment:
    if assessment.pk is None:
        raise ReviewRefused("Đơn vị chưa nộp bản tự đánh giá.")
    # Lock only the assessment row: PostgreSQL refuses FOR UPDATE on the nullable side of
    # the outer join to the unit's parent.
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period__criteria_version", "unit__level", "unit__parent")
        .get(pk=assessment.pk)
    )


def _require_active_period(assessment: Assessment) -> None:
    if assessment.period.state not in (Period.State.OPEN, Period.State.REVIEWING):
        raise ReviewRefused(
            f"Kỳ đánh giá đang ở trạng thái «{assessment.period.get_state_display()}»: "
            "kết quả chỉ còn thay đổi qua giải trình."
        )


def _refuse_state(assessment: Assessment, action: str) -> None:
    raise ReviewRefused(
        f"Không thể {action} bản đánh giá đang ở trạng thái «{assessment.get_state_display()}»."
    )


def _save_state(assessment: Assessment, state: str, user, reason: str) -> None:
    assessment.state = state
    assessment._change_reason = reason
    assessment._history_user = user
    assessment.save()


def _undecided(assessment: Assessment) -> list[str]:
    """'X03: chưa thẩm định' for every criterion without a complete decision."""
    problems = []
    for row in score_sheet(assessment).rows:
        if not appraisal.is_reviewed(row.entry):
            problems.append(f"{row.criterion.code}: chưa thẩm định")
        elif row.final_result.status in ("not_scored", "needs_na"):
            problems.append(f"{row.criterion.code}: chưa có điểm (cần nhập số liệu hoặc N/A)")
    return problems


def _period_line(assessment: Assessment) -> str:
    return f"{assessment.unit.display_name} — {assessment.period.name}"


# --- transitions -------------------------------------------------------------------------


@contextmanager
def _transition(
    assessment: Assessment,
    user,
    *,
    allowed: Callable[[ReviewAccess], bool],
    forbidden: str,
    from_states: Collection[str] | Callable[[ReviewAccess], Collection[str]],
    verb: str,
    needs_open_period: str | None = None,
    needs_decisions: str | None = None,
) -> Iterator[tuple[Assessment, ReviewAccess]]:
    """The checks every state change makes, in one transaction on the locked assessment.

    In this order (the first broken rule is the one reported):

    1. `allowed(access)`, else `ReviewForbidden(forbidden)`;
    2. the period is open or under review;
    3. with `needs_open_period`: the period is open, else that refusal;
    4. the assessment's state is in `from_states` (or `from_states(access)`), else
       "Không thể {verb} bản đánh giá …";
    5. with `needs_decisions`: every criterion is decided and scored, else that refusal
       followed by the list of what is missing.

    Yields the locked assessment and the caller's access. The body makes its own checks,
    saves the new state and mails (`send_later`, after commit); anything it raises rolls
    the whole transition back. Once committed, the caller's `assessment` is refreshed.
    """
    with transaction.atomic():
        locked = _lock(assessment)
        access = review_access(user, locked)
        if not allowed(access):
            raise ReviewForbidden(forbidden)
        _require_active_period(locked)
        if needs_open_period and locked.period.state != Period.State.OPEN:
            raise ReviewRefused(needs_open_period)
        if callable(from_states):
            from_states = from_states(access)
        if locked.state not in from_states:
            _refuse_state(locked, verb)
        if needs_decisions:
            problems = _undecided(locked)
            if problems:
                raise ReviewRefused(f"{needs_decisions} {'; '.join(problems)}")
        yield locked, access
    assessment.refresh_from_db()


def return_assessment(
    assessment: Assessment, user, comments: dict[str, str] | None = None, general_comment=""
) -> Assessment:
    """Send a submitted (or verified) assessment back to the unit: → draft, with comments."""
    comments = {code: text.strip() for code, text in (comments or {}).items() if text.strip()}
    general_comment = (general_comment or "").strip()
    with _transition(
        assessment,
        user,
        allowed=lambda access: access.can_return,
        forbidden="Bạn không được trả lại bản đánh giá này",
        needs_open_period=(
            "Kỳ đánh giá đã chuyển sang thẩm định: đơn vị không sửa được nữa nên không "
            "trả lại được. Hãy điều chỉnh số liệu thẩm định kèm lý do."
        ),
        from_states=lambda access: RETURN_STATES[access.role],
        verb="trả lại",
    ) as (locked, access):
        unknown = sorted(set(comments) - set(access.level_codes))
        if unknown:
            raise ReviewRefused(f"Tiêu chí không thuộc cấp của đơn vị: {', '.join(unknown)}.")
        for code, text in [*comments.items(), ("", general_comment)]:
            if text:
                _create_comment(locked, user, code, text)
        open_comments = list(
            ReviewComment.objects.filter(assessment=locked, resolved_at__isnull=True)
        )
        if not open_comments:
            raise ReviewRefused("Trả lại cần ít nhất một ý kiến cho đơn vị (theo tiêu chí).")
        accepted = CriterionEntry.objects.select_for_update(of=("self",)).filter(
            assessment=locked, accepted=True
        )
        for entry in accepted.order_by("criterion_code"):
            entry.accepted = False
            entry.revision += 1
            entry._change_reason = "return: bỏ đánh dấu chấp nhận, đơn vị có thể sửa"
            entry._history_user = user
            entry.save()
        _save_state(locked, State.DRAFT, user, "return")
        lines = [
            f"- {c.criterion_code or 'Chung'}: {c.text}"
            for c in sorted(open_comments, key=lambda c: (c.criterion_code, c.created_at))
        ]
        deadline = locked.period.deadline_for(locked.unit)
        late = timezone.localdate() > deadline
        send_later(
            unit_recipients(locked.unit),
            f"Bản tự đánh giá của {locked.unit.display_name} được trả lại",
            f"{_period_line(locked)}\n\nNgười thẩm định đã trả lại bản tự đánh giá để đơn vị "
            "chỉnh sửa, với các ý kiến sau:\n\n"
            + "\n".join(lines)
            + "\n\nĐơn vị sửa theo ý kiến rồi thủ trưởng nộp lại."
            + (" Đã quá hạn nộp: đơn vị cần quản trị hệ thống gia hạn để nộp lại." if late else ""),
        )
    return assessment


def verify_by_district(assessment: Assessment, user) -> Assessment:
    """The district has checked its commune: submitted → verified."""
    with _transition(
        assessment,
        user,
        allowed=lambda access: access.can_verify_district,
        forbidden="Chỉ thẩm định viên cấp huyện xác minh được xã của huyện",
        from_states=(State.SUBMITTED,),
        verb="xác minh",
        needs_decisions="Chưa xác minh được: mọi tiêu chí cần có quyết định thẩm định.",
    ) as (locked, _):
        _save_state(locked, State.VERIFIED, user, "verify_district")
        send_later(
            _provincial_recipients(),
            f"{locked.unit.display_name}: huyện đã xác minh",
            f"{_period_line(locked)}\n\nUBND {locked.unit.parent.name} đã xác minh bản đánh giá "
            "của xã; bản đánh giá chờ Sở TT&TT hoàn tất thẩm định.",
        )
    return assessment


def finalize(assessment: Assessment, user) -> Assessment:
    """The province confirms the result: submitted or verified → finalized."""
    with _transition(
        assessment,
        user,
        allowed=lambda access: access.can_finalize,
        forbidden="Chỉ thẩm định viên cấp tỉnh hoàn tất được thẩm định",
        from_states=FINALIZE_STATES,
        verb="hoàn tất thẩm định",
        needs_decisions=(
            "Chưa hoàn tất được: mọi tiêu chí cần có quyết định thẩm định "
            "(dùng «Chấp nhận tất cả tiêu chí còn lại» cho các tiêu chí không cần sửa)."
        ),
    ) as (locked, _):
        reason = "finalize"
        if locked.unit.parent_id and locked.state != State.VERIFIED:
            reason = "finalize (xã chưa được huyện xác minh)"
        _save_state(locked, State.FINALIZED, user, reason)
        sheet = score_sheet(locked)
        send_later(
            unit_recipients(locked.unit),
            f"Kết quả thẩm định của {locked.unit.display_name}",
            f"{_period_line(locked)}\n\nSở TT&TT đã hoàn tất thẩm định. Điểm tự chấm: "
            f"{sheet.fmt(sheet.self_total.total)}; điểm thẩm định: "
            f"{sheet.fmt(sheet.final_total.total)} / 100. Lý do điều chỉnh từng tiêu chí "
            "có trên trang tự đánh giá của đơn vị.",
        )
    return assessment


def reopen(assessment: Assessment, user, reason: str) -> Assessment:
    """The province reopens a finalized review, with a reason: finalized → submitted."""
    reason = (reason or "").strip()
    with _transition(
        assessment,
        user,
        allowed=lambda access: access.can_reopen,
        forbidden="Chỉ thẩm định viên cấp tỉnh mở lại được thẩm định",
        from_states=(State.FINALIZED,),
        verb="mở lại",
    ) as (locked, _):
        if not reason:
            raise ReasonRequired("Cần ghi lý do mở lại thẩm định.")
        _save_state(locked, State.SUBMITTED, user, f"reopen: {reason}")
        send_later(
            unit_recipients(locked.unit),
            f"Thẩm định của {locked.unit.display_name} được mở lại",
            f"{_period_line(locked)}\n\nSở TT&TT mở lại thẩm định. Lý do: {reason}",
        )
    return assessment


def _provincial_recipients() -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(role=Role.PROVINCIAL_REVIEWER, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


# --- criterion decisions -------------------------------------------------------------------


def _decide(assessment: Assessment, user, criterion_code: str, decide):
    """Check the caller may appraise the criterion now, then apply `decide(locked)`."""
    with transaction.atomic():
        locked = _lock(assessment)
        access = review_access(user, locked)
        access.require_covers(criterion_code)
        _require_active_period(locked)
        if not access.can_appraise(criterion_code):
            _refuse_state(locked, f"thẩm định {criterion_code} của")
        return decide(locked)


def accept_criterion(assessment, user, criterion_code, reason="") -> CriterionEntry:
    return _decide(
        assessment,
        user,
        criterion_code,
        lambda locked: appraisal.accept_self_inputs(
            assessment=locked, criterion_code=criterion_code, user=user, reason=reason
        ),
    )


def set_verified_inputs(assessment, user, criterion_code, inputs, reason="") -> CriterionEntry:
    return _decide(
        assessment,
        user,
        criterion_code,
        lambda locked: appraisal.set_verified_inputs(
            assessment=locked,
            criterion_code=criterion_code,
            inputs=inputs,
            user=user,
            reason=reason,
        ),
    )


def mark_not_applicable(assessment, user, criterion_code, reason) -> CriterionEntry:
    return _decide(
        assessment,
        user,
        criterion_code,
        lambda locked: appraisal.mark_not_applicable(
            assessment=locked, criterion_code=criterion_code, user=user, reason=reason
        ),
    )


def clear_decision(assessment, user, criterion_code, reason="") -> CriterionEntry:
    return _decide(
        assessment,
        user,
        criterion_code,
        lambda locked: appraisal.clear_review(
            assessment=locked, criterion_code=criterion_code, user=user, reason=reason
        ),
    )


@dataclass
class AcceptAllResult:
    accepted: list[str]
    left: list[tuple[str, str]]  # (criterion code, why it was left for a decision)


def accept_all_remaining(assessment: Assessment, user) -> AcceptAllResult:
    """Accept the unit's inputs of every criterion the caller may appraise and nobody has
    decided yet. Criteria without inputs, or whose inputs need an N/A decision, are left."""
    with transaction.atomic():
        locked = _lock(assessment)
        access = review_access(user, locked)
        if not access.covered_codes:
            raise ReviewForbidden("Bạn không có tiêu chí nào để thẩm định ở đơn vị này")
        _require_active_period(locked)
        if not access.appraisable_codes:
            _refuse_state(locked, "thẩm định")
        result = AcceptAllResult([], [])
        for row in score_sheet(locked).rows:
            code = row.criterion.code
            if code not in access.appraisable_codes or appraisal.is_reviewed(row.entry):
                continue
            if row.self_result.status == "needs_na":
                result.left.append((code, "cần quyết định N/A"))
            elif row.self_result.status != "scored":
                result.left.append((code, "đơn vị chưa có số liệu"))
            else:
                appraisal.accept_self_inputs(
                    assessment=locked, criterion_code=code, user=user, reason=""
                )
                result.accepted.append(code)
    return result


# --- comments ------------------------------------------------------------------------------


def _create_comment(assessment, user, criterion_code, text) -> ReviewComment:
    comment = ReviewComment(
        assessment=assessment, criterion_code=criterion_code, author=user, text=text
    )
    comment._change_reason = "comment"
    comment._history_user = user
    comment.save()
    return comment


def add_comment(assessment: Assessment, user, criterion_code: str, text: str) -> ReviewComment:
    """A reviewer's comment on a criterion ("" for the whole assessment), for the unit."""
    text = (text or "").strip()
    with transaction.atomic():
        locked = _lock(assessment)
        access = review_access(user, locked)
        access.require_covers(criterion_code)
        _require_active_period(locked)
        if not access.comments_open:
            _refuse_state(locked, "ghi ý kiến cho")
        if not text:
            raise ReviewRefused("Ý kiến trống.")
        return _create_comment(locked, user, criterion_code, text)


def resolve_comment(comment: ReviewComment, user) -> ReviewComment:
    """Mark a comment dealt with; it stays on record (and in the history)."""
    with transaction.atomic():
        locked = _lock(comment.assessment)
        access = review_access(user, locked)
        access.require_covers(comment.criterion_code)
        _require_active_period(locked)
        comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_resolved:
            raise ReviewRefused("Ý kiến này đã được đánh dấu xử lý xong.")
        comment.resolved_at = timezone.now()
        comment.resolved_by = user
        comment._change_reason = "resolve"
        comment._history_user = user
        comment.save()
    return comment
