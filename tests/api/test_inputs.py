"""Writing a unit's inputs for one criterion: who may, and every way it can go wrong."""

import pytest

from thidua.api import tokens
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.periods.models import Period

from .conftest import NOBODY, UNIT, statuses, submit

PATH = f"/api/periods/2023/assessments/{UNIT}/criteria/X03"

WRITE = {
    "editor": 200,
    "head": 200,
    "other_editor": 404,
    "other_head": 404,
    "district": 403,
    "other_district": 404,
    "province": 403,
    "awards": 403,
    "viewer": 403,
    "admin": 403,
    "outsider": 404,
    **dict.fromkeys(NOBODY, 401),
}


def revision(code="X03"):
    entry = CriterionEntry.objects.filter(assessment__unit__code=UNIT, criterion_code=code).first()
    return entry.revision if entry else 0


def write(caller, inputs, expected_revision=None, path=PATH):
    if expected_revision is None:
        expected_revision = revision()
    return caller.put(path, {"inputs": inputs, "expected_revision": expected_revision})


@pytest.mark.django_db
def test_only_the_units_editor_and_head_write(as_):
    assert statuses(as_, WRITE, lambda c: write(c, {"rate": "90"})) == WRITE
    assert revision() == 2  # the editor's save and the head's


@pytest.mark.django_db
def test_a_valid_write_returns_the_new_score_and_total(as_, cast):
    response = write(as_("editor"), {"numerator": 27, "denominator": 60})
    assert response.status_code == 200
    body = response.json()
    assert body["criterion"]["self"]["score"] == "7.500000"  # 45% of a 60% target × 10
    assert body["criterion"]["revision"] == 1
    assert body["self_total"]["total"] == "7.500000"
    entry = CriterionEntry.objects.get(assessment__unit__code=UNIT, criterion_code="X03")
    assert entry.self_inputs == {"numerator": 27, "denominator": 60}
    assert entry.updated_by == cast["editor"]
    last = entry.history.first()
    assert last.history_user == cast["editor"] and last.history_change_reason == "api"


@pytest.mark.django_db
def test_a_deadline_criterion_takes_the_actual_dates_only(as_):
    path = f"/api/periods/2023/assessments/{UNIT}/criteria/X01"
    inputs = {"plan_issued": {"actual": "2023-01-20"}, "results_reported": {"actual": None}}
    response = write(as_("editor"), inputs, 0, path=path)
    assert response.status_code == 200, response.json()
    assert response.json()["criterion"]["self"]["status"] == "scored"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"rate": "120"}, "rate"),
        ({"rate": "nhiều"}, "rate"),
        ({"numerator": 70, "denominator": 60}, "numerator"),
        ({"unknown": 1}, "unknown"),
        ({"na": True, "reason": "x"}, "na"),
        ({"rate": "90", "reason": "x"}, "reason"),
    ],
)
def test_invalid_inputs_are_422_naming_the_field_and_nothing_is_saved(as_, inputs, field):
    response = write(as_("editor"), inputs, 0)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_inputs"
    assert error["details"][0]["criterion"] == "X03"
    assert error["details"][0].get("field") == field
    assert not CriterionEntry.objects.filter(self_inputs__isnull=False).exists()


@pytest.mark.django_db
def test_an_older_revision_is_a_409_naming_who_and_when(as_):
    assert write(as_("editor"), {"rate": "90"}, 0).status_code == 200
    response = write(as_("head"), {"rate": "50"}, 0)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "edit_conflict"
    assert "Editor" in error["message"]
    assert error["details"][0]["revision"] == 1
    assert error["details"][0]["updated_by"] == "Editor"
    assert error["details"][0]["updated_at"]
    entry = CriterionEntry.objects.get(criterion_code="X03")
    assert entry.self_inputs == {"rate": "90"}  # the first save is kept


@pytest.mark.django_db
def test_a_submitted_assessment_is_403(as_):
    submit()
    response = write(as_("editor"), {"rate": "90"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_editable"


@pytest.mark.django_db
def test_a_closed_period_is_403(as_):
    Period.objects.filter(code="2023").update(state=Period.State.REVIEWING)
    response = write(as_("editor"), {"rate": "90"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "period_closed"


@pytest.mark.django_db
def test_a_read_only_token_cannot_write(client, cast):
    created = tokens.create_token(user=cast["editor"], name="read", can_write=False)
    response = client.put(
        PATH,
        {"inputs": {"rate": "90"}, "expected_revision": 0},
        content_type="application/json",
        headers={"Authorization": f"Bearer {created.plaintext}"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_criterion_of_another_level_is_404(as_):
    path = f"/api/periods/2023/assessments/{UNIT}/criteria/T03"
    assert write(as_("editor"), {"rate": "90"}, 0, path=path).status_code == 404


@pytest.mark.django_db
def test_null_inputs_clear_the_criterion(as_):
    write(as_("editor"), {"rate": "90"}, 0)
    response = write(as_("editor"), None)
    assert response.status_code == 200
    assert response.json()["criterion"]["self"]["status"] == "not_scored"
    assert CriterionEntry.objects.get(criterion_code="X03").self_inputs is None


@pytest.mark.django_db
def test_a_session_with_the_csrf_token_writes_too(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["editor"])
    client.get("/api/tokens/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.put(
        PATH,
        {"inputs": {"rate": "90"}, "expected_revision": 0},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_blank_values_are_not_stored(as_):
    response = write(as_("editor"), {"rate": "90", "numerator": None, "odd\u0000key": " "}, 0)
    assert response.status_code == 200
    assert CriterionEntry.objects.get(criterion_code="X03").self_inputs == {"rate": "90"}
