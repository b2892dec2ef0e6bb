"""No N+1: the ranking page and a unit's assessment page run a fixed number of queries,
however many units are ranked or criteria filled and evidenced."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.fill import fill_assessment
from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import recompute_scores
from thidua.units.models import Unit

from .helpers import make_assessment


def queries(client, url) -> int:
    cache.clear()  # the ranking content is cached: measure the rendering, not a cache hit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def communes():
    return list(
        Unit.objects.filter(level__code="xa").order_by("code").values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_the_ranking_page_runs_as_many_queries_for_3_communes_as_for_30(client, cast, period):
    codes = communes()
    assert len(codes) >= 30
    url = reverse("results:ranking", args=[period.code, "xa"])
    client.force_login(cast["province"])
    for code in codes[:3]:
        make_assessment(period, code)
    recompute_scores(period=period)
    client.get(url)  # the first request fills per-process caches (library, content types)
    few = queries(client, url)

    for code in codes[3:30]:
        make_assessment(period, code, overrides={"X03": {"rate": "70"}})
    recompute_scores(period=period)
    assert queries(client, url) == few

    # Assessments never stored (or stored under other due dates) are scored from their
    # entries, fetched together: as many queries for 10 of them as for 20.
    for code in codes[30:40]:
        make_assessment(period, code)
    stale = queries(client, url)
    for code in codes[40:50]:
        make_assessment(period, code)
    assert queries(client, url) == stale


@pytest.mark.django_db
def test_the_assessment_page_runs_as_many_queries_for_2_criteria_as_for_all(client, cast, period):
    unit = Unit.objects.get(code="31498")
    assessment = Assessment.objects.create(period=period, unit=unit)
    url = reverse("assessments:detail", args=[period.code, unit.code])
    client.force_login(cast["editor"])
    level = fill_assessment(assessment, cast["editor"], skip=("X03", "X04", "X05", "X06"))
    codes = [criterion.code for criterion in level.criteria]
    client.get(url)
    some = queries(client, url)

    fill_assessment(assessment, cast["editor"])  # every criterion, evidence for each again
    assert len(codes) == 14
    assert queries(client, url) == some
