import pytest

from tests.assessments.cast import make_cast
from tests.exports.support import fill
from thidua.results.models import GradeBand


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def filled(cast, period):
    """Phường 5, 7 and 6 filled alike (a three-way tie at the top of the communes, 83,07,
    Tốt), Phường 8 without X03 (71,84, Khá); two departments (74,64 and 72,51)."""
    bands = {
        name: GradeBand.objects.create(period=period, name=name, min_total=low)
        for name, low in (("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65))
    }
    admin = cast["admin"]
    for code in ("31498", "31501", "31507"):
        fill(period, code, admin)
    fill(period, "31504", admin, skip=("X03",))
    fill(period, "SO-TTTT", admin)
    fill(period, "SO-NV", admin, skip=("T04",))
    return bands
