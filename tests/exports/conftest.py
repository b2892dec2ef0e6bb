import pytest

from tests.assessments.cast import make_cast
from thidua.assessments.models import CriterionEntry
from thidua.assessments.score_cache import recompute_scores
from thidua.results.models import GradeBand

from .support import fill, hostile_unit


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def filled(cast, period):
    """Phường 7 and Phường 6 filled alike (they tie), Phường 8 without X03, the department
    of information with everything, a unit with a formula for a name without T04; Phường 5
    has a criterion not applicable, one verified from a source and one accepted as reported."""
    GradeBand.objects.create(period=period, name="Xuất sắc", min_total=90)
    GradeBand.objects.create(period=period, name="Tốt", min_total=80)
    admin = cast["admin"]
    ward5 = fill(period, "31498", admin)
    fill(period, "31501", admin)
    fill(period, "31507", admin)
    fill(period, "31504", admin, skip=("X03",))
    fill(period, "SO-TTTT", admin)
    hostile_unit()
    fill(period, "SO-HACK", admin, skip=("T04",))
    CriterionEntry.objects.filter(assessment=ward5, criterion_code="X05").update(
        na=True, na_reason="Phường không có bộ phận một cửa riêng"
    )
    CriterionEntry.objects.filter(assessment=ward5, criterion_code="X03").update(
        verified_inputs={"rate": "50"}, verified_source="Hệ thống quản lý văn bản và điều hành"
    )
    CriterionEntry.objects.filter(assessment=ward5, criterion_code="X04").update(
        accepted=True, review_reason="Khớp số liệu Cổng DVC"
    )
    # The updates above bypass the services, which keep the stored scores current.
    recompute_scores(assessment_ids=[ward5.pk])
    return {"ward5": ward5}
