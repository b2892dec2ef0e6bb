import pytest

from tests.assessments.cast import make_cast


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def bands(period):
    from thidua.results.demo import ensure_grade_bands

    ensure_grade_bands(period)
    return list(period.grade_bands.all())
