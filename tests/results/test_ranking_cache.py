"""The ranking page's content is cached (see thidua.results.page_cache) and every path that
changes what it shows gives a fresh page: input saves, appraisals, recomputes, mark_stale,
state changes, new assessments."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.score_cache import mark_stale, recompute_scores
from thidua.assessments.services import save_self_inputs
from thidua.reviews import services as reviews

from .helpers import make_assessment

OWN = "31498"  # the cast's editor's commune


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def table(client, period) -> str:
    """The ranking table of the communes (the page around it carries a fresh CSRF token)."""
    html = client.get(reverse("results:ranking", args=[period.code, "xa"])).content.decode()
    return re.search(r"<table.*?</table>", html, re.S).group(0)


def row(html: str, code: str) -> str:
    return re.search(rf'<tr [^>]*data-unit="{code}".*?</tr>', html, re.S).group(0)


def lower_x03_behind_the_cache(assessment):
    """Change an input without any service: the stored scores (and the cache) do not know."""
    CriterionEntry.objects.filter(assessment=assessment, criterion_code="X03").update(
        self_inputs={"rate": "0"}
    )


@pytest.fixture
def ranked(client, cast, period):
    assessment = make_assessment(period, OWN)
    make_assessment(period, "31501")
    recompute_scores(period=period)
    client.force_login(cast["province"])
    return assessment


@pytest.mark.django_db
def test_an_unchanged_ranking_is_served_from_the_cache(client, period, ranked):
    before = table(client, period)
    lower_x03_behind_the_cache(ranked)
    assert table(client, period) == before


@pytest.mark.django_db
def test_recompute_and_mark_stale_give_a_fresh_page(client, period, ranked):
    before = row(table(client, period), OWN)
    lower_x03_behind_the_cache(ranked)
    mark_stale([ranked.pk])
    stale = row(table(client, period), OWN)
    assert stale != before  # scored from its inputs
    recompute_scores(period=period)
    assert row(table(client, period), OWN) == stale


@pytest.mark.django_db
def test_a_recompute_gives_a_fresh_page(client, period, ranked):
    before = row(table(client, period), OWN)
    lower_x03_behind_the_cache(ranked)
    recompute_scores(period=period)
    assert row(table(client, period), OWN) != before


@pytest.mark.django_db
def test_a_saved_input_gives_a_fresh_page(client, cast, period, ranked):
    before = row(table(client, period), OWN)
    save_self_inputs(
        assessment=ranked, criterion_code="X03", inputs={"rate": "0"}, user=cast["editor"]
    )
    assert row(table(client, period), OWN) != before


@pytest.mark.django_db
def test_an_appraisal_gives_a_fresh_page(client, cast, period):
    submitted = make_assessment(period, OWN, state=Assessment.State.SUBMITTED)
    recompute_scores(period=period)
    client.force_login(cast["province"])
    before = row(table(client, period), OWN)
    reviews.set_verified_inputs(submitted, cast["province"], "X03", {"rate": "0"}, "QLVB: 0%")
    assert row(table(client, period), OWN) != before


@pytest.mark.django_db
def test_a_state_change_and_a_new_assessment_give_a_fresh_page(client, period, ranked):
    before = table(client, period)
    ranked.state = Assessment.State.FINALIZED
    ranked.save()
    after = table(client, period)
    assert row(after, OWN) != row(before, OWN)
    make_assessment(period, "31504")
    assert 'data-unit="31504"' in table(client, period)


@pytest.mark.django_db
def test_each_viewer_gets_their_own_content(client, cast, period, ranked):
    url = reverse("results:ranking", args=[period.code, "xa"])
    assert '<select name="district"' in client.get(url).content.decode()
    client.force_login(cast["district"])  # held to their district: no district filter
    assert '<select name="district"' not in client.get(url).content.decode()
