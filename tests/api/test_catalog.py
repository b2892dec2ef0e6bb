"""Who am I, criteria, units and periods: every caller, exact status codes and scope."""

import pytest

from thidua.units.models import Unit

from .conftest import NOBODY, ROLES, statuses

EVERYONE_200 = {**dict.fromkeys(ROLES, 200), **dict.fromkeys(NOBODY, 401)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/me",
        "/api/criteria-sets",
        "/api/criteria-sets/soc-trang-cds/versions/2023.1",
        "/api/units",
        "/api/periods",
        "/api/periods/2023",
    ],
)
def test_everyone_with_a_token_reads_the_catalog(as_, path):
    assert statuses(as_, EVERYONE_200, lambda c: c.get(path)) == EVERYONE_200


@pytest.mark.django_db
def test_me_says_who_the_caller_is(as_):
    body = as_("district").get("/api/me").json()
    assert body["role"] == "district_reviewer"
    assert body["unit"]["code"] == "941"
    assert body["token"]["can_write"] is True


@pytest.mark.django_db
def test_it_lists_criteria_sets_with_their_versions(as_):
    body = as_("viewer").get("/api/criteria-sets").json()
    assert [s["code"] for s in body] == ["soc-trang-cds"]
    assert body[0]["versions"][0]["version"] == "2023.1"
    assert body[0]["versions"][0]["status"] == "published"


@pytest.mark.django_db
def test_a_version_has_its_levels_and_criteria(as_):
    body = as_("editor").get("/api/criteria-sets/soc-trang-cds/versions/2023.1").json()
    assert [level["code"] for level in body["levels"]] == ["tinh", "huyen", "xa"]
    xa = body["levels"][2]
    assert len(xa["criteria"]) == 14
    x03 = next(c for c in xa["criteria"] if c["code"] == "X03")
    assert x03["points"] == "10.000000"
    assert x03["kind"] == "ratio"
    assert x03["content"].startswith("60% hồ sơ công việc")
    assert x03["rule_text"] and x03["evidence_basis"]
    assert {f["name"] for f in x03["input_fields"]} == {"rate", "numerator", "denominator"}
    x01 = xa["criteria"][0]
    assert x01["kind"] == "deadline"
    assert all(not f["name"].endswith(".due") for f in x01["input_fields"])
    choice = next(c for c in xa["criteria"] if c["kind"] == "choice")
    assert choice["input_fields"][0]["choices"]


@pytest.mark.django_db
def test_an_unknown_version_is_404(as_):
    assert as_("editor").get("/api/criteria-sets/soc-trang-cds/versions/1999").status_code == 404


def _codes(response):
    return sorted(unit["code"] for unit in response.json())


@pytest.mark.django_db
def test_units_follow_the_callers_scope(as_):
    all_units = sorted(Unit.objects.values_list("code", flat=True))
    communes_941 = sorted(Unit.objects.filter(parent__code="941").values_list("code", flat=True))
    expected = {
        "editor": ["31498"],
        "head": ["31498"],
        "other_editor": ["31501"],
        "district": communes_941,
        "province": all_units,
        "awards": all_units,
        "viewer": all_units,
        "admin": all_units,
        "outsider": [],
    }
    assert {who: _codes(as_(who).get("/api/units")) for who in expected} == expected


@pytest.mark.django_db
def test_units_filter_by_level_kind_and_parent(as_):
    province = as_("province")
    assert _codes(province.get("/api/units?parent=941")) == sorted(
        Unit.objects.filter(parent__code="941").values_list("code", flat=True)
    )
    huyen = province.get("/api/units?level=huyen").json()
    assert huyen and {u["level"] for u in huyen} == {"huyen"}
    so = province.get("/api/units?level=tinh&kind=so").json()
    assert so and {u["kind"] for u in so} == {"so"}
    assert province.get("/api/units?level=nowhere").status_code == 404
    assert province.get("/api/units?kind=nothing").status_code == 404
    # Filters never widen the scope.
    assert _codes(as_("editor").get("/api/units?parent=941")) == ["31498"]


@pytest.mark.django_db
def test_one_unit_is_404_outside_the_scope(as_):
    expected = {
        "editor": 200,
        "other_editor": 404,
        "district": 200,
        "other_district": 404,
        "viewer": 200,
        "outsider": 404,
        "no_token": 401,
    }
    assert statuses(as_, expected, lambda c: c.get("/api/units/31498")) == expected
    assert (
        as_("editor").get("/api/units/31498").json()["display_name"]
        == "Phường 5 (Thành phố Sóc Trăng)"
    )


@pytest.mark.django_db
def test_a_period_has_its_due_dates(as_):
    body = as_("editor").get("/api/periods/2023").json()
    assert body["state"] == "open"
    assert body["criteria_set"] == "soc-trang-cds"
    assert body["submission_deadline"] == "2023-12-15"
    assert any(d["criterion"] == "X01" for d in body["due_dates"])
    assert as_("editor").get("/api/periods/1999").status_code == 404
