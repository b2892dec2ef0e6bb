"""The criterion cells of a ranking's rows follow the columns asked for, whether or not
they are the sheets' own criteria in their own order."""

import pytest

from thidua.exports.rows import NOT_APPLICABLE, ranking_rows
from thidua.results.ranking import build_ranking
from thidua.units.models import Level


def cells_by_code(ranking, criteria):
    rows = ranking_rows(ranking, criteria, with_district=True, with_grade=False)
    return {row[2]: row[5 : 5 + len(criteria)] for row in rows}


@pytest.mark.django_db
def test_criterion_cells_follow_the_columns_in_any_order(filled, period):
    ranking = build_ranking(period, Level.objects.get(code="xa"))
    straight = cells_by_code(ranking, ranking.criteria)
    backwards = cells_by_code(ranking, list(reversed(ranking.criteria)))
    some = [ranking.criteria[4], ranking.criteria[0]]  # X05, X01
    picked = cells_by_code(ranking, some)

    assert straight["31498"][4] == NOT_APPLICABLE
    for code, cells in straight.items():
        assert backwards[code] == list(reversed(cells))
        assert picked[code] == [cells[4], cells[0]]
    assert picked["31498"][0] == NOT_APPLICABLE
    assert straight["31510"] == [None] * len(ranking.criteria)  # never opened
