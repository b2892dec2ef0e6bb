"""State changes of an evaluation period (kỳ đánh giá), one service function per change.

    open ─start_review→ reviewing ─publish_preliminary→ published ─finalize_period→ final
         ─archive→ archived

Each function checks who asks (administrators and provincial reviewers only, else
PermissionDenied), that the period is in the state the change starts from, and its
preconditions (else TransitionRefused, in Vietnamese); then changes the state in one
transaction, with who, when and why in the period's history, and mails the units.

Preconditions come in two strengths. `problems` always refuse. `waivable` ones refuse unless
the caller passes force=True with a reason, which goes into the history:

- start_review: waivable while a unit may still submit (the deadline or an extension has not
  passed), because under review nobody can submit any more.
- publish_preliminary: the explanation window must end today or later; every submitted or
  district-verified assessment must be finalized first (they are listed). Units that never
  submitted have no preliminary result and are not mailed.
- finalize_period: refused while an explanation awaits an answer; before the explanation
  window has closed (today ≤ explanation_until) only with force and a reason.
- archive: none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from thidua import scoring
from thidua.accounts.models import Role
from thidua.accounts.notify import send_later, unit_recipients
from thidua.accounts.scope import role_of
from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet
from thidua.explanations.models import Explanation
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion

MANAGER_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROVINCIAL_REVIEWER})
REASON_MAX_LENGTH = 1000


class TransitionRefused(Exception):
    """The change cannot be made now; `problems` lists every reason, in Vietnamese."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.message = message
        self.problems = list(problems or [])
        super().__init__(message if not self.problems else f"{message} {'; '.join(problems)}")


@dataclass
class Preconditions:
    problems: list[str] = field(default_factory=list)
    waivable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.waivable


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    label: str
    verb: str  # Vietnamese, for refusals: "Không thể {verb}: ..."


TRANSITIONS = {
    t.source: t
    for t in (
        Transition(
            "start_review",
            Period.State.OPEN,
            Period.State.REVIEWING,
            _("Close self-assessment and start the review"),
            "bắt đầu thẩm định",
        ),
        Transition(
            "publish_preliminary",
            Period.State.REVIEWING,
            Period.State.PUBLISHED,
            _("Publish the preliminary results"),
            "công bố kết quả sơ bộ",
        ),
        Transition(
            "finalize_period",
            Period.State.PUBLISHED,
            Period.State.FINAL,
            _("Freeze the final results"),
            "chốt kết quả chính thức",
        ),
        Transition(
            "archive", Period.State.FINAL, Period.State.ARCHIVED, _("Archive"), "lưu trữ kỳ"
        ),
    )
}
BY_NAME = {t.name: t for t in TRANSITIONS.values()}


def can_manage(user) -> bool:
    return role_of(user) in MANAGER_ROLES


def require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống và cán bộ thẩm định cấp tỉnh được chuyển trạng thái kỳ đánh giá."
        )


def next_transition(period: Period) -> Transition | None:
    return TRANSITIONS.get(period.state)


def state_name(state: str) -> str:
    """The Vietnamese name of a period state, whatever the request's language."""
    with translation.override("vi"):
        return str(Period.State(state).label)


# Preconditions -------------------------------------------------------------------------


def start_review_preconditions(period: Period, today: datetime.date) -> Preconditions:
    found = Preconditions()
    if today <= period.submission_deadline:
        found.waivable.append(
            f"Hạn nộp ({period.submission_deadline:%d/%m/%Y}) chưa qua: đơn vị vẫn có thể nộp "
            "bản tự đánh giá."
        )
    running = period.extensions.filter(until__gte=today).select_related("unit__parent")
    for extension in running:
        found.waivable.append(
            f"{extension.unit.display_name} được gia hạn nộp đến {extension.until:%d/%m/%Y}."
        )
    return found


def unfinalized_assessments(period: Period):
    return (
        Assessment.objects.filter(
            period=period, state__in=(Assessment.State.SUBMITTED, Assessment.State.VERIFIED)
        )
        .select_related("unit__parent")
        .order_by("unit__code")
    )


def publish_preconditions(
    period: Period, today: datetime.date, explanation_until: datetime.date | None
) -> Preconditions:
    found = Preconditions()
    if explanation_until is None:
        found.problems.append("Cần chọn hạn cuối nhận giải trình.")
    elif explanation_until < today:
        found.problems.append(
            f"Hạn cuối nhận giải trình ({explanation_until:%d/%m/%Y}) đã qua; hãy chọn từ "
            f"ngày {today:%d/%m/%Y} trở đi."
        )
    for assessment in unfinalized_assessments(period):
        found.problems.append(
            f"{assessment.unit.display_name}: bản đánh giá chưa được chốt "
            f"({_assessment_state_name(assessment)})."
        )
    return found


def pending_explanations(period: Period):
    return (
        Explanation.objects.filter(assessment__period=period, status=Explanation.Status.PENDING)
        .select_related("assessment__unit__parent")
        .order_by("assessment__unit__code", "criterion_code")
    )


def finalize_preconditions(period: Period, today: datetime.date) -> Preconditions:
    found = Preconditions()
    for explanation in pending_explanations(period):
        found.problems.append(
            f"{explanation.assessment.unit.display_name} · {explanation.criterion_code}: "
            "giải trình chưa được trả lời."
        )
    if period.explanation_until and today <= period.explanation_until:
        found.waivable.append(
            f"Thời hạn giải trình (đến hết ngày {period.explanation_until:%d/%m/%Y}) chưa kết "
            "thúc: đơn vị vẫn có thể gửi giải trình."
        )
    return found


def preconditions(period: Period, today: datetime.date | None = None, **kwargs) -> Preconditions:
    """What stands in the way of the period's next change (for the management page)."""
    today = today or timezone.localdate()
    transition = next_transition(period)
    if transition is None or transition.name == "archive":
        return Preconditions()
    if transition.name == "start_review":
        return start_review_preconditions(period, today)
    if transition.name == "publish_preliminary":
        return publish_preconditions(period, today, kwargs.get("explanation_until"))
    return finalize_preconditions(period, today)


# Transitions ---------------------------------------------------------------------------


def start_review(period: Period, user, *, force: bool = False, reason: str = "") -> Period:
    """open → reviewing: self-assessment closes for every unit."""
    return _move(
        period,
        user,
        BY_NAME["start_review"],
        check=start_review_preconditions,
        force=force,
        reason=reason,
    )


def publish_preliminary(
    period: Period, user, explanation_until: datetime.date, *, reason: str = ""
) -> Period:
    """reviewing → published: units see their preliminary results and may explain until
    `explanation_until` (inclusive). Each unit with a finalized assessment is mailed its
    preliminary total and the deadline."""

    def check(locked, today):
        return publish_preconditions(locked, today, explanation_until)

    def change(locked):
        locked.explanation_until = explanation_until

    def after(locked):
        for assessment, total in _finalized_totals(locked):
            send_later(
                unit_recipients(assessment.unit),
                f"Kết quả sơ bộ {locked.name}: {assessment.unit.display_name}",
                f"Kết quả sơ bộ {locked.name} đã được công bố.\n\n"
                f"Tổng điểm sơ bộ của {assessment.unit.display_name}: {total} điểm.\n\n"
                "Nếu chưa thống nhất với kết quả thẩm định, đơn vị có thể giải trình mỗi tiêu "
                "chí một lần, kèm tài liệu minh chứng, trên trang bản đánh giá của đơn vị "
                f"đến hết ngày {explanation_until:%d/%m/%Y}.",
            )

    return _move(
        period,
        user,
        BY_NAME["publish_preliminary"],
        check=check,
        reason=reason,
        change=change,
        after=after,
    )


def finalize_period(period: Period, user, *, force: bool = False, reason: str = "") -> Period:
    """published → final: the results are frozen; each unit with a result is mailed it."""

    def after(locked):
        for assessment, total in _finalized_totals(locked):
            send_later(
                unit_recipients(assessment.unit),
                f"Kết quả chính thức {locked.name}: {assessment.unit.display_name}",
                f"Kết quả chính thức {locked.name} đã được chốt.\n\n"
                f"Tổng điểm của {assessment.unit.display_name}: {total} điểm.",
            )

    return _move(
        period,
        user,
        BY_NAME["finalize_period"],
        check=finalize_preconditions,
        force=force,
        reason=reason,
        after=after,
    )


def archive(period: Period, user, *, reason: str = "") -> Period:
    """final → archived: kept for the record and year-over-year comparisons."""
    return _move(
        period, user, BY_NAME["archive"], check=lambda p, t: Preconditions(), reason=reason
    )


def _move(period, user, transition, *, check, force=False, reason="", change=None, after=None):
    require_manager(user)
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        raise TransitionRefused(f"Lý do quá dài (tối đa {REASON_MAX_LENGTH} ký tự).")
    refused = f"Không thể {transition.verb}:"
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.state != transition.source:
            raise TransitionRefused(
                f"{refused} kỳ đánh giá đang ở trạng thái «{state_name(locked.state)}», chỉ "
                f"chuyển được từ trạng thái «{state_name(transition.source)}»."
            )
        found = check(locked, timezone.localdate())
        if found.problems:
            raise TransitionRefused(refused, found.problems + found.waivable)
        if found.waivable and not force:
            raise TransitionRefused(
                f"{refused} cần xác nhận bỏ qua điều kiện, kèm lý do.", found.waivable
            )
        if found.waivable and not reason:
            raise TransitionRefused(f"{refused} cần ghi lý do bỏ qua điều kiện.", found.waivable)
        if change:
            change(locked)
        locked.state = transition.target
        locked._history_user = user
        locked._change_reason = f"{transition.name}: {reason}" if reason else transition.name
        locked.save()
        if after:
            after(locked)
    period.refresh_from_db()
    return period


def _finalized_totals(period: Period):
    """(assessment, its total formatted as in the score sheet) for each finalized one."""
    due = due_dates_by_criterion(period)
    finalized = (
        Assessment.objects.filter(period=period, state=Assessment.State.FINALIZED)
        .select_related("period__criteria_version", "unit__level", "unit__parent")
        .prefetch_related("entries")
        .order_by("unit__code")
    )
    for assessment in finalized:
        sheet = score_sheet(assessment, due=due)
        yield assessment, scoring.format_vi(sheet.final_total.total, sheet.decimals)


def _assessment_state_name(assessment: Assessment) -> str:
    with translation.override("vi"):
        return str(assessment.get_state_display())
