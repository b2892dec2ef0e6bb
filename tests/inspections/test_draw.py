import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from tests.assessments.cast import make_cast
from thidua.assessments.models import Assessment
from thidua.inspections.models import InspectionResult, InspectionSample
from thidua.inspections.services import (
    InspectionRefused,
    candidate_units,
    draw_sample,
    draw_units,
    record_result,
    redraw,
)
from thidua.periods.models import Period
from thidua.units.models import Level, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(units, period):
    return make_cast()


def codes(units):
    return [unit.code for unit in units]


def test_the_same_seed_draws_the_same_units_and_another_seed_others(cast, period):
    candidates = candidate_units(period)

    first = draw_units(candidates, 20231215, 10)
    again = draw_units(list(reversed(candidates)), 20231215, 10)
    other = draw_units(candidates, 20231216, 10)

    assert codes(first) == codes(again)
    assert codes(first) != codes(other)
    assert len(set(codes(first))) == 10
    assert codes(first) == sorted(codes(first))


def test_the_draw_is_the_documented_one(cast, period):
    import random

    candidates = sorted(candidate_units(period), key=lambda unit: unit.code)
    expected = sorted(u.code for u in random.Random(42).sample(candidates, 5))

    assert codes(draw_units(candidates, 42, 5)) == expected


def test_drawing_twice_with_a_recorded_seed_repeats_the_sample(cast, period):
    first = draw_sample(period=period, user=cast["province"], size=8)
    again = draw_sample(period=period, user=cast["province"], size=8, seed=first.seed)

    def drawn(sample):
        return list(sample.results.values_list("unit__code", flat=True))

    assert drawn(first) == drawn(again)
    units, reproduces = redraw(first)
    assert reproduces is True
    assert codes(units) == drawn(first)


def test_it_records_the_seed_it_generates_and_the_candidates(cast, period):
    sample = draw_sample(period=period, user=cast["province"], size=3, note="Đợt 1")

    assert 100_000_000 <= sample.seed < 1_000_000_000
    assert sample.population == Unit.objects.active().count()
    assert sample.drawn_by == cast["province"]
    assert sample.note == "Đợt 1"
    assert sample.results.count() == 3
    assert set(sample.results.values_list("status", flat=True)) == {"pending"}


def test_a_level_limits_the_candidates(cast, period):
    communes = Level.objects.get(code="xa")

    sample = draw_sample(period=period, user=cast["province"], size=5, level=communes, seed=7)

    assert sample.population == Unit.objects.filter(level=communes, is_active=True).count()
    assert set(sample.results.values_list("unit__level__code", flat=True)) == {"xa"}


def test_submitted_only_draws_among_units_that_submitted(cast, period):
    for code, state in [
        ("31498", Assessment.State.SUBMITTED),
        ("31501", Assessment.State.FINALIZED),
        ("VP-UBND", Assessment.State.DRAFT),
    ]:
        Assessment.objects.create(period=period, unit=Unit.objects.get(code=code), state=state)

    sample = draw_sample(period=period, user=cast["province"], size=2, submitted_only=True)

    assert sample.population == 2
    assert sorted(sample.results.values_list("unit__code", flat=True)) == ["31498", "31501"]
    with pytest.raises(InspectionRefused, match="Chỉ có 2 đơn vị phù hợp"):
        draw_sample(period=period, user=cast["province"], size=3, submitted_only=True)


def test_redraw_tells_when_the_candidates_changed(cast, period):
    sample = draw_sample(period=period, user=cast["province"], size=5, seed=99)
    drawn = sample.results.first().unit
    Unit.objects.filter(pk=drawn.pk).update(is_active=False)

    assert redraw(sample)[1] is False


@pytest.mark.parametrize("size", [0, -1])
def test_it_refuses_an_empty_sample(cast, period, size):
    with pytest.raises(InspectionRefused):
        draw_sample(period=period, user=cast["province"], size=size)
    assert not InspectionSample.objects.exists()


def test_no_draw_in_an_archived_period(cast, period):
    Period.objects.filter(pk=period.pk).update(state=Period.State.ARCHIVED)
    period.refresh_from_db()
    with pytest.raises(InspectionRefused, match="lưu trữ"):
        draw_sample(period=period, user=cast["province"], size=1)


@pytest.mark.parametrize(
    "who", ["admin", "district", "editor", "head", "awards", "viewer", "outsider"]
)
def test_only_provincial_reviewers_draw(cast, period, who):
    with pytest.raises(PermissionDenied):
        draw_sample(period=period, user=cast[who], size=1)


@time_machine.travel(datetime.datetime.fromisoformat("2024-01-05 15:00:00+07:00"), tick=False)
def test_recording_a_result(cast, period):
    sample = draw_sample(period=period, user=cast["province"], size=2, seed=1)
    result = sample.results.first()

    record_result(
        result=result,
        user=cast["province"],
        outcome="Số liệu khớp hồ sơ",
        findings="Đã đối chiếu 20 hồ sơ trên hệ thống QLVB.",
        inspected_on=datetime.date(2024, 1, 5),
    )

    result.refresh_from_db()
    assert result.status == InspectionResult.Status.DONE
    assert result.inspector == cast["province"]
    assert result.inspected_on == datetime.date(2024, 1, 5)
    last = result.history.order_by("-history_id").first()
    assert last.history_user == cast["province"]
    assert last.result == "Số liệu khớp hồ sơ"

    with pytest.raises(InspectionRefused, match="ở sau ngày hôm nay"):
        record_result(
            result=result,
            user=cast["province"],
            outcome="x",
            inspected_on=datetime.date(2024, 1, 6),
        )
    with pytest.raises(InspectionRefused, match="kết luận"):
        record_result(
            result=result,
            user=cast["province"],
            outcome=" ",
            inspected_on=datetime.date(2024, 1, 5),
        )
    with pytest.raises(PermissionDenied):
        record_result(
            result=result, user=cast["admin"], outcome="x", inspected_on=datetime.date(2024, 1, 5)
        )
