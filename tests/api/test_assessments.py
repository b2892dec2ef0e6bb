"""Reading assessments and scores: every caller, exact status codes and scope."""

from decimal import Decimal

import pytest

from thidua.assessments.models import Assessment
from thidua.assessments.services import save_self_inputs
from thidua.units.models import Unit

from .conftest import NOBODY, UNIT, statuses

READ_UNIT = {
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
    **dict.fromkeys(NOBODY, 401),
}


@pytest.fixture
def filled(cast):
    assessment = Assessment.objects.create(period_id=_period().pk, unit=Unit.objects.get(code=UNIT))
    save_self_inputs(
        assessment=assessment,
        criterion_code="X03",
        inputs={"rate": "45"},
        user=cast["editor"],
    )
    return assessment


def _period():
    from thidua.periods.models import Period

    return Period.objects.get(code="2023")


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "/criteria/X03"])
def test_a_units_assessment_follows_the_scope(as_, filled, suffix):
    path = f"/api/periods/2023/assessments/{UNIT}{suffix}"
    assert statuses(as_, READ_UNIT, lambda c: c.get(path)) == READ_UNIT


@pytest.mark.django_db
def test_an_assessment_has_exact_scores_display_strings_and_explanations(as_, filled):
    body = as_("district").get(f"/api/periods/2023/assessments/{UNIT}").json()
    assert body["unit"]["code"] == UNIT and body["period"] == "2023"
    assert body["state"] == "draft"
    assert body["decimals"] == 2
    assert body["can_edit"] is False  # a district reviewer reads only
    x03 = next(c for c in body["criteria"] if c["code"] == "X03")
    # 45% of a 60% target: 10 × 45 / 60 = 7.5
    assert x03["self"]["score"] == "7.500000"
    assert x03["self"]["score_display"] == "7,50"
    assert x03["self"]["status"] == "scored"
    assert x03["self"]["explanation"] == "45/60 × 10 = 7,5"
    assert x03["verified"] is None
    assert x03["final"] == x03["self"]
    assert x03["revision"] == 1
    assert x03["self_inputs"] == {"rate": "45"}
    assert x03["updated_by"] == "Editor"
    x01 = body["criteria"][0]
    assert x01["self"] == {
        "status": "not_scored",
        "score": None,
        "score_display": "chưa chấm",
        "explanation": "Chưa chấm: chưa nhập số liệu",
    }
    assert body["self_total"]["total"] == "7.500000"
    assert body["self_total"]["total_display"] == "7,50"
    assert body["self_total"]["complete"] is False
    assert Decimal(body["final_total"]["applicable_max"]) == 100


@pytest.mark.django_db
def test_the_unit_itself_may_edit_its_draft(as_, filled):
    assert as_("editor").get(f"/api/periods/2023/assessments/{UNIT}").json()["can_edit"] is True


@pytest.mark.django_db
def test_an_untouched_assessment_reads_as_an_empty_draft_and_is_not_created(as_, cast):
    body = as_("province").get("/api/periods/2023/assessments/31504").json()
    assert body["state"] == "draft"
    assert body["self_total"]["total"] == "0.000000"
    assert not Assessment.objects.filter(unit__code="31504").exists()


def _units(response):
    return sorted(row["unit"]["code"] for row in response.json())


@pytest.mark.django_db
def test_the_list_of_a_period_follows_the_scope(as_, filled):
    everyone = sorted(Unit.objects.values_list("code", flat=True))
    communes = sorted(Unit.objects.filter(parent__code="941").values_list("code", flat=True))
    expected = {
        "editor": [UNIT],
        "head": [UNIT],
        "other_editor": ["31501"],
        "district": communes,
        "other_district": sorted(
            Unit.objects.filter(parent__code="943").values_list("code", flat=True)
        ),
        "province": everyone,
        "awards": everyone,
        "viewer": everyone,
        "admin": everyone,
        "outsider": [],
    }
    path = "/api/periods/2023/assessments"
    assert {who: _units(as_(who).get(path)) for who in expected} == expected
    nobody = dict.fromkeys(NOBODY, 401)
    assert statuses(as_, nobody, lambda c: c.get(path)) == nobody


@pytest.mark.django_db
def test_the_list_filters_by_level_district_and_state(as_, filled):
    province = as_("province")
    xa = province.get("/api/periods/2023/assessments?level=xa").json()
    assert {row["unit"]["level"] for row in xa} == {"xa"}
    in_941 = province.get("/api/periods/2023/assessments?district=941").json()
    assert {row["unit"]["parent"] for row in in_941} == {"941"}
    assert _units(province.get("/api/periods/2023/assessments?state=submitted")) == []
    row = next(r for r in xa if r["unit"]["code"] == UNIT)
    assert row["self_total"]["total"] == "7.500000"
    assert province.get("/api/periods/2023/assessments?state=bogus").status_code == 422
    assert province.get("/api/periods/2023/assessments?district=31498").status_code == 404
    assert province.get("/api/periods/1999/assessments").status_code == 404
