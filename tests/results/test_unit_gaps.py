"""A unit's gap analysis page: criteria by points lost, each with what it would take."""

import pytest
from django.urls import reverse

from .helpers import make_assessment


@pytest.mark.django_db
def test_a_unit_sees_where_it_lost_points_most_first(client, cast, period):
    make_assessment(
        period,
        "31498",
        overrides={"X03": {"rate": "40"}},
        skip=("X01",),
    )
    client.force_login(cast["editor"])
    response = client.get(reverse("results:unit_gaps", args=["2023", "31498"]))
    gaps = response.context["gaps"]
    assert [gap.code for gap in gaps][:1] == [max(gaps, key=lambda g: g.lost).code]
    assert {gap.code for gap in gaps} == {"X01", "X03"}
    html = response.content.decode()
    assert "X01: chưa chấm" in html
    assert "X03: đạt 40%" in html
    assert response.context["lost"] == sum(gap.lost for gap in gaps)


@pytest.mark.django_db
def test_a_unit_at_full_points_has_no_gap(client, cast, period):
    make_assessment(period, "31498")
    client.force_login(cast["head"])
    response = client.get(reverse("results:unit_gaps", args=["2023", "31498"]))
    assert response.context["gaps"] == []
    assert response.context["lost"] == 0
