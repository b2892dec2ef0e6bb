"""The ranking page's rows ranked by the database equal the exact ranking of every row."""

import pytest
from django.db import connection
from django.urls import reverse

from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import recompute_scores
from thidua.results.ranking import build_ranking
from thidua.results.ranking_page import ranking_page
from thidua.units.models import Level, Unit

from .helpers import make_assessment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the database ranks pages on PostgreSQL only")


def communes(count):
    return list(Unit.objects.filter(level__code="xa").order_by("code")[:count])


def fill_communes(period, count):
    """Totals with ties: three units share each of a few rates of X03 and X04."""
    for index, unit in enumerate(communes(count)):
        rate = str(40 + 10 * (index % 4))
        make_assessment(period, unit.code, overrides={"X03": {"rate": rate}, "X04": {"rate": "60"}})
    recompute_scores(period=period)


def summary(rows):
    return [
        (row.unit.code, row.rank, row.total, row.grade, [r.final_result for r in row.sheet.rows])
        for row in rows
    ]


def test_every_page_holds_the_rows_and_ranks_of_the_exact_ranking(units, period, bands):
    fill_communes(period, 23)
    level = Level.objects.get(code="xa")
    exact = [row for row in build_ranking(period, level).rows if row.assessment.pk]
    paged = []
    for number in (1, 2, 3):
        found = ranking_page(period, level, number=number, per_page=10)
        assert found is not None
        paged += found.ranking.rows
    assert len(paged) == 23
    assert summary(paged) == summary(exact)
    assert len({row.rank for row in paged}) < 23  # there are ties


def test_stale_stored_scores_leave_the_ranking_to_the_exact_path(units, period):
    fill_communes(period, 5)
    Assessment.objects.filter(pk=Assessment.objects.first().pk).update(score_key="")
    assert ranking_page(period, Level.objects.get(code="xa"), number=1, per_page=10) is None


def test_a_false_tie_of_stored_totals_leaves_the_ranking_to_the_exact_path(units, period):
    fill_communes(period, 5)
    totals = Assessment.objects.order_by("final_total")
    first, second = totals.first(), totals.last()
    # Two different exact totals stored with the same rounded total.
    Assessment.objects.filter(pk=second.pk).update(final_total=first.final_total)
    assert first.score_cache["final"] != second.score_cache["final"]
    assert ranking_page(period, Level.objects.get(code="xa"), number=1, per_page=10) is None


def test_the_page_shows_the_second_page_of_units(client, units, period, cast):
    fill_communes(period, 120)
    client.force_login(cast["province"])
    url = reverse("results:ranking", args=[period.code, "xa"])
    html = client.get(url + "?page=2").content.decode()
    exact = build_ranking(period, Level.objects.get(code="xa")).rows
    assert f'data-unit="{exact[100].unit.code}"' in html
    assert f'data-unit="{exact[99].unit.code}"' not in html
