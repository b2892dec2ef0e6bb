import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet
from thidua.explanations.models import Explanation
from thidua.explanations.services import (
    ExplanationRefused,
    answer_explanation,
    file_explanation,
)
from thidua.periods.models import Period

from .stages import IN_WINDOW, move_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def explanation(cast, assessment):
    with time_machine.travel(IN_WINDOW, tick=False):
        return file_explanation(
            assessment=assessment,
            criterion_code="X03",
            text="Tỉ lệ xử lý hồ sơ trên mạng là 75%, theo báo cáo gửi Sở Nội vụ.",
            user=cast["editor"],
        )


def x03(assessment):
    sheet = score_sheet(Assessment.objects.get(pk=assessment.pk))
    row = next(r for r in sheet.rows if r.criterion.code == "X03")
    return row, sheet.final_total.total


def test_accepting_sets_the_verified_inputs_and_changes_the_final_score(
    cast, assessment, explanation
):
    before_row, before_total = x03(assessment)
    assert before_row.final_result.score == 5  # 30 % of a 60 % target, of 10 points

    answered = answer_explanation(
        explanation=explanation,
        user=cast["province"],
        accept=True,
        reason="Đối chiếu báo cáo: đúng 75%.",
        verified_inputs={"rate": "75"},
    )

    assert answered.status == Explanation.Status.ACCEPTED
    assert answered.answered_by == cast["province"]
    assert answered.answer == "Đối chiếu báo cáo: đúng 75%."
    assert answered.verified_inputs == {"rate": "75"}
    row, total = x03(assessment)
    assert row.final_result.score == 10
    assert total > before_total
    entry = row.entry
    assert entry.verified_inputs == {"rate": "75"}
    assert entry.verified_source == "Giải trình của đơn vị"
    assert entry.review_reason == "Đối chiếu báo cáo: đúng 75%."
    last = entry.history.first()
    assert last.history_user == cast["province"]
    assert "Đối chiếu báo cáo" in last.history_change_reason
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.FINALIZED


def test_accepting_a_change_of_score_needs_a_reason(cast, assessment, explanation):
    with pytest.raises(ExplanationRefused, match="cần ghi lý do"):
        answer_explanation(
            explanation=explanation,
            user=cast["province"],
            accept=True,
            verified_inputs={"rate": "75"},
        )
    explanation.refresh_from_db()
    assert explanation.is_pending
    assert x03(assessment)[0].entry.verified_inputs is None
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.FINALIZED


def test_accepting_needs_the_new_inputs_and_valid_ones(cast, explanation):
    with pytest.raises(ExplanationRefused, match="số liệu thẩm định mới"):
        answer_explanation(explanation=explanation, user=cast["province"], accept=True, reason="ok")
    with pytest.raises(ExplanationRefused, match="X03"):
        answer_explanation(
            explanation=explanation,
            user=cast["province"],
            accept=True,
            reason="ok",
            verified_inputs={"rate": "175"},
        )
    explanation.refresh_from_db()
    assert explanation.is_pending


def test_rejecting_needs_a_reason_and_leaves_the_score(cast, assessment, explanation):
    with pytest.raises(ExplanationRefused, match="lý do không chấp nhận"):
        answer_explanation(explanation=explanation, user=cast["province"], accept=False)

    answered = answer_explanation(
        explanation=explanation,
        user=cast["province"],
        accept=False,
        reason="Báo cáo không có xác nhận của Sở Nội vụ.",
    )

    assert answered.status == Explanation.Status.REJECTED
    assert answered.verified_inputs is None
    assert x03(assessment)[0].final_result.score == 5


@pytest.mark.parametrize(
    "who", ["admin", "district", "editor", "head", "viewer", "awards", "outsider"]
)
def test_only_a_provincial_reviewer_answers(cast, explanation, who):
    with pytest.raises(PermissionDenied):
        answer_explanation(
            explanation=explanation, user=cast[who], accept=False, reason="Không đủ căn cứ"
        )
    explanation.refresh_from_db()
    assert explanation.is_pending


def test_an_explanation_is_answered_once(cast, explanation):
    answer_explanation(explanation=explanation, user=cast["province"], accept=False, reason="Không")
    with pytest.raises(ExplanationRefused, match="đã được trả lời"):
        answer_explanation(
            explanation=explanation,
            user=cast["province"],
            accept=True,
            reason="Xem lại",
            verified_inputs={"rate": "75"},
        )


def test_no_answer_once_the_results_are_final(cast, period, explanation):
    move_period(period, Period.State.FINAL, explanation_until=period.explanation_until)
    with pytest.raises(ExplanationRefused, match="kết quả sơ bộ"):
        answer_explanation(explanation=explanation, user=cast["province"], accept=False, reason="x")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("accept", "subject"), [(True, "được chấp nhận"), (False, "không được chấp nhận")]
)
def test_the_unit_is_mailed_the_answer(cast, explanation, mailoutbox, accept, subject):
    for who in ("editor", "head", "other_editor", "province"):
        cast[who].email = f"{who}@soctrang.gov.vn"
        cast[who].save()
    explanation.assessment.unit.email = "phuong5@soctrang.gov.vn"
    explanation.assessment.unit.save()

    answer_explanation(
        explanation=explanation,
        user=cast["province"],
        accept=accept,
        reason="Đã đối chiếu báo cáo của Sở Nội vụ.",
        verified_inputs={"rate": "75"} if accept else None,
    )

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == [
        "editor@soctrang.gov.vn",
        "head@soctrang.gov.vn",
        "phuong5@soctrang.gov.vn",
    ]
    assert f"X03 {subject}" in mail.subject
    assert "Đã đối chiếu báo cáo của Sở Nội vụ." in mail.body


def test_nothing_is_mailed_when_the_answer_is_refused(
    cast, explanation, django_capture_on_commit_callbacks, mailoutbox
):
    cast["editor"].email = "editor@soctrang.gov.vn"
    cast["editor"].save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ExplanationRefused):
        answer_explanation(explanation=explanation, user=cast["province"], accept=False)
    assert mailoutbox == []
