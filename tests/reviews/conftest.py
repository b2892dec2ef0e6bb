"""The review's cast: the assessment tests' users, plus a sector appraiser of the police."""

import datetime

import pytest
import time_machine

from thidua.accounts.models import Role
from thidua.assessments.models import Assessment
from thidua.assessments.submission import submit_assessment
from thidua.reviews.models import SectorAssignment
from thidua.units.models import Unit

from ..assessments.cast import make_cast, make_user
from ..assessments.fill import fill_assessment

ON_TIME = datetime.datetime.fromisoformat("2023-12-10 09:00:00+07:00")
# Commune 31498 (Phường 5) and its neighbour 31501 are in district 941; 31528 is in 943.
COMMUNE, OTHER_DISTRICT_COMMUNE, PROVINCE_UNIT = "31498", "31528", "SO-NV"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(units, period):
    cast = make_cast()
    cast["police"] = make_user("police", Role.VIEWER)
    cast["other_head_943"] = make_user("head943", Role.UNIT_HEAD, OTHER_DISTRICT_COMMUNE)
    cast["head_so"] = make_user("head_so", Role.UNIT_HEAD, PROVINCE_UNIT)
    for code in ("X09", "X10", "H11", "H12", "T12"):
        SectorAssignment.objects.create(
            period=period, reviewer=cast["police"], criterion_code=code, sector="Công an tỉnh"
        )
    return cast


def submitted(cast, period, unit_code, head, editor=None) -> Assessment:
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code=unit_code))
    fill_assessment(assessment, editor or head)
    with time_machine.travel(ON_TIME, tick=False):
        submit_assessment(assessment=assessment, user=head)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def commune(cast, period):
    """Phường 5 (district 941), submitted on time."""
    return submitted(cast, period, COMMUNE, cast["head"], cast["editor"])


@pytest.fixture
def far_commune(cast, period):
    """Thị trấn Kế Sách (district 943), submitted on time."""
    return submitted(cast, period, OTHER_DISTRICT_COMMUNE, cast["other_head_943"])


@pytest.fixture
def agency(cast, period):
    """Sở Nội vụ, a provincial agency, submitted on time."""
    return submitted(cast, period, PROVINCE_UNIT, cast["head_so"])
