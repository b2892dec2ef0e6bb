"""The ranking page's content is cached (see thidua.results.page_cache) and every path that
changes what it shows gives a fresh page: input saves, appraisals, recomputes, mark_stale,
state changes, new assessments, grade bands, due dates."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.score_cache import mark_stale, recompute_scores
from thidua.assessments.services import save_self_inputs
from thidua.results.models import GradeBand
from thidua.results.page_cache import period_stamp
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


@pytest.mark.django_db
def test_grade_bands_and_due_dates_give_a_fresh_page(client, period, ranked):
    band = GradeBand.objects.create(period=period, name="Hạng Thử", min_total=0)
    graded = table(client, period)
    assert "Hạng Thử" in row(graded, OWN)
    band.name = "Hạng Đổi"
    band.save()
    assert "Hạng Đổi" in row(table(client, period), OWN)
    band.min_total = Decimal("100.5")  # above any total
    band.save()
    assert "Hạng Đổi" not in row(table(client, period), OWN)

    stamp = period_stamp(period)
    due = period.due_dates.first()
    assert due is not None, "the 2435 demo period has deadline criteria"
    due.due_on = due.due_on.replace(year=due.due_on.year + 1)
    due.save()
    assert period_stamp(period) != stamp


@pytest.mark.django_db
def test_the_admin_shows_assessments_read_only(client, cast, period, ranked):
    """The cache never sees an assessment deleted or an entry changed behind the services."""
    admin = cast["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    change = reverse("admin:assessments_assessment_change", args=[ranked.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()  # shown, not editable
    assert client.post(change, {"state": "finalized"}).status_code == 403
    delete = reverse("admin:assessments_assessment_delete", args=[ranked.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    ranked.refresh_from_db()
    assert ranked.state != Assessment.State.FINALIZED
