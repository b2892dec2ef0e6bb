"""The bulk writer's two paths (COPY, temporary tables and one statement per write with its
history on PostgreSQL; executemany elsewhere) write exactly what the ORM and
django-simple-history would, and the same as each other."""

import datetime
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import transaction

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.sources import bulk
from thidua.sources.services import import_source_file
from thidua.units.models import Unit

from ..assessments.cast import make_cast
from .helpers import DVC, csv_bytes, self_report

NOW = datetime.datetime(2023, 12, 20, 9, 30, tzinfo=datetime.UTC)
IGNORED = {"id", "criterion_code", "discrepancy", "history_id", "history_date"}
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
# The COPY path exists on PostgreSQL only: elsewhere it is not a case, rather than a skip.
PATHS = [pytest.param(False, id="portable")] + (
    [pytest.param(True, id="copy", marks=[pytest.mark.postgres])] if ON_POSTGRES else []
)


@pytest.fixture
def path(request, monkeypatch):
    """Force one path."""
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


@pytest.fixture
def to_update(assessment):
    """Three entries at revision 1, and the verified columns an update sets on them."""
    with time_machine.travel(NOW, tick=False):
        user = make_cast()["province"]
        entries = [
            CriterionEntry.objects.create(assessment=assessment, criterion_code=code, revision=1)
            for code in ("X03", "X04", "X05")
        ]
    constant = {**VERIFIED, "verified_by_id": user.pk, "verified_at": NOW, "updated_at": NOW}
    return user, entries, constant


@pytest.fixture
def saved(assessment):
    """An entry as the ORM and django-simple-history write it (the rows to compare with)."""
    with time_machine.travel(NOW, tick=False):
        user = make_cast()["province"]
        entry = CriterionEntry(
            assessment=assessment,
            criterion_code="X03",
            verified_inputs={"rate": "90.5"},
            verified_by=user,
            verified_at=NOW,
            revision=1,
            **VERIFIED,
        )
        entry._history_user = user
        entry._change_reason = "why"
        entry.save()
    return entry


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
@time_machine.travel(NOW, tick=False)
def test_inserted_rows_and_history_are_those_save_writes(path, assessment, saved):
    user = saved.verified_by

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
def test_updated_rows_are_those_save_writes(path, assessment, to_update):
    _, entries, constant = to_update
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


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
@time_machine.travel(NOW, tick=False)
def test_it_records_the_history_of_new_rows_as_save_does_and_returns_their_ids(
    path, assessment, saved
):
    user = saved.verified_by

    template = CriterionEntry(verified_by=user, verified_at=NOW, revision=1, **VERIFIED)
    ids = bulk.insert_rows(
        CriterionEntry,
        template,
        ["assessment_id", "criterion_code", "verified_inputs", "discrepancy"],
        [(assessment.id, "X04", {"rate": "90.5"}, True), (assessment.id, "X05", None, False)],
        history=bulk.History(user=user, reason="why", date=NOW),
        key=["assessment_id", "criterion_code"],
        return_ids=True,
    )

    written = {e.criterion_code: e for e in CriterionEntry.objects.exclude(pk=saved.pk)}
    assert ids == {(assessment.id, code): e.pk for code, e in written.items()}
    assert columns(written["X04"]) == columns(saved)
    for entry in written.values():
        (record,) = CriterionEntry.history.filter(id=entry.pk)
        assert {k: v for k, v in columns(record).items() if k in columns(entry)} == columns(entry)
        assert record.discrepancy == entry.discrepancy
        assert (record.history_type, record.history_date) == ("+", NOW)
        assert (record.history_user, record.history_change_reason) == (user, "why")
    assert columns(CriterionEntry.history.get(id=written["X04"].pk)) == columns(saved.history.get())


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
@time_machine.travel(NOW, tick=False)
def test_it_returns_the_ids_of_new_rows_without_history_too(path, units, period):
    unit = Unit.objects.get(code="31498")
    key = uuid.uuid4()
    ids = bulk.insert_rows(
        Assessment,
        Assessment(period=period),
        ["unit_id", "uuid"],
        [(unit.pk, key)],
        key=["unit_id", "uuid"],
        return_ids=True,
    )
    created = Assessment.objects.get(uuid=key)
    assert ids == {(unit.pk, key): created.pk}
    assert created.period == period and not Assessment.history.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
@time_machine.travel(NOW, tick=False)
def test_it_records_one_change_per_updated_row_with_who_and_why(path, assessment, to_update):
    user, entries, constant = to_update
    bulk.update_rows(
        CriterionEntry,
        constant,
        ["verified_inputs", "discrepancy"],
        [(entries[0].pk, {"numerator": 45, "denominator": 50}, True), (entries[1].pk, None, False)],
        increment=["revision"],
        history=bulk.History(user=user, reason="source_import:1 DVC", date=NOW),
    )

    records = CriterionEntry.history.filter(history_type="~")
    assert sorted(r.id for r in records) == [entries[0].pk, entries[1].pk]
    for record in records:
        stored = CriterionEntry.objects.get(pk=record.id)
        assert record.verified_inputs == stored.verified_inputs
        assert record.discrepancy == stored.discrepancy
        assert record.revision == stored.revision == 2
        assert record.verified_by == user and record.verified_at == NOW
        assert (record.history_user, record.history_date) == (user, NOW)
        assert record.history_change_reason == "source_import:1 DVC"
    assert CriterionEntry.objects.get(pk=entries[2].pk).revision == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, indirect=True)
def test_it_wants_a_key_to_find_new_rows_again_before_writing_anything(path, units, period):
    unit = Unit.objects.get(code="31498")
    with pytest.raises(ValueError, match="key"):
        bulk.insert_rows(
            Assessment,
            Assessment(period=period),
            ["unit_id", "uuid"],
            [(unit.pk, uuid.uuid4())],
            history=bulk.History(user=None, reason="why", date=NOW),
        )
    with pytest.raises(ValueError, match="key"):
        bulk.insert_rows(
            Assessment, Assessment(period=period), ["unit_id"], [(unit.pk,)], key=["uuid"]
        )
    assert not Assessment.objects.exists()


def _snapshot(period) -> tuple[list, list, list]:
    """Every entry of the period and every history record, without ids (they differ per run)."""
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
            repr(h.self_inputs),
            repr(h.verified_inputs),
            h.verified_source,
            h.discrepancy,
            h.history_user_id,
            h.history_date,
            (h.history_change_reason or "").split(" ", 1)[-1],  # without the import's id
        )
        for h in CriterionEntry.history.filter(assessment_id__in=unit_of)
    )
    assessments = sorted(
        (unit_of[h.id], h.history_type, h.state, h.history_user_id, h.history_date)
        for h in Assessment.history.filter(id__in=unit_of)
    )
    return entries, history, assessments


if ON_POSTGRES:  # the two paths can only be compared where both exist

    @pytest.mark.postgres
    @pytest.mark.django_db
    @time_machine.travel(NOW, tick=False)
    def test_both_paths_leave_the_same_rows_after_a_first_import_and_a_reimport(
        units, period, monkeypatch
    ):
        cast = make_cast()
        user = cast["province"]
        codes = ["X03", "X04", "X05", "X06"]
        units = ["31498", "31501"]
        pairs = [(u, c) for u in units for c in codes]
        rows = [f"{u},{c},{80 + i},," for i, (u, c) in enumerate(pairs)]
        changed = [r.replace(",,", ".5,,", 1) if i % 2 else r for i, r in enumerate(rows)]
        snapshots = {}
        for fast in (True, False):
            monkeypatch.setattr(bulk, "use_copy", lambda fast=fast: fast)
            with transaction.atomic():
                # One entry exists before (updated, flagged), the rest and 31501's assessment
                # are created by the first import.
                self_report("31498", "X03", {"rate": "50"}, period, cast["editor"])
                import_source_file(
                    period=period, data=csv_bytes(*rows), filename="a.csv", label=DVC, user=user
                )
                # The unit now reports what the source says: the flag alone changes.
                self_report("31498", "X03", {"rate": "80"}, period, cast["editor"])
                import_source_file(
                    period=period,
                    data=csv_bytes(*changed[:-2]),
                    filename="b.csv",
                    label=DVC,
                    user=user,
                )
                snapshots[fast] = _snapshot(period)
                transaction.set_rollback(True)
        entries, history, assessments = snapshots[True]
        assert len(entries) == 8
        by_type = [h[2] for h in history if h[10].startswith(DVC)]
        assert by_type.count("+") == 7  # created by the first import
        # 31498 X03 changed by the first import, its flag by the second; 3 values changed,
        # 2 cleared.
        assert by_type.count("~") == 1 + 1 + 3 + 2
        assert [a[1] for a in assessments].count("+") == 2
        assert snapshots[True] == snapshots[False]
