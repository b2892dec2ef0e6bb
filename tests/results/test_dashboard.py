"""The dashboard: chart data (exact values rounded only for the charts) and the page."""

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse

from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.results.dashboard import dashboard_data, distribution_chart, level_rankings

from .helpers import make_assessment


@pytest.fixture
def filled(cast, period):
    make_assessment(period, "SO-NV")
    make_assessment(period, "SO-YT", overrides={"T03": {"rate": "90"}, "T07": {"option": "khong"}})
    make_assessment(period, "31498", overrides={"X03": {"rate": "10"}})
    for code, day in (("SO-NV", 1), ("SO-YT", 10), ("31498", 15)):
        Assessment.objects.filter(unit__code=code).update(
            state=Assessment.State.SUBMITTED,
            submitted_at=datetime.datetime(2023, 12, day, 3, tzinfo=datetime.UTC),
        )
    return period


@pytest.mark.django_db
def test_ranking_bars_and_weakest_criteria_per_level(filled, cast):
    data, summaries = dashboard_data(filled, cast["viewer"])
    tinh = data["rankings"][0]
    assert tinh["labels"] == ["Sở Nội vụ", "Sở Y tế"]
    assert tinh["values"] == [100.0, 94.79]  # 100 − 5 − 4/19, rounded for the chart only
    assert tinh["ranks"] == [1, 2]
    weakest = data["criteria"][0]
    assert weakest["labels"][:2] == ["T07", "T03"]
    assert weakest["values"][:2] == [50.0, 97.4]  # average share of points, %
    assert weakest["full"][:2] == [50.0, 50.0]
    assert [s.started for s in summaries] == [2, 0, 1]
    assert summaries[0].average == (100 + 100 - 5 - Fraction(4, 19)) / 2


@pytest.mark.django_db
def test_submission_progress_is_cumulative_with_the_deadline(filled, cast):
    progress = dashboard_data(filled, cast["viewer"])[0]["progress"]
    deadline = progress["labels"].index("15/12")
    assert progress["deadline_index"] == deadline
    assert progress["values"][progress["labels"].index("30/11")] == 0
    assert progress["values"][progress["labels"].index("01/12")] == 1
    assert progress["values"][progress["labels"].index("10/12")] == 2
    assert progress["values"][deadline] == 3
    assert progress["submitted"] == 3


@pytest.mark.django_db
def test_the_distribution_counts_units_per_band_of_ten_points(filled, cast):
    distribution = distribution_chart(level_rankings(filled, cast["viewer"]))
    tinh, huyen, xa = distribution["datasets"]
    assert tinh["values"][9] == 2  # 100 and 94,79 both fall in 90–100
    assert sum(huyen["values"]) == 0
    assert sum(xa["values"]) == 1


@pytest.mark.django_db
def test_without_an_earlier_period_there_is_no_year_over_year(filled, cast):
    assert dashboard_data(filled, cast["viewer"])[0]["years"] is None


@pytest.mark.django_db
def test_the_page_hands_the_data_to_a_static_script(client, cast, filled):
    client.force_login(cast["viewer"])
    html = client.get(reverse("results:dashboard", args=["2023"])).content.decode()
    assert '<script id="dashboard-data" type="application/json">' in html
    assert "vendor/chartjs/chart.umd.js" in html and "results/dashboard.js" in html
    assert "cdn" not in html.lower()
    assert html.count("<canvas") == 2 + 3 * 2 - 2  # the district level has no data yet
    for script in html.split("<script")[1:]:
        assert 'src="' in script.split(">")[0] or "application/json" in script.split(">")[0]


@pytest.mark.django_db
def test_the_dashboard_marks_preliminary_and_final_results(client, cast, filled):
    client.force_login(cast["viewer"])
    url = reverse("results:dashboard", args=["2023"])
    assert "results-banner preliminary" in client.get(url).content.decode()
    Period.objects.filter(pk=filled.pk).update(state=Period.State.FINAL)
    html = client.get(url).content.decode()
    assert "results-banner final" in html and "watermark" not in html


@pytest.mark.django_db
def test_the_dashboard_is_computed_in_a_bounded_number_of_queries(
    client, cast, filled, django_assert_max_num_queries
):
    client.force_login(cast["viewer"])
    url = reverse("results:dashboard", args=["2023"])
    client.get(url)
    with django_assert_max_num_queries(30):
        client.get(url)
