"""Access helpers for explanations and their files.

Out of the caller's scope → 404 (an outsider cannot learn which units explained what);
in scope without the right → 403, raised by the view that checks the flag.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from thidua.accounts.models import Role
from thidua.accounts.scope import can_see_unit, role_of
from thidua.explanations.models import Explanation, ExplanationAttachment
from thidua.explanations.services import can_answer
from thidua.periods.models import Period

# Who sees a period's explanations as a list (the queue of those awaiting an answer).
LIST_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROVINCIAL_REVIEWER})


@dataclass(frozen=True)
class ExplanationAccess:
    explanation: Explanation
    can_answer: bool

    def require_answer(self) -> None:
        if not self.can_answer:
            raise PermissionDenied("Chỉ cán bộ thẩm định cấp tỉnh được trả lời giải trình.")


def require_list(user) -> None:
    if role_of(user) not in LIST_ROLES:
        raise PermissionDenied("Chỉ cán bộ thẩm định cấp tỉnh xem được danh sách giải trình.")


def get_explanation_for_user(user, period_code: str, explanation_uuid) -> ExplanationAccess:
    explanation = (
        Explanation.objects.select_related(
            "assessment__period__criteria_version",
            "assessment__unit__level",
            "assessment__unit__parent",
            "assessment__unit__kind",
            "filed_by",
            "answered_by",
        )
        .filter(uuid=explanation_uuid, assessment__period__code=period_code)
        .first()
    )
    if explanation is None or not can_see_unit(user, explanation.assessment.unit):
        raise Http404("Không tìm thấy giải trình")
    answerable = (
        can_answer(user)
        and explanation.is_pending
        and explanation.assessment.period.state == Period.State.PUBLISHED
    )
    return ExplanationAccess(explanation=explanation, can_answer=answerable)


def get_attachment_for_user(user, period_code: str, attachment_uuid) -> ExplanationAttachment:
    attachment = (
        ExplanationAttachment.objects.select_related("explanation__assessment__unit")
        .filter(uuid=attachment_uuid, explanation__assessment__period__code=period_code)
        .first()
    )
    if attachment is None or not can_see_unit(user, attachment.explanation.assessment.unit):
        raise Http404("Không tìm thấy tệp")
    return attachment
