"""Which criteria lose the units of a level the most points (the province's weak spots)."""

from fractions import Fraction

import pytest
from django.conf import settings

from thidua import scoring
from thidua.results.analysis import ranking_losses
from thidua.results.gaps import level_losses
from thidua.results.ranking import build_ranking
from thidua.units.models import Level

from .helpers import make_assessment

LIBRARY = scoring.load_library(settings.THIDUA_DEFAULT_LIBRARY)


def results(inputs_by_code):
    level = LIBRARY.level("tinh")
    return {
        c.code: scoring.score_criterion(c, inputs_by_code.get(c.code))
        for c in level.criteria
        if c.code in ("T03", "T07", "T14", "T15")
    }


def test_criteria_are_sorted_by_points_lost_across_units():
    criteria = [LIBRARY.criterion(code) for code in ("T03", "T07", "T14", "T15")]
    units = [
        results(
            {
                "T03": {"rate": "90"},
                "T07": {"option": "khong"},
                "T14": {"rate": "60"},
                "T15": {"numerator": 1, "denominator": 2},
            }
        ),
        results(
            {
                "T03": {"rate": "95"},
                "T07": {"option": "khong"},
                "T14": {"rate": "10"},
                "T15": {"na": True, "reason": "Không có HTTT"},
            }
        ),
        results({"T03": {"rate": "50"}, "T07": {"option": "co"}, "T14": {"rate": "90"}}),
    ]

    losses = {loss.code: loss for loss in level_losses(criteria, units)}
    order = [loss.code for loss in level_losses(criteria, units)]

    assert order == ["T07", "T14", "T03", "T15"]  # 10, 5, 2,11, 2
    t07 = losses["T07"]
    assert (t07.units, t07.lost_sum, t07.full_points) == (3, Fraction(10), 1)
    assert t07.lost_average == Fraction(10, 3)
    assert t07.full_share == Fraction(1, 3)
    assert t07.average_share == 1 - Fraction(10, 3) / 5
    t03 = losses["T03"]
    assert t03.lost_sum == (4 - Fraction(72, 19)) + (4 - Fraction(50, 95) * 4)
    assert t03.full_points == 1
    # T15: one N/A and one not scored are left out, not counted as 0.
    t15 = losses["T15"]
    assert (t15.units, t15.left_out, t15.lost_sum) == (1, 2, Fraction(2))
    assert t15.full_share == 0


def test_a_criterion_nobody_scored_loses_nothing_and_counts_no_unit():
    criteria = [LIBRARY.criterion("T03")]
    (loss,) = level_losses(criteria, [results({}), results({})])
    assert (loss.units, loss.left_out, loss.lost_sum) == (0, 2, 0)
    assert loss.lost_average == 0
    assert loss.average_share == 0


@pytest.mark.django_db
def test_the_weakest_criteria_of_a_level_come_from_its_units_with_an_assessment(units, period):
    make_assessment(period, "SO-NV", overrides={"T07": {"option": "khong"}})
    make_assessment(period, "SO-YT", overrides={"T07": {"option": "khong"}, "T03": {"rate": "90"}})
    ranking = build_ranking(period, Level.objects.get(code="tinh"))

    losses = ranking_losses(ranking)

    assert [loss.code for loss in losses[:2]] == ["T07", "T03"]
    assert losses[0].units == 2  # the 30-odd units without an assessment are not counted
    assert losses[0].lost_sum == 10
    assert losses[1].lost_sum == Fraction(4, 19)
    assert all(loss.lost_sum == 0 for loss in losses[2:])
