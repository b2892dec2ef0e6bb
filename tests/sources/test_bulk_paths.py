"""The bulk writer's two paths (COPY and arrays on PostgreSQL, executemany elsewhere) write
exactly what the ORM and django-simple-history would, and the same as each other."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.sources import bulk
from thidua.sources.services import import_source_file
from thidua.units.models import Unit

from ..assessments.cast import make_cast
from .helpers import DVC, csv_bytes

NOW = datetime.datetime(2023, 12, 20, 9, 30, tzinfo=datetime.UTC)
IGNORED = {"id", "criterion_code", "discrepancy", "history_id", "history_date"}
PATHS = [
    pytest.param(False, id="portable"),
    pytest.param(True, id="copy", marks=[pytest.mark.postgres]),
]


@pytest.fixture
def path(request, monkeypatch):
    """Force one path; the COPY one only where it exists."""
    if request.param and connection.vendor != "postgresql":
        pytest.skip("the COPY path needs PostgreSQL")
    monkeypatch.setattr(bulk, "use_copy", lambda: request.param)
    return request.param


def columns(instance) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in IGNORED
    }


@pytest.fixture
def assessment(units, period):
    return Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))


VERIFIED = {"verified_source": DVC, "review_reason": "Theo số liệu", "accepted": False}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
@time_machine.travel(NOW, tick=False)
def test_inserted_rows_and_history_are_those_save_writes(path, assessment):
    user = make_cast()["province"]
    saved = CriterionEntry(
        assessment=assessment,
        criterion_code="X03",
        verified_inputs={"rate": "90.5"},
        verified_by=user,
        verified_at=NOW,
        revision=1,
        **VERIFIED,
    )
    saved._history_user = user
    saved._change_reason = "why"
    saved.save()

    template = CriterionEntry(verified_by=user, verified_at=NOW, revision=1, **VERIFIED)
    varying = ["assessment_id", "criterion_code", "verified_inputs", "discrepancy"]
    bulk.insert_rows(
        CriterionEntry,
        template,
        varying,
        [(assessment.id, "X04", {"rate": "90.5"}, True), (assessment.id, "X05", None, False)],
    )
    written = CriterionEntry.objects.get(assessment=assessment, criterion_code="X04")
    bulk.copy_to_history(
        CriterionEntry, [written.pk], history_type="+", user=user, reason="why", date=NOW
    )

    assert columns(written) == columns(saved)
    assert written.discrepancy is True
    # None is SQL NULL, as JSONField stores it, not the JSON null.
    assert CriterionEntry.objects.filter(criterion_code="X05", verified_inputs__isnull=True)
    record = CriterionEntry.history.get(id=written.pk)
    assert columns(record) == columns(saved.history.get())
    assert record.history_date == NOW


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
@time_machine.travel(NOW, tick=False)
def test_updated_rows_are_those_save_writes(path, assessment):
    user = make_cast()["province"]
    entries = [
        CriterionEntry.objects.create(assessment=assessment, criterion_code=code, revision=1)
        for code in ("X03", "X04", "X05")
    ]
    constant = {**VERIFIED, "verified_by_id": user.pk, "verified_at": NOW, "updated_at": NOW}
    bulk.update_rows(
        CriterionEntry,
        constant,
        ["verified_inputs", "discrepancy"],
        [(entries[0].pk, {"numerator": 45, "denominator": 50}, True), (entries[1].pk, None, False)],
        increment=["revision"],
    )
    bulk.update_rows(CriterionEntry, constant, [], [], increment=["revision"])  # nothing to do

    by_hand = entries[2]
    for name, value in constant.items():
        setattr(by_hand, name, value)
    by_hand.verified_inputs = {"numerator": 45, "denominator": 50}
    by_hand.revision = 2
    by_hand.save()
    first, second = (CriterionEntry.objects.get(pk=e.pk) for e in entries[:2])
    assert columns(first) == columns(CriterionEntry.objects.get(pk=by_hand.pk))
    assert first.discrepancy is True
    assert second.verified_inputs is None and second.revision == 2
    assert CriterionEntry.objects.filter(pk=second.pk, verified_inputs__isnull=True).exists()


def _snapshot(period) -> tuple[list, list]:
    """Every entry and history record of the period, without ids (they differ per run)."""
    unit_of = dict(Assessment.objects.filter(period=period).values_list("id", "unit__code"))
    entries = sorted(
        (
            unit_of[e.assessment_id],
            e.criterion_code,
            e.discrepancy,
            repr(sorted((k, v) for k, v in columns(e).items() if k != "assessment_id")),
        )
        for e in CriterionEntry.objects.filter(assessment__period=period)
    )
    history = sorted(
        (
            unit_of[h.assessment_id],
            h.criterion_code,
            h.history_type,
            h.revision,
            repr(h.verified_inputs),
            h.discrepancy,
            h.history_change_reason.split(" ", 1)[1],  # without the import's id
        )
        for h in CriterionEntry.history.filter(assessment_id__in=unit_of)
    )
    return entries, history


@pytest.mark.postgres
@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_both_paths_leave_the_same_rows_after_an_import_and_a_reimport(units, period, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path needs PostgreSQL")
    user = make_cast()["province"]
    codes = ["X03", "X04", "X05", "X06"]
    units = ["31498", "31501"]
    rows = [f"{u},{c},{80 + i},," for i, (u, c) in enumerate((u, c) for u in units for c in codes)]
    changed = [r.replace(",,", ".5,,", 1) if i % 2 else r for i, r in enumerate(rows)]
    snapshots = {}
    for fast in (True, False):
        monkeypatch.setattr(bulk, "use_copy", lambda fast=fast: fast)
        with transaction.atomic():
            for name, data in (("a.csv", rows), ("b.csv", changed[:-2])):
                import_source_file(
                    period=period, data=csv_bytes(*data), filename=name, label=DVC, user=user
                )
            snapshots[fast] = _snapshot(period)
            transaction.set_rollback(True)
    entries, history = snapshots[True]
    assert len(entries) == 8
    assert len(history) == 8 + 3 + 2  # created, changed, cleared
    assert snapshots[True] == snapshots[False]
