"""Every assessment view against every role of the cast: exact status codes."""

import pytest
from django.urls import reverse

from .cast import make_cast

# role → expected status for a GET of a read view of commune 31498 (district 941).
READ = {
    "editor": 200,
    "head": 200,
    "other_editor": 404,
    "other_head": 404,
    "district": 200,
    "other_district": 404,
    "province": 200,
    "awards": 200,
    "viewer": 200,
    "admin": 200,
    "outsider": 404,
}
# role → expected status for a write (POST) on commune 31498 while its draft is open.
WRITE = {
    "editor": None,  # allowed: the view decides (redirect / 200)
    "head": None,
    "other_editor": 404,
    "other_head": 404,
    "district": 403,
    "other_district": 404,
    "province": 403,
    "awards": 403,
    "viewer": 403,
    "admin": 403,
    "outsider": 404,
}
READ_VIEWS = ["detail", "sheet", "history", "workbook_export"]


@pytest.fixture
def cast(units, period):
    return make_cast()


def url(name, *extra):
    return reverse(f"assessments:{name}", args=["2023", "31498", *extra])


@pytest.mark.django_db
@pytest.mark.parametrize("view", READ_VIEWS)
@pytest.mark.parametrize("who", sorted(READ))
def test_read_views_follow_the_scope(client, cast, view, who):
    client.force_login(cast[who])
    assert client.get(url(view)).status_code == READ[who]


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(READ))
def test_a_single_criterion_panel_follows_the_scope(client, cast, who):
    client.force_login(cast[who])
    assert client.get(url("criterion", "X03")).status_code == READ[who]


@pytest.mark.django_db
@pytest.mark.parametrize("view", [*READ_VIEWS, "period_units"])
def test_anonymous_callers_are_sent_to_login(client, cast, view):
    target = (
        reverse("assessments:period_units", args=["2023"]) if view == "period_units" else url(view)
    )
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "extra"), [("submit", ()), ("workbook_import", ()), ("save", ("X03",))]
)
@pytest.mark.parametrize("who", sorted(WRITE))
def test_writes_follow_the_scope_and_the_role(client, cast, view, extra, who):
    client.force_login(cast[who])
    response = client.post(url(view, *extra), {})
    expected = WRITE[who]
    if expected is None:
        # Only the head submits; other allowed writes redirect back with a message.
        expected = 403 if view == "submit" and who == "editor" else 302
    assert response.status_code == expected


@pytest.mark.django_db
def test_writes_by_get_are_not_allowed(client, cast):
    client.force_login(cast["head"])
    assert client.get(url("submit")).status_code == 405
    assert client.get(url("save", "X03")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "location"),
    [
        ("editor", "/periods/2023/units/31498/"),
        ("head", "/periods/2023/units/31498/"),
        ("district", "/periods/2023/units/"),
    ],
)
def test_home_sends_unit_staff_to_their_own_work(client, cast, who, location):
    client.force_login(cast[who])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["province", "awards", "viewer", "admin", "outsider"])
def test_home_shows_the_periods_to_everyone_else(client, cast, who):
    client.force_login(cast[who])
    assert client.get("/").status_code == 200
