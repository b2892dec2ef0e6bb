import datetime

import pytest
import time_machine

from thidua.periods.models import DueDate


@pytest.mark.django_db
def test_it_defaults_the_deadline_to_15_december_and_creates_the_due_dates(period):
    assert period.code == "2023"
    assert period.submission_deadline == datetime.date(2023, 12, 15)
    dues = {(d.criterion_code, d.deliverable): d.due_on for d in DueDate.objects.all()}
    assert {code for code, _ in dues} == {"T01", "H01", "H02", "X01", "X02"}
    assert len(dues) == 10
    assert dues[("T01", "plan_issued")] == datetime.date(2023, 1, 31)
    assert dues[("T01", "results_reported")] == datetime.date(2023, 12, 15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "past"),
    [
        ("2023-12-15 23:59:59+07:00", False),
        ("2023-12-16 00:00:00+07:00", True),
        ("2023-12-15 16:59:59+00:00", False),  # 23:59:59 in Sóc Trăng
        ("2023-12-15 17:00:00+00:00", True),  # 00:00:00 on the 16th in Sóc Trăng
    ],
)
def test_the_deadline_day_counts_until_midnight_in_ho_chi_minh_time(period, moment, past):
    with time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False):
        assert period.is_past_deadline() is past


@pytest.mark.django_db
def test_period_or_404_reads_the_period_with_its_criteria_version(
    period, django_assert_num_queries
):
    from django.http import Http404

    from thidua.periods.services import period_or_404

    with django_assert_num_queries(1):
        found = period_or_404(period.code)
        assert found.criteria_version.pk == period.criteria_version_id
    assert found.pk == period.pk
    with pytest.raises(Http404):
        period_or_404("no-such-period")
