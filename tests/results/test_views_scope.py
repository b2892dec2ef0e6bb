"""Every results view against every role of the cast: exact status codes.

Decisions (see thidua/results/access.py): read-all roles see everything; district reviewers
see the rankings and weak criteria of their communes; unit roles see their own level's
ranking once results are published (reduced: no criterion scores, no other unit's sheet);
a user without a role gets 403; anonymous callers go to the login page.
"""

import pytest
from django.urls import reverse

from thidua.periods.models import Period
from thidua.units.models import Level

from .helpers import make_assessment

ROLES = [
    "editor",
    "head",
    "other_editor",
    "other_head",
    "district",
    "other_district",
    "province",
    "awards",
    "viewer",
    "admin",
    "outsider",
]
READ_ALL = {"province": 200, "awards": 200, "viewer": 200, "admin": 200}
UNIT_ROLES = ("editor", "head", "other_editor", "other_head")


def expected(table, who):
    return table.get(who, 403)


# view name, args, {period state: {role: status}} (roles not listed: 403)
OPEN_PERIOD = {
    ("ranking", ("2023", "tinh")): READ_ALL,
    ("ranking", ("2023", "xa")): {**READ_ALL, "district": 200, "other_district": 200},
    ("ranking", ("2023", "huyen")): READ_ALL,
    ("level_gaps", ("2023", "xa")): {**READ_ALL, "district": 200, "other_district": 200},
    ("level_gaps", ("2023", "tinh")): READ_ALL,
    ("dashboard", ("2023",)): READ_ALL,
    ("dashboard_latest", ()): dict.fromkeys(READ_ALL, 302),
    ("ranking_default", ("2023",)): {
        **dict.fromkeys(READ_ALL, 302),
        "district": 302,
        "other_district": 302,
    },
    ("index", ()): dict.fromkeys(ROLES, 200),
    # a unit's gap analysis follows the score sheet's scope: 404 outside it
    ("unit_gaps", ("2023", "31498")): {
        **READ_ALL,
        "editor": 200,
        "head": 200,
        "other_editor": 404,
        "other_head": 404,
        "district": 200,
        "other_district": 404,
        "outsider": 404,
    },
}
PUBLISHED_PERIOD = {
    **OPEN_PERIOD,
    ("ranking", ("2023", "xa")): {
        **READ_ALL,
        "district": 200,
        "other_district": 200,
        **dict.fromkeys(UNIT_ROLES, 200),
    },
    ("ranking_default", ("2023",)): {
        **dict.fromkeys(READ_ALL, 302),
        "district": 302,
        "other_district": 302,
        **dict.fromkeys(UNIT_ROLES, 302),
    },
}


@pytest.fixture
def filled(cast, period):
    make_assessment(period, "31498")
    make_assessment(period, "31528", overrides={"X03": {"rate": "10"}})
    make_assessment(period, "SO-NV")


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "args"), list(OPEN_PERIOD))
@pytest.mark.parametrize("who", ROLES)
def test_results_views_follow_the_scope_while_the_period_is_open(
    client, cast, filled, view, args, who
):
    client.force_login(cast[who])
    response = client.get(reverse(f"results:{view}", args=args))
    assert response.status_code == expected(OPEN_PERIOD[(view, args)], who)


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "args"), list(PUBLISHED_PERIOD))
@pytest.mark.parametrize("who", ROLES)
def test_results_views_follow_the_scope_once_results_are_published(
    client, cast, filled, period, view, args, who
):
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)
    client.force_login(cast[who])
    response = client.get(reverse(f"results:{view}", args=args))
    assert response.status_code == expected(PUBLISHED_PERIOD[(view, args)], who)


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "args"), list(OPEN_PERIOD))
def test_anonymous_callers_are_sent_to_login(client, cast, view, args):
    response = client.get(reverse(f"results:{view}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["admin", "province", "awards", "viewer", "district", "editor", "head", "outsider"]
)
def test_only_administrators_and_provincial_reviewers_switch_the_public_page(client, cast, who):
    client.force_login(cast[who])
    response = client.post(reverse("results:public_switch", args=["2023"]), {"enabled": "1"})
    assert response.status_code == (302 if who in ("admin", "province") else 403)


@pytest.mark.django_db
def test_the_public_switch_takes_no_get(client, cast):
    client.force_login(cast["admin"])
    assert client.get(reverse("results:public_switch", args=["2023"])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/results/2099/ranking/tinh/",
        "/results/2023/ranking/nope/",
        "/results/2023/ranking/tinh/?kind=nope",
        "/results/2023/ranking/xa/?district=nope",
        "/results/2023/gaps/nope/",
        "/results/2099/dashboard/",
        "/results/2023/units/NOPE/gaps/",
    ],
)
def test_unknown_periods_levels_and_filters_are_404(client, cast, url):
    client.force_login(cast["province"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_district_reviewer_ranks_only_their_communes(client, cast, filled):
    client.force_login(cast["district"])
    response = client.get(reverse("results:ranking", args=["2023", "xa"]) + "?district=943")
    html = response.content.decode()
    assert "Phường 5" in html
    assert "Thị trấn Kế Sách" not in html  # the district filter cannot take them elsewhere
    rows = [row.unit.code for row, _ in response.context["rows"]]
    assert rows == ["31498"]


@pytest.mark.django_db
def test_a_unit_sees_the_published_ranking_without_other_units_details(
    client, cast, filled, period
):
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)
    client.force_login(cast["editor"])
    html = client.get(reverse("results:ranking", args=["2023", "xa"])).content.decode()
    assert "Phường 5" in html and "Thị trấn Kế Sách" in html
    assert reverse("assessments:sheet", args=["2023", "31498"]) in html
    assert reverse("assessments:sheet", args=["2023", "31528"]) not in html
    assert reverse("results:unit_gaps", args=["2023", "31528"]) not in html
    assert "crit-col" not in html  # no per-criterion scores
    assert 'class="own ' in html


@pytest.mark.django_db
def test_read_all_roles_see_every_criterion_and_every_sheet(client, cast, filled):
    client.force_login(cast["viewer"])
    html = client.get(reverse("results:ranking", args=["2023", "xa"])).content.decode()
    assert reverse("assessments:sheet", args=["2023", "31528"]) in html
    assert reverse("results:unit_gaps", args=["2023", "31528"]) in html
    assert "X03" in html


@pytest.mark.django_db
def test_a_level_the_criteria_do_not_score_has_no_ranking(client, cast):
    Level.objects.create(code="dac_khu", name="Đặc khu", import_code="special", order=9)
    client.force_login(cast["province"])
    assert client.get(reverse("results:ranking", args=["2023", "dac_khu"])).status_code == 404
    assert client.get(reverse("results:dashboard", args=["2023"])).status_code == 200
    html = client.get(reverse("results:index")).content.decode()
    assert "dac_khu" not in html
