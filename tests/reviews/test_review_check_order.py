"""Which refusal wins when a transition breaks several rules at once.

Every transition checks, in this order: the caller's right (403), the period being active,
(for a return) the period being open, the assessment's state, then its own conditions
(decisions on every criterion, comments, a reason). The commune here has no decision on any
criterion, so verify and finalize would also fail that last check."""

import pytest

from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.reviews import services
from thidua.reviews.access import ReviewForbidden
from thidua.reviews.models import ReviewComment

State = Assessment.State
PERIOD_CLOSED = "Kỳ đánh giá đang ở trạng thái «"
PERIOD_NOT_OPEN = "Kỳ đánh giá đã chuyển sang thẩm định"

ACTIONS = {
    "return": lambda a, user: services.return_assessment(
        a, user, {"X03": "Thiếu minh chứng", "T01": "?"}
    ),
    "return_blank": lambda a, user: services.return_assessment(a, user, {"X03": " "}),
    "verify": services.verify_by_district,
    "finalize": services.finalize,
    "reopen": lambda a, user: services.reopen(a, user, "Số liệu VNeID được cập nhật"),
    "reopen_blank": lambda a, user: services.reopen(a, user, "  "),
}

# (period state, assessment state, action, who) → (exception, start of its message)
TABLE = [
    # The caller's right comes first, before the period and the state.
    ("published", "finalized", "return", "police", ReviewForbidden, "Bạn không được trả lại"),
    ("published", "finalized", "verify", "province", ReviewForbidden, "Chỉ thẩm định viên"),
    ("published", "finalized", "finalize", "district", ReviewForbidden, "Chỉ thẩm định viên"),
    ("published", "submitted", "reopen_blank", "district", ReviewForbidden, "Chỉ thẩm định"),
    # Then the period, before the state and the transition's own conditions.
    ("published", "finalized", "return", "province", services.ReviewRefused, PERIOD_CLOSED),
    ("published", "finalized", "verify", "district", services.ReviewRefused, PERIOD_CLOSED),
    ("final", "finalized", "finalize", "province", services.ReviewRefused, PERIOD_CLOSED),
    ("published", "submitted", "reopen_blank", "province", services.ReviewRefused, PERIOD_CLOSED),
    # A return needs an open period, checked before the state.
    ("reviewing", "finalized", "return", "province", services.ReviewRefused, PERIOD_NOT_OPEN),
    # Then the state, before criteria, comments, decisions and the reason.
    ("open", "finalized", "return", "province", services.ReviewRefused, "Không thể trả lại"),
    ("open", "verified", "verify", "district", services.ReviewRefused, "Không thể xác minh"),
    ("open", "finalized", "finalize", "province", services.ReviewRefused, "Không thể hoàn tất"),
    ("open", "submitted", "reopen_blank", "province", services.ReviewRefused, "Không thể mở lại"),
    # Last, the transition's own conditions.
    ("open", "submitted", "return", "province", services.ReviewRefused, "Tiêu chí không thuộc"),
    ("open", "submitted", "return_blank", "district", services.ReviewRefused, "Trả lại cần"),
    ("open", "submitted", "verify", "district", services.ReviewRefused, "Chưa xác minh được"),
    ("open", "verified", "finalize", "province", services.ReviewRefused, "Chưa hoàn tất được"),
    ("open", "finalized", "reopen_blank", "province", services.ReasonRequired, "Cần ghi lý do"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("period_state", "state", "action", "who", "error", "message"), TABLE)
def test_it_refuses_with_the_first_broken_rule(
    cast, commune, period, period_state, state, action, who, error, message
):
    Period.objects.filter(pk=period.pk).update(state=period_state)
    Assessment.objects.filter(pk=commune.pk).update(state=state)
    commune.refresh_from_db()

    with pytest.raises(error) as refused:
        ACTIONS[action](commune, cast[who])

    assert type(refused.value) is error  # not a subclass: ReasonRequired is a refusal
    assert str(refused.value).startswith(message)
    commune.refresh_from_db()
    assert commune.state == state
    assert not ReviewComment.objects.filter(assessment=commune).exists()
