"""The demo 2022 period: a copied criteria version with documented differences, final results."""

from fractions import Fraction

import pytest
from django.urls import reverse

from thidua.assessments.demo import DEMO_UNITS
from thidua.assessments.models import Assessment
from thidua.criteria.models import CriteriaSetVersion
from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.results.demo import VERSION_2022, load_demo_2022
from thidua.results.models import GradeBand, PublicResults

from .helpers import make_assessment


@pytest.fixture
def demo_2022(cast, period):
    return load_demo_2022(cast["admin"])


@pytest.mark.django_db
def test_the_2022_version_is_a_published_copy_with_two_differences(demo_2022, period):
    version = CriteriaSetVersion.objects.get(version=VERSION_2022)
    assert version.status == CriteriaSetVersion.Status.PUBLISHED
    assert version.copied_from == period.criteria_version
    old = scoring_library(period.criteria_version)
    new = scoring_library(version)
    differences = {
        (level.code, criterion.code): (
            criterion.points,
            new.level(level.code).criterion(criterion.code).points,
        )
        for level in old.levels
        for criterion in level.criteria
        if criterion.points != new.level(level.code).criterion(criterion.code).points
    }
    assert differences == {("tinh", "T01"): (8, 9), ("tinh", "T16"): (5, 4)}
    for level in new.levels:
        assert sum(c.points for c in level.criteria) == level.scale == 100


@pytest.mark.django_db
def test_the_2022_period_is_final_with_finalized_demo_assessments(demo_2022):
    assert demo_2022.code == "2022" and demo_2022.year == 2022
    assert demo_2022.state == Period.State.FINAL
    assessments = Assessment.objects.filter(period=demo_2022)
    assert assessments.count() == len(DEMO_UNITS)
    assert set(assessments.values_list("state", flat=True)) == {Assessment.State.FINALIZED}
    assert all(a.submitted_at.year == 2022 for a in assessments)
    tw_ca = assessments.get(unit__code="TW-CA")
    assert tw_ca.entries.get(criterion_code="T15").na
    assert PublicResults.objects.get(period=demo_2022).enabled


@pytest.mark.django_db
def test_grade_bands_are_set_for_both_demo_periods(demo_2022, period):
    for item in (period, demo_2022):
        bands = {band.name: band.min_total for band in GradeBand.objects.filter(period=item)}
        assert bands == {"Xuất sắc": 90, "Tốt": 80, "Khá": 65, "Trung bình": 50}


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo_2022, cast):
    counts = (
        CriteriaSetVersion.objects.count(),
        Period.objects.count(),
        Assessment.objects.count(),
        GradeBand.objects.count(),
        PublicResults.objects.count(),
    )
    again = load_demo_2022(cast["admin"])
    assert again == demo_2022
    assert counts == (
        CriteriaSetVersion.objects.count(),
        Period.objects.count(),
        Assessment.objects.count(),
        GradeBand.objects.count(),
        PublicResults.objects.count(),
    )


@pytest.mark.django_db
def test_without_a_2023_period_there_is_nothing_to_copy(units, criteria_version, django_user_model):
    admin = django_user_model.objects.create_user("admin")
    assert load_demo_2022(admin) is None


@pytest.mark.django_db
def test_the_dashboard_compares_the_years(client, cast, demo_2022, period):
    make_assessment(period, "SO-NV")
    client.force_login(cast["viewer"])
    response = client.get(reverse("results:dashboard", args=["2023"]))
    years = response.context["data"]["years"]
    assert years["labels"][0] == "2022"  # final
    assert years["labels"][1].startswith("2023 (")  # "(sơ bộ)": still preliminary
    assert years["units"]["labels"] == ["Sở Nội vụ"]
    assert years["units"]["current"] == [100.0]
    assert 0 < years["units"]["previous"][0] <= 100


@pytest.mark.django_db
def test_the_public_page_of_2022_is_open_to_everyone(client, demo_2022):
    response = client.get(reverse("results:public", args=["2022"]))
    assert response.status_code == 200
    levels = response.context["levels"]
    assert sum(len(level.rows) for level in levels) == len(DEMO_UNITS)
    totals = [row.total for level in levels for row in level.rows]
    assert all(Fraction(0) < total <= 100 for total in totals)
