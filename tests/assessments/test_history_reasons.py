import pytest

from thidua.assessments.appraisal import set_verified_inputs
from thidua.assessments.models import Assessment
from thidua.assessments.services import save_self_inputs
from thidua.units.models import Unit

from .cast import make_cast


@pytest.mark.django_db
def test_a_long_review_reason_is_kept_whole_on_the_entry_and_shortened_in_history(units, period):
    cast = make_cast()
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "50"}, user=cast["editor"]
    )
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.SUBMITTED)
    reason = "Số liệu Hệ thống Quản lý văn bản và điều hành cho thấy tỷ lệ thấp hơn báo cáo; " * 4

    entry = set_verified_inputs(
        assessment=assessment,
        criterion_code="X03",
        inputs={"rate": "40"},
        user=cast["province"],
        reason=reason,
    )

    assert entry.review_reason == reason.strip()
    recorded = entry.history.first().history_change_reason
    assert len(recorded) == 100
    assert recorded.startswith("verify: Số liệu Hệ thống")
    assert recorded.endswith("…")
