"""The review queue: scope per role, filters, counts per state, sorting, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.reviews import services
from thidua.reviews.queue import review_queue
from thidua.units.models import Unit

from .conftest import submitted


@pytest.fixture
def queue_units(cast, period, commune, far_commune, agency):
    """31498 submitted, 31528 (district 943) verified-ready, SO-NV returned, 31501 a draft."""
    services.add_comment(agency, cast["province"], "T03", "Thiếu số liệu Cổng DVC")
    services.return_assessment(agency, cast["province"])
    Assessment.objects.create(period=period, unit=Unit.objects.get(code="31501"))
    CriterionEntry.objects.filter(assessment=far_commune, criterion_code="X06").update(
        discrepancy=True
    )
    Assessment.objects.filter(pk=far_commune.pk).update(
        submitted_late=True, submitted_at=datetime.datetime(2023, 12, 20, tzinfo=datetime.UTC)
    )
    return {"commune": commune, "far": far_commune, "agency": agency}


def codes(queue):
    return [row.assessment.unit.code for row in queue.rows]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("province", {"31498", "31528", "SO-NV"}),
        ("admin", {"31498", "31528", "SO-NV"}),
        ("district", {"31498"}),
        ("other_district", {"31528"}),
        # The police has criteria at every level (X09, H11, T12…).
        ("police", {"31498", "31528", "SO-NV"}),
    ],
)
def test_each_reviewer_sees_the_submitted_work_of_its_scope(
    cast, period, queue_units, who, expected
):
    assert set(codes(review_queue(cast[who], period))) == expected


@pytest.mark.django_db
def test_a_sector_appraiser_only_sees_levels_where_it_has_criteria(cast, period, queue_units):
    from thidua.reviews.models import SectorAssignment

    SectorAssignment.objects.filter(reviewer=cast["police"]).exclude(criterion_code="T12").delete()
    assert codes(review_queue(cast["police"], period)) == ["SO-NV"]


FILTERS = [
    ({}, ["SO-NV", "31498", "31528"]),  # same submission time: unit order
    ({"state": "submitted"}, ["31498", "31528"]),
    ({"state": "returned"}, ["SO-NV"]),
    ({"state": "finalized"}, []),
    ({"level": "xa"}, ["31498", "31528"]),
    ({"level": "tinh"}, ["SO-NV"]),
    ({"district": "943"}, ["31528"]),
    ({"late": True}, ["31528"]),
    ({"discrepancy": True}, ["31528"]),
    ({"unresolved": True}, ["SO-NV"]),
    ({"level": "xa", "late": True}, ["31528"]),
]


@pytest.mark.django_db
def test_it_filters(cast, period, queue_units):
    found = [(f, codes(review_queue(cast["province"], period, f))) for f, _ in FILTERS]
    assert found == FILTERS


@pytest.mark.django_db
def test_it_counts_per_state_within_the_other_filters(cast, period, queue_units):
    queue = review_queue(cast["province"], period, {"state": "submitted"})
    assert queue.counts == {"submitted": 2, "verified": 0, "finalized": 0, "returned": 1}
    assert review_queue(cast["province"], period, {"level": "xa"}).counts["returned"] == 0


@pytest.mark.django_db
def test_it_sorts_by_date_or_score(cast, period, queue_units):
    def totals(sort, which):
        queue = review_queue(cast["province"], period, {"sort": sort})
        return [getattr(row.sheet, which).total for row in queue.rows]

    assert totals("-self", "self_total") == sorted(totals("-self", "self_total"), reverse=True)
    assert totals("final", "final_total") == sorted(totals("final", "final_total"))
    assert codes(review_queue(cast["province"], period, {"sort": "-submitted"}))[0] == "31528"


@pytest.mark.django_db
def test_the_page_shows_rows_filters_and_counts(client, cast, period, queue_units):
    client.force_login(cast["province"])
    response = client.get(reverse("reviews:queue", args=["2023"]), {"state": "submitted"})
    html = response.content.decode()
    assert 'id="row-31498"' in html and 'id="row-31528"' in html and 'id="row-SO-NV"' not in html
    assert 'id="count-returned">1<' in html
    bad = client.get(reverse("reviews:queue", args=["2023"]), {"sort": "nonsense", "level": "?"})
    assert bad.status_code == 200  # unknown filter values are ignored


@pytest.mark.django_db
def test_the_queue_does_not_query_per_unit(
    client, cast, period, queue_units, django_assert_max_num_queries
):
    for code in ("31501", "31504", "31507"):
        Assessment.objects.filter(unit__code=code).delete()
        head = cast["head"]
        head.membership.unit = Unit.objects.get(code=code)
        head.membership.save()
        submitted(cast, period, code, head)
    client.force_login(cast["province"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reviews:queue", args=["2023"]))
    assert response.content.decode().count('<tr id="row-') == 6


@pytest.mark.django_db
def test_a_sector_appraiser_sees_its_criteria_on_each_row(client, cast, period, queue_units):
    client.force_login(cast["police"])
    html = client.get(reverse("reviews:queue", args=["2023"])).content.decode()
    row = html.split('id="row-31498"')[1].split("</tr>")[0]
    assert "0/2" in row and "X09, X10" in row
    assert "T12" in html.split('id="row-SO-NV"')[1].split("</tr>")[0]
