"""Every review view against every role: exact status codes, and nothing changes when refused.

The commune 31498 (district 941) has submitted. 302 means the view ran (the service may still
refuse with a message); anonymous callers are redirected to the login page instead.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from thidua.assessments.models import Assessment
from thidua.reviews.models import ReviewComment

ROLES = [
    "editor",
    "head",
    "district",
    "other_district",
    "province",
    "police",
    "awards",
    "viewer",
    "admin",
    "outsider",
    "anonymous",
]

UNIT = ("2023", "31498")

# view → expected status per role, in ROLES order.
GETS = [
    (("queue", ("2023",)), [404, 404, 200, 200, 200, 200, 404, 404, 200, 404, 302]),
    (("unit", UNIT), [404, 404, 200, 404, 200, 200, 404, 404, 200, 404, 302]),
]
POSTS = [
    (("decide", (*UNIT, "X03", "accept"), {"a-X03-reason": ""}),
     [404, 404, 302, 404, 302, 403, 404, 404, 403, 404, 302]),
    (("decide", (*UNIT, "X09", "accept"), {"a-X09-reason": ""}),
     [404, 404, 302, 404, 302, 302, 404, 404, 403, 404, 302]),
    (("decide", (*UNIT, "X03", "comment"), {"cm-X03-text": "Bổ sung minh chứng"}),
     [404, 404, 302, 404, 302, 403, 404, 404, 403, 404, 302]),
    (("comment", UNIT, {"general-text": "Ý kiến chung"}),
     [404, 404, 302, 404, 302, 403, 404, 404, 403, 404, 302]),
    (("accept_remaining", UNIT, {}),
     [404, 404, 302, 404, 302, 302, 404, 404, 403, 404, 302]),
    (("return", UNIT, {"return-c_X03": "Thiếu văn bản"}),
     [404, 404, 302, 404, 302, 403, 404, 404, 403, 404, 302]),
    (("verify", UNIT, {}),
     [404, 404, 302, 404, 403, 403, 404, 404, 403, 404, 302]),
    (("finalize", UNIT, {}),
     [404, 404, 403, 404, 302, 403, 404, 404, 403, 404, 302]),
    (("reopen", UNIT, {"reopen-reason": "Sai số liệu"}),
     [404, 404, 403, 404, 302, 403, 404, 404, 403, 404, 302]),
]  # fmt: skip


def _login(client, cast, role):
    client.logout()
    if role != "anonymous":
        client.force_login(cast[role])


def _params(table):
    return [
        pytest.param(view, statuses, id="-".join([view[0], *view[1][2:]]))
        for view, statuses in table
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "statuses"), _params(GETS))
def test_it_answers_each_page_with_the_status_of_the_callers_role(
    client, cast, commune, view, statuses
):
    name, args = view
    answered = {}
    for role in ROLES:
        _login(client, cast, role)
        response = client.get(reverse(f"reviews:{name}", args=args))
        answered[role] = response.status_code
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
    assert answered == dict(zip(ROLES, statuses, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "statuses"), _params(POSTS))
def test_it_answers_each_action_with_the_status_of_the_callers_role(
    client, cast, commune, view, statuses
):
    name, args, data = view
    answered = {}
    for role, status in zip(ROLES, statuses, strict=True):
        # Each caller starts from the same submitted commune: its changes are rolled back.
        with transaction.atomic():
            _login(client, cast, role)
            response = client.post(reverse(f"reviews:{name}", args=args), data)
            answered[role] = response.status_code
            if role == "anonymous":
                assert response["Location"].startswith("/accounts/login/")
            elif response.status_code == 302:
                assert response["Location"].startswith(reverse("reviews:unit", args=UNIT))
            if status != 302 or role == "anonymous":
                commune.refresh_from_db()
                assert commune.state == Assessment.State.SUBMITTED, role
                assert not commune.entries.filter(accepted=True).exists(), role
                assert not ReviewComment.objects.exists(), role
            transaction.set_rollback(True)
    assert answered == dict(zip(ROLES, statuses, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["district", "province", "police"])
def test_it_gives_404_for_a_criterion_outside_the_units_level(client, cast, commune, role):
    client.force_login(cast[role])
    response = client.post(reverse("reviews:decide", args=[*UNIT, "T01", "accept"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_it_gives_404_for_an_unknown_action(client, cast, commune):
    client.force_login(cast["province"])
    response = client.post(reverse("reviews:decide", args=[*UNIT, "X03", "delete"]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["queue", "unit"])
def test_the_pages_refuse_post_and_the_actions_refuse_get(client, cast, commune, name):
    client.force_login(cast["province"])
    args = ["2023"] if name == "queue" else UNIT
    assert client.post(reverse(f"reviews:{name}", args=args)).status_code == 405
    assert client.get(reverse("reviews:finalize", args=UNIT)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        *[("province", 302), ("district", 302), ("police", 302), ("admin", 302)],
        *[("editor", 404), ("awards", 404), ("viewer", 404), ("outsider", 404)],
    ],
)
def test_the_index_leads_reviewers_to_the_current_periods_queue(client, cast, role, status):
    client.force_login(cast[role])
    response = client.get(reverse("reviews:index"))
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == reverse("reviews:queue", args=["2023"])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["province", "district", "admin"])
def test_a_unit_that_has_not_started_is_shown_without_actions(client, cast, who):
    client.force_login(cast[who])
    response = client.get(reverse("reviews:unit", args=["2023", "31501"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="transitions"' not in html and "act-verify" not in html
    assert not Assessment.objects.filter(unit__code="31501").exists()  # reading creates nothing


@pytest.mark.django_db
def test_a_sector_appraiser_sees_its_own_criteria_and_the_others_on_request(client, cast, commune):
    client.force_login(cast["police"])
    url = reverse("reviews:unit", args=UNIT)
    mine = client.get(url).content.decode()
    assert 'id="crit-X09"' in mine and 'id="crit-X10"' in mine and 'id="crit-X03"' not in mine
    everything = client.get(url, {"all": "1"}).content.decode()
    assert 'id="crit-X03"' in everything
    assert "act-verify" not in everything.split('id="crit-X03"')[1].split("</article>")[0]
