"""Upload → preview → confirm: verified inputs with their source, all or nothing, replaced
on re-import, units flagged where they differ from the source."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine

from thidua.assessments.appraisal import mark_not_applicable, set_verified_inputs
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import score_sheet
from thidua.assessments.timeline import assessment_timeline
from thidua.periods.models import Period
from thidua.sources.models import SourceImport
from thidua.sources.reading import SourceFileError
from thidua.sources.services import (
    ImportRefused,
    confirm_import,
    create_pending_import,
    discard_import,
    dry_run,
    expire_stale_imports,
    import_source_file,
    preview,
)

from ..assessments.cast import make_cast
from .helpers import DVC, assessment_of, csv_bytes, entry, self_report, xlsx_bytes


@pytest.fixture
def cast(units, period):
    return make_cast()


def upload(period, user, *rows, label=DVC, data=None, name="dvc.csv"):
    return create_pending_import(
        period=period, data=data or csv_bytes(*rows), filename=name, label=label, user=user
    )


def apply(period, user, *rows, label=DVC):
    return confirm_import(source_import=upload(period, user, *rows, label=label), user=user)


def final_score(unit_code, code, period):
    assessment = Assessment.objects.get(unit__code=unit_code, period=period)
    row = next(r for r in score_sheet(assessment).rows if r.criterion.code == code)
    return row.final_result.score


def snapshot():
    entries = CriterionEntry.objects.order_by("pk").values_list(
        "pk", "self_inputs", "verified_inputs", "verified_source", "discrepancy", "revision"
    )
    history = CriterionEntry.history.count() + Assessment.history.count()
    return list(entries), history, Assessment.objects.count()


@pytest.mark.django_db
def test_it_previews_a_good_file_then_confirms_it_as_verified_inputs_with_their_source(
    cast, period
):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    before = snapshot()

    pending = upload(period, cast["province"], "31498,X06,90,,", "31501,X06,,45,50")

    assert pending.status == SourceImport.Status.PENDING
    assert pending.row_count == 2 and len(pending.sha256) == 64
    assert pending.uploaded_by == cast["province"]
    assert snapshot() == before  # uploading changes no assessment
    plan = preview(pending)
    assert (plan.changes, plan.new_entries, plan.discrepancies) == (2, 1, 1)
    assert [r.self_rate for r in plan.rows] == [60, None]
    assert snapshot() == before

    applied = confirm_import(source_import=pending, user=cast["province"])

    assert applied.status == SourceImport.Status.APPLIED
    assert applied.decided_by == cast["province"] and applied.decided_at is not None
    assert (applied.changed_count, applied.discrepancy_count) == (2, 1)
    mine = entry("31498", "X06")
    assert mine.self_inputs == {"rate": "60"}
    assert mine.verified_inputs == {"rate": "90"} and mine.verified_source == DVC
    assert mine.verified_by == cast["province"] and mine.discrepancy is True
    assert final_score("31498", "X06", period) == 9
    # A unit that never filled the criterion (nor opened its assessment) gets one.
    other = entry("31501", "X06")
    assert other.self_inputs is None and other.discrepancy is False
    assert other.verified_inputs == {"numerator": 45, "denominator": 50}
    assert final_score("31501", "X06", period) == 9


@pytest.mark.django_db
def test_it_imports_an_xlsx_file_the_same_way(cast, period):
    data = xlsx_bytes([["Mã đơn vị", "Mã tiêu chí", "Tỷ lệ"], [31498, "X06", 72.5]])
    applied = import_source_file(
        period=period, data=data, filename="dvc.xlsx", label=DVC, user=cast["admin"]
    )
    assert applied.file_format == "xlsx"
    assert entry("31498", "X06").verified_inputs == {"rate": "72.5"}
    assert final_score("31498", "X06", period) == Decimal("7.25")


@pytest.mark.django_db
def test_it_records_every_change_in_the_history_with_who_and_the_import(cast, period):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    applied = apply(period, cast["province"], "31498,X06,90,,", "31501,X06,80,,")

    record = entry("31498", "X06").history.first()
    assert record.history_type == "~"
    assert record.history_user == cast["province"]
    assert record.history_change_reason == f"source_import:{applied.pk} {DVC}"
    change = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert change["verified_inputs"] == (None, {"rate": "90"})
    assert change["verified_source"] == ("", DVC)
    created = entry("31501", "X06").history.get()
    assert created.history_type == "+" and created.verified_inputs == {"rate": "80"}
    assessment = Assessment.objects.get(unit__code="31501", period=period)
    assert assessment.history.get().history_change_reason == f"source_import:{applied.pk} {DVC}"
    timeline = assessment_timeline(Assessment.objects.get(unit__code="31498", period=period))
    assert timeline[0].reason.startswith("source_import:")
    assert timeline[0].who == cast["province"].get_full_name()


@pytest.mark.django_db
def test_it_changes_and_keeps_nothing_for_a_file_with_bad_rows(cast, period):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    before = snapshot()
    with pytest.raises(SourceFileError) as caught:
        upload(period, cast["province"], "31498,X06,90,,", "NOPE,X06,90,,", "31501,T03,50,,")
    assert [p.line for p in caught.value.problems] == [3, 4]
    assert snapshot() == before
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("self_inputs", "source", "tolerance", "flagged"),
    [
        ({"rate": "80"}, "85,,", "5", False),  # exactly the tolerance: not flagged
        ({"rate": "80"}, "75,,", "5", False),
        ({"rate": "80"}, "85.01,,", "5", True),  # just above
        ({"rate": "80"}, "74.99,,", "5", True),
        ({"rate": "80,5"}, ",161,200", "0", False),  # 80,5 = 161/200 exactly
        ({"rate": "80"}, "80.01,,", "0", True),
        ({"numerator": 4, "denominator": 5}, "85,,", "5", False),  # 4/5 = 80%
        ({"numerator": 1, "denominator": 3}, "38.33,,", "5", False),  # 33,333… + 5 > 38,33
        ({"numerator": 1, "denominator": 3}, "38.34,,", "5", True),
        ({"numerator": 0, "denominator": 0}, "50,,", "5", False),  # no self rate: no flag
        (None, "50,,", "5", False),  # nothing self-reported: nothing to compare
        ({"rate": "50"}, ",0,0", "5", False),  # no source rate: no flag
    ],
)
def test_it_flags_a_unit_only_beyond_the_tolerance(
    cast, period, self_inputs, source, tolerance, flagged
):
    Period.objects.filter(pk=period.pk).update(discrepancy_tolerance=Decimal(tolerance))
    period.refresh_from_db()
    if self_inputs is not None:
        self_report("31498", "X06", self_inputs, period, cast["editor"])
    pending = upload(period, cast["province"], f"31498,X06,{source}")
    assert [row.discrepancy for row in preview(pending).rows] == [flagged]
    applied = confirm_import(source_import=pending, user=cast["province"])
    assert entry("31498", "X06").discrepancy is flagged
    assert applied.discrepancy_count == int(flagged)


@pytest.mark.django_db
def test_it_replaces_the_previous_values_of_a_source_on_reimport_and_records_it(cast, period):
    first = apply(period, cast["province"], "31498,X06,90,,", "31501,X06,80,,", "31504,X06,70,,")
    second_pending = upload(period, cast["admin"], "31498,X06,95,,")
    plan = preview(second_pending)
    assert [e.criterion_code for e in plan.clears] == ["X06", "X06"]

    second = confirm_import(source_import=second_pending, user=cast["admin"])

    assert entry("31498", "X06").verified_inputs == {"rate": "95"}
    for code in ("31501", "31504"):
        cleared = entry(code, "X06")
        assert (cleared.verified_inputs, cleared.verified_source) == (None, "")
        assert cleared.history.first().history_change_reason.endswith("(bỏ giá trị lần nhập trước)")
    first.refresh_from_db()
    assert first.status == SourceImport.Status.REPLACED
    assert second.replaces == first and first.replaced_by == second
    assert (second.changed_count, second.cleared_count) == (1, 2)
    # Both kept for the record: who, when, which file, how many rows.
    assert [(i.uploaded_by, i.row_count) for i in SourceImport.objects.order_by("pk")] == [
        (cast["province"], 3),
        (cast["admin"], 1),
    ]


@pytest.mark.django_db
def test_it_keeps_what_a_reviewer_changed_since_and_finalized_results_on_reimport(cast, period):
    apply(period, cast["province"], "31498,X06,90,,", "31501,X06,80,,", "31504,X06,70,,")
    reviewed = assessment_of("31501", period, state=Assessment.State.SUBMITTED)
    set_verified_inputs(
        assessment=reviewed,
        criterion_code="X06",
        inputs={"rate": "60"},
        user=cast["province"],
        reason="Kiểm tra tại đơn vị",
    )
    assessment_of("31504", period, state=Assessment.State.FINALIZED)

    pending = upload(period, cast["province"], "31498,X06,95,,")
    plan = preview(pending)
    assert plan.clears == [] and len(plan.kept_finalized) == 1
    confirm_import(source_import=pending, user=cast["province"])

    assert entry("31501", "X06").verified_inputs == {"rate": "60"}
    assert entry("31504", "X06").verified_inputs == {"rate": "70"}


@pytest.mark.django_db
def test_it_recognises_the_same_source_whatever_its_case_and_spacing(cast, period):
    first = apply(period, cast["province"], "31498,X06,90,,")
    second = apply(period, cast["province"], "31501,X06,80,,", label="  cổng DVC   TỈNH ")
    assert second.replaces == first
    assert second.source == DVC  # the spelling it was first given
    assert entry("31498", "X06").verified_inputs is None


@pytest.mark.django_db
def test_it_does_not_replace_the_import_of_another_source(cast, period):
    apply(period, cast["province"], "31498,X06,90,,")
    other = apply(period, cast["province"], "31501,X06,80,,", label="Hệ thống QLVB")
    assert other.replaces is None
    assert entry("31498", "X06").verified_source == DVC
    assert entry("31501", "X06").verified_source == "Hệ thống QLVB"


@pytest.mark.django_db
def test_it_writes_no_history_when_the_same_values_are_imported_again(cast, period):
    apply(period, cast["province"], "31498,X06,90,,")
    count = CriterionEntry.history.count()
    again = apply(period, cast["province"], '31498,X06,"90,0",,')
    assert again.changed_count == 0 and again.status == SourceImport.Status.APPLIED
    assert CriterionEntry.history.count() == count


@pytest.mark.django_db
def test_it_updates_the_flag_on_reimport_after_the_unit_changed_its_rate(cast, period):
    self_report("31498", "X06", {"rate": "90"}, period, cast["editor"])
    apply(period, cast["province"], "31498,X06,90,,")
    assert entry("31498", "X06").discrepancy is False
    self_report("31498", "X06", {"rate": "70"}, period, cast["editor"])
    again = apply(period, cast["province"], "31498,X06,90,,")
    assert again.changed_count == 0 and again.discrepancy_count == 1
    assert entry("31498", "X06").discrepancy is True


@pytest.mark.django_db
def test_it_keeps_a_reviewers_not_applicable_mark(cast, period):
    assessment = assessment_of("31498", period, state=Assessment.State.SUBMITTED)
    mark_not_applicable(
        assessment=assessment, criterion_code="X06", user=cast["province"], reason="Không có TTHC"
    )
    pending = upload(period, cast["province"], "31498,X06,90,,")
    assert preview(pending).na_kept == 1
    confirm_import(source_import=pending, user=cast["province"])
    kept = entry("31498", "X06")
    assert kept.na is True and kept.verified_inputs == {"rate": "90"}
    row = next(r for r in score_sheet(assessment).rows if r.criterion.code == "X06")
    assert row.final_result.status == "na"


@pytest.mark.django_db
def test_it_gives_an_accepted_criterion_the_source_value(cast, period):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    CriterionEntry.objects.filter(criterion_code="X06").update(accepted=True)
    apply(period, cast["province"], "31498,X06,90,,")
    assert entry("31498", "X06").accepted is False


@pytest.mark.django_db
def test_it_lets_a_draft_unit_keep_editing_its_own_inputs(cast, period):
    apply(period, cast["province"], "31498,X06,90,,")
    self_report("31498", "X06", {"rate": "50"}, period, cast["editor"])
    saved = entry("31498", "X06")
    assert saved.self_inputs == {"rate": "50"} and saved.verified_inputs == {"rate": "90"}


@pytest.mark.django_db
def test_it_refuses_the_whole_confirm_when_an_assessment_was_finalized_since_the_upload(
    cast, period
):
    pending = upload(period, cast["province"], "31498,X06,90,,", "31501,X06,80,,")
    assessment_of("31501", period, state=Assessment.State.FINALIZED)
    before = snapshot()
    with pytest.raises(ImportRefused) as caught:
        confirm_import(source_import=pending, user=cast["province"])
    assert caught.value.problems == [
        "Dòng 3: đơn vị 31501 đã chốt kết quả sau khi tệp được tải lên; không nhận số liệu mới"
    ]
    assert snapshot() == before
    pending.refresh_from_db()
    assert pending.status == SourceImport.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Period.State.FINAL, Period.State.ARCHIVED])
def test_it_refuses_imports_into_a_period_with_final_results(cast, period, state):
    pending = upload(period, cast["province"], "31498,X06,90,,")
    Period.objects.filter(pk=period.pk).update(state=state)
    period.refresh_from_db()
    with pytest.raises(ImportRefused):
        upload(period, cast["province"], "31498,X06,90,,")
    with pytest.raises(ImportRefused):
        confirm_import(source_import=pending, user=cast["province"])


@pytest.mark.django_db
def test_it_refuses_to_confirm_an_import_twice_or_after_discarding_it(cast, period):
    applied = apply(period, cast["province"], "31498,X06,90,,")
    with pytest.raises(ImportRefused):
        confirm_import(source_import=applied, user=cast["province"])
    with pytest.raises(ImportRefused):
        discard_import(source_import=applied, user=cast["province"])
    pending = upload(period, cast["province"], "31501,X06,90,,")
    discarded = discard_import(source_import=pending, user=cast["admin"])
    assert discarded.status == SourceImport.Status.DISCARDED
    assert discarded.rows == [] and discarded.row_count == 1
    assert discarded.decided_by == cast["admin"]
    with pytest.raises(ImportRefused):
        confirm_import(source_import=pending, user=cast["province"])
    assert entry("31501", "X06") is None


@pytest.mark.django_db
def test_it_expires_a_pending_import_after_a_day(cast, period):
    start = datetime.datetime(2023, 12, 20, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        pending = upload(period, cast["province"], "31498,X06,90,,")
    with time_machine.travel(start + datetime.timedelta(hours=23, minutes=59), tick=False):
        assert not pending.is_expired()
        assert expire_stale_imports() == 0
    with time_machine.travel(start + datetime.timedelta(hours=24), tick=False):
        assert pending.is_expired() and pending.shown_status == SourceImport.Status.EXPIRED
        with pytest.raises(ImportRefused) as caught:
            confirm_import(source_import=pending, user=cast["province"])
        assert "hết hạn" in caught.value.problems[0]
        assert expire_stale_imports() == 1
    pending.refresh_from_db()
    assert pending.status == SourceImport.Status.EXPIRED and pending.rows == []
    assert entry("31498", "X06") is None


@pytest.mark.django_db
def test_it_reports_what_would_change_on_a_dry_run_and_writes_nothing(cast, period):
    apply(period, cast["province"], "31498,X06,90,,", "31501,X06,80,,")
    self_report("31504", "X06", {"rate": "20"}, period, cast["editor"])
    before = snapshot(), SourceImport.objects.count()
    plan = dry_run(
        period=period,
        data=csv_bytes("31498,X06,90,,", "31504,X06,50,,"),
        filename="a.csv",
        label=DVC,
    )
    assert (len(plan.rows), plan.changes, plan.discrepancies, len(plan.clears)) == (2, 1, 1, 1)
    assert [row.source_rate for row in plan.rows] == [Fraction(90), Fraction(50)]
    assert (snapshot(), SourceImport.objects.count()) == before


@pytest.mark.django_db
def test_it_refuses_the_confirm_when_a_unit_changed_level_since_the_upload(cast, period):
    from thidua.units.models import Level, Unit

    pending = upload(period, cast["province"], "31498,X06,90,,")
    Unit.objects.filter(code="31498").update(level=Level.objects.get(code="huyen"))
    assert [v.unit_code for v in preview(pending).stale] == ["31498"]
    with pytest.raises(ImportRefused, match="không còn thuộc cấp"):
        confirm_import(source_import=pending, user=cast["province"])
    assert entry("31498", "X06") is None
