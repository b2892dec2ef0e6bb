"""The bulk writer: many rows and their history in a few statements, as simple-history
would record them one by one."""

import pytest

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.sources import bulk
from thidua.sources.services import import_source_file
from thidua.units.models import Level, Unit, UnitKind

from ..assessments.cast import make_cast
from .helpers import DVC, csv_bytes

RATE_CRITERIA = ["X03", "X04", "X05", "X06", "X07", "X08", "X09", "X10", "X12", "X13"]


@pytest.fixture
def many_communes(units):
    level = Level.objects.get(code="xa")
    Unit.objects.bulk_create(
        Unit(
            code=f"T{i:04d}",
            name=f"Xã thử {i}",
            level=level,
            kind=UnitKind.objects.filter(level=level).first(),
            parent=Unit.objects.get(code="941"),
        )
        for i in range(130)
    )
    return [f"T{i:04d}" for i in range(130)]


@pytest.mark.django_db
def test_it_writes_thousands_of_rows_with_one_history_record_each(many_communes, period):
    user = make_cast()["province"]
    rows = [
        f"{unit},{code},{(i * 7) % 1000 / 10},,"
        for i, (unit, code) in enumerate((u, c) for u in many_communes for c in RATE_CRITERIA)
    ]
    first = import_source_file(
        period=period, data=csv_bytes(*rows), filename="a.csv", label=DVC, user=user
    )
    assert first.row_count == len(rows) == 1300
    assert Assessment.objects.filter(period=period).count() == 130
    assert Assessment.history.filter(history_type="+").count() == 130
    entries = CriterionEntry.objects.filter(assessment__period=period)
    assert entries.count() == 1300
    assert CriterionEntry.history.filter(history_type="+").count() == 1300

    changed = [r.replace(",,", "1,,", 1) if i % 2 else r for i, r in enumerate(rows)]
    second = import_source_file(
        period=period, data=csv_bytes(*changed[:-100]), filename="b.csv", label=DVC, user=user
    )
    assert second.changed_count == sum(1 for i in range(1200) if i % 2)
    assert second.cleared_count == 100
    updates = CriterionEntry.history.filter(history_type="~")
    assert updates.count() == second.changed_count + 100
    # Each record holds what was stored, and who and why.
    for record in updates.order_by("?")[:20]:
        stored = CriterionEntry.objects.get(pk=record.id)
        assert record.verified_inputs == stored.verified_inputs
        assert record.revision == stored.revision == 2
        assert record.history_user_id == user.pk
        assert record.history_change_reason.startswith(f"source_import:{second.pk} ")


@pytest.mark.django_db
def test_it_refuses_an_unknown_column_rather_than_leave_a_gap(units):
    with pytest.raises(ValueError, match="no column"):
        bulk.insert_rows(Assessment, Assessment(), ["no_such_column"], [(1,)])
