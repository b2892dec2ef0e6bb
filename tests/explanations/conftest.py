import pytest

from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.units.models import Unit

from ..assessments.cast import make_cast
from .stages import UNTIL, finalized, move_period


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def assessment(cast, period):
    """Phường 5's assessment, finalized, in a period whose preliminary results are out."""
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    finalized(assessment, cast["editor"])
    move_period(period, Period.State.PUBLISHED, explanation_until=UNTIL)
    assessment.refresh_from_db()
    return assessment
