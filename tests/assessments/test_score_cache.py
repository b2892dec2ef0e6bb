"""Stored scores (`score_cache`): written by the services that change inputs, rebuilt by the
idempotent `recompute_scores`, and never trusted once the period's due dates or criteria
differ from those they were computed with."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F

from thidua import scoring
from thidua.assessments import appraisal
from thidua.assessments.demo import create_demo_users, fill_demo_assessments
from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import cached_values, key_for, recompute_scores
from thidua.assessments.scores import score_sheet
from thidua.assessments.services import save_self_inputs
from thidua.criteria.services import scoring_library
from thidua.periods.models import DueDate
from thidua.results.demo import load_demo_2022
from thidua.results.ranking import assign_ranks, build_ranking, scored_levels
from thidua.reviews.demo import fill_demo_reviews
from thidua.units.models import Unit


def computed(assessment: Assessment) -> dict:
    assessment = Assessment.objects.select_related("period__criteria_version", "unit__level").get(
        pk=assessment.pk
    )
    return cached_values(score_sheet(assessment), key_for(assessment))


def assert_stored_equals_computed(assessments) -> int:
    checked = 0
    for assessment in assessments:
        stored = Assessment.objects.get(pk=assessment.pk)
        expected = computed(assessment)
        assert stored.score_key == expected["score_key"], assessment
        # The JSON holds the exact fractions; the Decimal columns are for queries (on
        # SQLite they come back through a float).
        assert stored.score_cache == expected["score_cache"], assessment
        for field in ("self_total", "final_total"):
            assert abs(Decimal(getattr(stored, field)) - expected[field]) < Decimal("1e-9")
        checked += 1
    return checked


@pytest.fixture
def demo(units, period):
    """The demo of `make run` through its services, without the source-data import (a bulk
    writer of its own: see the report on `confirm_import`)."""
    create_demo_users()
    admin = User.objects.get(username="quantri")
    fill_demo_assessments(period, admin)
    fill_demo_reviews(period)
    load_demo_2022(admin)
    return period


@pytest.mark.django_db
def test_it_stores_what_the_score_sheet_computes_after_the_demo_saves_reviews_and_finals(demo):
    states = set(Assessment.objects.values_list("state", flat=True))
    assert {Assessment.State.SUBMITTED, Assessment.State.FINALIZED} <= states
    assert assert_stored_equals_computed(Assessment.objects.all()) >= 16


@pytest.mark.django_db
def test_it_stores_the_new_scores_after_an_accepted_explanation(demo):
    finalized = Assessment.objects.filter(period=demo, state=Assessment.State.FINALIZED).first()
    reviewer = User.objects.get(username="sotttt")
    before = Assessment.objects.get(pk=finalized.pk).score_cache["final"]
    # What `answer_explanation` calls when it accepts: new verified inputs on a final one.
    appraisal.set_verified_inputs(
        assessment=finalized,
        criterion_code={"tinh": "T03", "huyen": "H04", "xa": "X03"}[finalized.unit.level.code],
        inputs={"rate": "10"},
        user=reviewer,
        reason="Giải trình được chấp nhận",
        allowed_states=(Assessment.State.FINALIZED,),
    )
    assert Assessment.objects.get(pk=finalized.pk).score_cache["final"] != before
    assert_stored_equals_computed([finalized])


@pytest.mark.django_db
def test_recompute_is_idempotent_and_rebuilds_cleared_values(demo):
    recompute_scores()
    first = {a.pk: (a.score_key, a.score_cache) for a in Assessment.objects.all()}
    assert recompute_scores() == len(first)
    assert {a.pk: (a.score_key, a.score_cache) for a in Assessment.objects.all()} == first

    Assessment.objects.update(score_key="", score_cache=None, final_total=None)
    call_command("recompute_scores", "--period", demo.code, stdout=io.StringIO())
    rebuilt = Assessment.objects.filter(period=demo)
    assert {a.pk: (a.score_key, a.score_cache) for a in rebuilt} == {
        pk: values for pk, values in first.items() if rebuilt.filter(pk=pk).exists()
    }
    assert_stored_equals_computed(rebuilt)


def computed_ranking(period, level):
    """The ranking as it was built before the cache: every score sheet scored on the spot."""
    ranking = build_ranking(period, level)
    rows = []
    for row in ranking.rows:
        sheet = score_sheet(row.assessment)
        rows.append(
            type(
                "Row",
                (),
                {
                    "code": row.unit.code,
                    "total": sheet.final_total.total,
                    "self_total": sheet.self_total.total,
                    "complete": sheet.final_total.complete,
                    "cells": [(r.final_result.status, r.final_result.score) for r in sheet.rows],
                    "rank": 0,
                },
            )()
        )
    assign_ranks(rows)
    return {r.code: (r.rank, r.total, r.self_total, r.complete, r.cells) for r in rows}


def cached_ranking(period, level):
    return {
        row.unit.code: (
            row.rank,
            row.total,
            row.self_total,
            row.complete,
            [(r.final_result.status, r.final_result.score) for r in row.sheet.rows],
        )
        for row in build_ranking(period, level).rows
    }


@pytest.mark.django_db
def test_the_ranking_from_stored_scores_equals_the_ranking_scored_on_the_spot(demo):
    for level in scored_levels(demo):
        cached = cached_ranking(demo, level)
        assert cached == computed_ranking(demo, level)
        assert any(total > 0 for _, total, *_ in cached.values())


@pytest.mark.django_db
def test_a_changed_due_date_is_never_read_from_stale_stored_scores(demo):
    level = next(lvl for lvl in scored_levels(demo) if lvl.code == "tinh")
    before = cached_ranking(demo, level)
    # A criteria change that no service announces: the due dates of T01 move a year later.
    DueDate.objects.filter(period=demo, criterion_code="T01").update(
        due_on=F("due_on") + datetime.timedelta(days=365)
    )
    after = cached_ranking(demo, level)
    assert after != before
    assert after == computed_ranking(demo, level)
    stale = Assessment.objects.filter(period=demo, unit__level=level).first()
    assert stale.score_key != computed(stale)["score_key"]

    recompute_scores(period=demo)
    assert_stored_equals_computed(Assessment.objects.filter(period=demo))
    assert cached_ranking(demo, level) == after


@pytest.mark.django_db
def test_an_instance_loaded_before_a_save_does_not_put_old_scores_back(units, period):
    admin = User.objects.create_user("admin-cache")
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    loaded_early = Assessment.objects.get(pk=assessment.pk)
    save_self_inputs(assessment=assessment, criterion_code="X03", inputs={"rate": "80"}, user=admin)
    loaded_early.submitted_late = True
    loaded_early.save()

    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.submitted_late
    assert stored.score_cache["cells"]["X03"][0] == "scored"
    assert_stored_equals_computed([assessment])


def totals_by_score_level(sheet):
    """The totals as `score_sheet` computed them before `level_total`: `score_level` over the
    inputs that could be scored."""
    self_inputs, final_inputs = {}, {}
    for row in sheet.rows:
        code, entry = row.criterion.code, row.entry
        if entry is not None and entry.na:
            final = {"na": True, "reason": entry.na_reason}
        else:
            final = row.verified_inputs if row.verified_inputs is not None else row.self_inputs
        if row.self_result.status not in ("not_scored", "needs_na") and row.self_inputs:
            self_inputs[code] = row.self_inputs
        if row.final_result.status not in ("not_scored", "needs_na") and final:
            final_inputs[code] = final
    meta = scoring_library(sheet.assessment.period.criteria_version).meta
    return [
        scoring.score_level(sheet.level, inputs, na_policy=meta.na_policy, decimals=sheet.decimals)
        for inputs in (self_inputs, final_inputs)
    ]


@pytest.mark.django_db
def test_level_totals_from_computed_results_equal_score_level(demo):
    def summary(result):
        statuses = [r.status for r in result.results]
        return result.total, result.earned, result.applicable_max, result.complete, statuses

    for assessment in Assessment.objects.select_related("period__criteria_version", "unit__level"):
        sheet = score_sheet(assessment)
        expected_self, expected_final = totals_by_score_level(sheet)
        assert summary(sheet.self_total) == summary(expected_self)
        assert summary(sheet.final_total) == summary(expected_final)


@pytest.mark.django_db
def test_assessments_marked_stale_by_a_bulk_writer_are_scored_from_their_inputs(demo):
    from thidua.assessments.models import CriterionEntry
    from thidua.assessments.score_cache import mark_stale

    level = next(lvl for lvl in scored_levels(demo) if lvl.code == "xa")
    entry = CriterionEntry.objects.filter(
        assessment__period=demo, assessment__unit__level=level, criterion_code="X03"
    ).first()
    changed = entry.assessment
    before = cached_ranking(demo, level)
    # What a bulk import does: entries written without the services, then marked.
    CriterionEntry.objects.filter(pk=entry.pk).update(verified_inputs={"rate": "1"}, na=False)
    assert mark_stale([changed.pk]) == 1
    after = cached_ranking(demo, level)
    assert after[changed.unit.code] != before[changed.unit.code]
    assert after == computed_ranking(demo, level)
    recompute_scores(assessment_ids=[changed.pk])
    assert_stored_equals_computed([changed])


@pytest.mark.django_db
def test_a_source_import_stores_fresh_scores_once_it_commits(
    units, period, django_capture_on_commit_callbacks
):
    from thidua.sources.demo import import_demo_source_data

    create_demo_users()
    admin = User.objects.get(username="quantri")
    fill_demo_assessments(period, admin)
    with django_capture_on_commit_callbacks(execute=True):
        applied = import_demo_source_data(period, admin)
    assert applied.changed_count > 0
    assert assert_stored_equals_computed(Assessment.objects.filter(period=period)) >= 16


@pytest.mark.django_db
def test_a_large_source_import_is_read_exactly_until_the_timer_stores_its_scores(
    units, period, settings, django_capture_on_commit_callbacks
):
    from thidua.sources.demo import import_demo_source_data

    settings.THIDUA_INLINE_RECOMPUTE_LIMIT = 0  # as if it changed more than a request may
    create_demo_users()
    admin = User.objects.get(username="quantri")
    fill_demo_assessments(period, admin)
    with django_capture_on_commit_callbacks(execute=True):
        import_demo_source_data(period, admin)
    stale_count = Assessment.objects.filter(period=period, score_key="").count()
    assert stale_count > 0
    for level in scored_levels(period):
        assert cached_ranking(period, level) == computed_ranking(period, level)

    out = io.StringIO()
    call_command("recompute_scores", "--stale", stdout=out)
    assert f"của {stale_count} bản" in out.getvalue()
    assert not Assessment.objects.filter(period=period, score_key="").exists()
    assert assert_stored_equals_computed(Assessment.objects.filter(period=period)) >= 16
    out = io.StringIO()
    call_command("recompute_scores", "--stale", stdout=out)
    assert "của 0 bản" in out.getvalue()
