import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from thidua.accounts.models import Membership, Role
from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet
from thidua.assessments.services import EditConflict, save_self_inputs
from thidua.units.models import Unit


def make_user(username, role, unit_code=None):
    user = User.objects.create_user(username, password="x-Strong-Pass-1")
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def cast(units, period):
    return {
        "editor": make_user("editor", Role.UNIT_EDITOR, "31498"),
        "head": make_user("head", Role.UNIT_HEAD, "31498"),
        "district": make_user("district", Role.DISTRICT_REVIEWER, "941"),
        "other_district": make_user("other_district", Role.DISTRICT_REVIEWER, "943"),
        "province": make_user("province", Role.PROVINCIAL_REVIEWER),
        "awards": make_user("awards", Role.AWARDS_OFFICER),
        "viewer": make_user("viewer", Role.VIEWER),
        "outsider": User.objects.create_user("outsider", password="x-Strong-Pass-1"),
    }


def sheet_url(unit_code):
    return reverse("assessments:sheet", args=["2023", unit_code])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "unit_code", "status"),
    [
        ("editor", "31498", 200),
        ("head", "31498", 200),
        ("editor", "31501", 404),  # another commune of the same district
        ("district", "31498", 200),
        ("district", "941", 404),  # the district reviews communes, not itself
        ("other_district", "31498", 404),
        ("province", "31498", 200),
        ("awards", "SO-NV", 200),
        ("viewer", "943", 200),
        ("outsider", "31498", 404),
    ],
)
def test_the_score_sheet_is_visible_only_within_the_callers_scope(
    client, cast, who, unit_code, status
):
    client.force_login(cast[who])
    assert client.get(sheet_url(unit_code)).status_code == status


@pytest.mark.django_db
def test_anonymous_callers_are_sent_to_the_login_page(client, cast):
    response = client.get(sheet_url("31498"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_score_sheet_shows_the_decisions_worked_example(client, cast, period):
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="SO-NV"))
    save_self_inputs(
        assessment=assessment, criterion_code="T03", inputs={"rate": "90"}, user=cast["province"]
    )
    save_self_inputs(
        assessment=assessment,
        criterion_code="T01",
        inputs={
            "plan_issued": {"actual": "2023-03-05"},
            "results_reported": {"actual": "2023-12-10"},
        },
        user=cast["province"],
    )

    sheet = score_sheet(assessment)
    rows = {row.criterion.code: row for row in sheet.rows}
    assert sheet.fmt(rows["T03"].self_result.score) == "3,79"
    assert sheet.fmt(rows["T01"].self_result.score) == "6,00"  # 2 months late: 8 − 2
    assert sheet.fmt(sheet.self_total.total) == "9,79"
    assert sheet.self_total.complete is False

    client.force_login(cast["province"])
    html = client.get(sheet_url("SO-NV")).content.decode()
    assert "3,79" in html
    assert "9,79" in html
    assert "90/95" in html


@pytest.mark.django_db
def test_a_save_based_on_an_old_revision_is_refused(cast, period):
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    first = save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "50"}, user=cast["editor"]
    )
    loaded_revision = first.revision
    save_self_inputs(
        assessment=assessment,
        criterion_code="X03",
        inputs={"rate": "55"},
        user=cast["head"],
        expected_revision=loaded_revision,
    )

    with pytest.raises(EditConflict):
        save_self_inputs(
            assessment=assessment,
            criterion_code="X03",
            inputs={"rate": "40"},
            user=cast["editor"],
            expected_revision=loaded_revision,
        )
    assert assessment.entries.get(criterion_code="X03").self_inputs == {"rate": "55"}


@pytest.mark.django_db
def test_the_period_page_lists_only_units_in_scope(client, cast):
    client.force_login(cast["district"])
    html = client.get(reverse("assessments:period_units", args=["2023"])).content.decode()
    assert "Phường 5" in html
    assert "Thị trấn Kế Sách" not in html
    assert "Sở Nội vụ" not in html
