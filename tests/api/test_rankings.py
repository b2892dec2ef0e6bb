"""Rankings per period and level, within each caller's scope."""

import pytest

from thidua.assessments.models import Assessment
from thidua.assessments.services import save_self_inputs
from thidua.periods.models import Period
from thidua.units.models import Unit

from .conftest import NOBODY, ROLES, UNIT, statuses

PATH = "/api/periods/2023/rankings/xa"


@pytest.fixture
def scored(cast):
    period = Period.objects.get(code="2023")
    for code, rate in [(UNIT, "45"), ("31501", "60"), ("31504", "45")]:
        assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code=code))
        save_self_inputs(
            assessment=assessment, criterion_code="X03", inputs={"rate": rate}, user=None
        )


def _rows(response):
    return [(row["rank"], row["unit"]["code"]) for row in response.json()["rows"]]


@pytest.mark.django_db
def test_every_caller_with_a_token_gets_a_ranking(as_, scored):
    expected = {**dict.fromkeys(ROLES, 200), **dict.fromkeys(NOBODY, 401)}
    assert statuses(as_, expected, lambda c: c.get(PATH)) == expected


@pytest.mark.django_db
def test_the_ranking_holds_only_the_units_the_caller_sees(as_, scored):
    communes = set(Unit.objects.filter(parent__code="941").values_list("code", flat=True))
    assert _rows(as_("editor").get(PATH)) == [(1, UNIT)]
    assert {code for _, code in _rows(as_("district").get(PATH))} == communes
    assert _rows(as_("outsider").get(PATH)) == []
    everyone = {code for _, code in _rows(as_("viewer").get(PATH))}
    assert everyone == set(Unit.objects.filter(level__code="xa").values_list("code", flat=True))


@pytest.mark.django_db
def test_ties_share_a_rank_and_scores_are_exact(as_, scored):
    body = as_("province").get(PATH).json()
    assert body["is_preliminary"] is True
    assert body["criteria"][:3] == ["X01", "X02", "X03"]
    assert _rows(as_("province").get(PATH))[:3] == [(1, "31501"), (2, UNIT), (2, "31504")]
    first = body["rows"][0]
    assert first["total"] == "10.000000" and first["total_display"] == "10,00"
    assert first["scores"]["X03"] == "10.000000"
    assert first["scores"]["X01"] is None
    assert first["complete"] is False and first["is_final"] is False


@pytest.mark.django_db
def test_a_ranking_filters_by_district_and_kind(as_, scored):
    in_941 = as_("province").get(PATH + "?district=941").json()
    assert in_941["district"] == "941"
    assert {row["unit"]["parent"] for row in in_941["rows"]} == {"941"}
    wards = as_("province").get(PATH + "?kind=phuong").json()
    assert wards["kind"] == "phuong" and {r["unit"]["kind"] for r in wards["rows"]} == {"phuong"}
    assert as_("province").get(PATH + "?kind=so").status_code == 404  # a kind of another level
    assert as_("province").get("/api/periods/2023/rankings/nowhere").status_code == 404
