import pytest
from django.urls import reverse

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.units.models import Unit

from .cast import make_cast

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cast(units, period):
    return make_cast()


def save_url(criterion_code, unit_code="31498"):
    return reverse("assessments:save", args=["2023", unit_code, criterion_code])


def post(client, user, criterion_code, data, unit_code="31498"):
    client.force_login(user)
    prefixed = {f"{criterion_code}-{key}": value for key, value in data.items()}
    return client.post(save_url(criterion_code, unit_code), prefixed, **HTMX)


def stored(criterion_code, unit_code="31498"):
    entry = CriterionEntry.objects.filter(
        assessment__unit__code=unit_code, criterion_code=criterion_code
    ).first()
    return entry.self_inputs if entry else None


@pytest.mark.django_db
def test_it_saves_a_valid_rate_and_returns_the_live_score(client, cast):
    response = post(client, cast["editor"], "X03", {"rate": "45", "revision": 0})

    assert response.status_code == 200
    html = response.content.decode()
    assert "7,50" in html  # 45/60 × 10
    assert "45/60 × 10 = 7,5" in html
    assert 'id="total-self"' in html  # the page's total updates without a reload
    assert stored("X03") == {"rate": "45"}


@pytest.mark.django_db
def test_it_refuses_an_invalid_value_with_a_message_on_the_field_and_keeps_the_saved_one(
    client, cast
):
    post(client, cast["editor"], "X03", {"rate": "45", "revision": 0})

    response = post(client, cast["editor"], "X03", {"rate": "120", "revision": 1})

    html = response.content.decode()
    assert 'id="err-X03-rate"' in html
    assert "0–100" in html
    assert "Chưa lưu" in html
    assert stored("X03") == {"rate": "45"}


@pytest.mark.django_db
def test_numerator_above_denominator_is_refused_on_the_field(client, cast):
    response = post(client, cast["editor"], "X11", {"numerator": 5, "denominator": 4})

    html = response.content.decode()
    assert "Tử số" in html or "tử số" in html
    assert stored("X11") is None


@pytest.mark.django_db
def test_deadline_dates_are_saved_without_the_due_dates_and_scored_against_the_period(client, cast):
    response = post(
        client,
        cast["head"],
        "X01",
        {"plan_issued__actual": "2023-03-01", "results_reported__actual": "2023-12-10"},
    )

    assert stored("X01") == {
        "plan_issued": {"actual": "2023-03-01"},
        "results_reported": {"actual": "2023-12-10"},
    }
    assert "6,00" in response.content.decode()  # due 31/01, issued 01/03: 2 months late


@pytest.mark.django_db
def test_a_deliverable_marked_not_issued_scores_zero(client, cast):
    response = post(
        client,
        cast["editor"],
        "X02",
        {"plan_issued__not_issued": "on", "results_reported__actual": "2023-12-01"},
    )
    assert stored("X02")["plan_issued"] == {"actual": None}
    assert "0,00" in response.content.decode()


@pytest.mark.django_db
def test_the_later_of_two_saves_from_the_same_revision_is_refused(client, cast):
    post(client, cast["editor"], "X04", {"rate": "80", "revision": 0})
    # Two tabs loaded revision 1; the head saves first.
    post(client, cast["head"], "X04", {"rate": "85", "revision": 1})

    response = post(client, cast["editor"], "X04", {"rate": "90", "revision": 1})

    html = response.content.decode()
    assert "Not saved: someone else changed" in html or "người khác" in html
    assert stored("X04") == {"rate": "85"}


def test_without_htmx_the_loser_of_a_conflict_is_told_who_saved_and_when(client, cast):
    post(client, cast["editor"], "X04", {"rate": "80", "revision": 0})
    cast["head"].first_name, cast["head"].last_name = "Lan", "Trần Thị"
    cast["head"].save()
    post(client, cast["head"], "X04", {"rate": "85", "revision": 1})

    client.force_login(cast["editor"])
    response = client.post(save_url("X04"), {"X04-rate": "90", "X04-revision": 1}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert "X04" in messages[0]
    assert "Lan" in messages[0]
    assert "không hợp lệ" not in messages[0] and "invalid" not in messages[0]
    assert stored("X04") == {"rate": "85"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("district", 403),
        ("province", 403),
        ("awards", 403),
        ("viewer", 403),
        ("admin", 403),
        ("other_editor", 404),
        ("other_district", 404),
        ("outsider", 404),
    ],
)
def test_only_the_units_own_editor_and_head_may_save(client, cast, who, status):
    response = post(client, cast[who], "X03", {"rate": "50"})
    assert response.status_code == status
    assert stored("X03") is None


@pytest.mark.django_db
def test_anonymous_saves_are_sent_to_login(client, cast):
    response = client.post(save_url("X03"), {"X03-rate": "50"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert stored("X03") is None


@pytest.mark.django_db
def test_a_submitted_assessment_is_read_only_for_the_unit(client, cast, period):
    Assessment.objects.create(
        period=period, unit=Unit.objects.get(code="31498"), state=Assessment.State.SUBMITTED
    )
    response = post(client, cast["head"], "X03", {"rate": "50"})
    assert response.status_code == 403
    assert stored("X03") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("editor", 200),
        ("head", 200),
        ("district", 200),
        ("province", 200),
        ("awards", 200),
        ("viewer", 200),
        ("other_editor", 404),
        ("other_district", 404),
        ("outsider", 404),
    ],
)
def test_the_assessment_page_follows_the_scope(client, cast, who, status):
    client.force_login(cast[who])
    url = reverse("assessments:detail", args=["2023", "31498"])
    assert client.get(url).status_code == status


@pytest.mark.django_db
def test_the_assessment_page_shows_a_form_only_to_the_unit(client, cast):
    url = reverse("assessments:detail", args=["2023", "31498"])
    client.force_login(cast["editor"])
    editor_html = client.get(url).content.decode()
    client.force_login(cast["province"])
    reviewer_html = client.get(url).content.decode()

    assert "hx-post" in editor_html
    assert 'hx-post="/periods' not in reviewer_html
    assert "<fieldset disabled" in reviewer_html
