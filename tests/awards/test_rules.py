"""Award rules over plain ranking rows: a table of cases, ties and boundaries."""

from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from thidua.awards.rules import Rule, make_rule, select
from thidua.periods.models import Period
from thidua.results.models import GradeBand
from thidua.units.models import Level

LEVEL = Level(code="xa", name="Cấp xã")
EXCELLENT = GradeBand(pk=1, period_id=1, name="Xuất sắc", min_total=90)
GOOD = GradeBand(pk=2, period_id=1, name="Tốt", min_total=80)


def row(name, rank, total, grade=None, took_part=True):
    return SimpleNamespace(
        name=name,
        rank=rank,
        total=Fraction(total),
        grade=grade,
        assessment=SimpleNamespace(pk=1 if took_part else None),
    )


# A ranking with a tie at 2 and a total exactly on a band's boundary.
ROWS = [
    row("A", 1, "95.5", EXCELLENT),
    row("B", 2, "90", EXCELLENT),
    row("C", 2, "90", EXCELLENT),
    row("D", 4, "89.999999", GOOD),
    row("E", 5, "80", GOOD),
    row("F", 6, "0", took_part=False),  # never opened its assessment
]


@pytest.mark.parametrize(
    ("rule", "names"),
    [
        (Rule(LEVEL, "top_n", value=1), "A"),
        (Rule(LEVEL, "top_n", value=2), "ABC"),  # the tie at the cut-off is in
        (Rule(LEVEL, "top_n", value=3), "ABC"),  # nobody is ranked 3
        (Rule(LEVEL, "top_n", value=4), "ABCD"),
        (Rule(LEVEL, "top_n", value=10), "ABCDE"),  # never a unit that did not take part
        (Rule(LEVEL, "min_total", value=Fraction(90)), "ABC"),  # the boundary is in
        (Rule(LEVEL, "min_total", value=Fraction("89.999999")), "ABCD"),
        (Rule(LEVEL, "min_total", value=Fraction("90.000001")), "A"),
        (Rule(LEVEL, "min_total", value=Fraction(0)), "ABCDE"),
        (Rule(LEVEL, "grade", band=EXCELLENT), "ABC"),
        (Rule(LEVEL, "grade", band=GOOD), "DE"),  # the band only, not the better ones
    ],
)
def test_it_selects_the_units_a_rule_names(rule, names):
    assert "".join(r.name for r in select(rule, ROWS)) == names


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (Rule(LEVEL, "top_n", value=3), "3 đơn vị xếp hạng cao nhất (kể cả đơn vị đồng hạng)"),
        (Rule(LEVEL, "min_total", value=Fraction("87.5")), "đơn vị có tổng điểm từ 87,5 trở lên"),
        (Rule(LEVEL, "grade", band=EXCELLENT), "đơn vị xếp loại Xuất sắc"),
    ],
)
def test_it_describes_a_rule_in_the_words_of_the_proposal(rule, text):
    assert rule.describe() == text


PERIOD = Period(pk=1)


@pytest.mark.parametrize(
    ("kind", "value", "band", "expected"),
    [
        ("top_n", "3", None, 3),
        ("top_n", 5, None, 5),
        ("min_total", "87,5", None, Fraction("87.5")),
        ("min_total", "100", None, Fraction(100)),
        ("min_total", "0", None, Fraction(0)),
        ("grade", None, EXCELLENT, None),
    ],
)
def test_it_accepts_valid_rules(kind, value, band, expected):
    rule = make_rule(LEVEL, kind, value, band, period=PERIOD)
    assert rule.value == expected and rule.band == band


@pytest.mark.parametrize(
    ("kind", "value", "band", "message"),
    [
        ("top_n", "0", None, "số nguyên từ 1"),
        ("top_n", "2,5", None, "số nguyên từ 1"),
        ("top_n", "", None, "nhập giá trị"),
        ("top_n", "ba", None, "phải là số"),
        ("min_total", "100,01", None, "từ 0 đến 100"),
        ("min_total", "-1", None, "từ 0 đến 100"),
        ("grade", None, None, "chọn một mức xếp loại"),
        ("grade", None, GradeBand(pk=9, period_id=2, name="Khá", min_total=65), "không thuộc"),
        ("best", "1", None, "không hợp lệ"),
    ],
)
def test_it_refuses_invalid_rules_naming_the_level(kind, value, band, message):
    with pytest.raises(ValidationError) as caught:
        make_rule(LEVEL, kind, value, band, period=PERIOD)
    assert caught.value.messages[0].startswith("Cấp xã: ")
    assert message in caught.value.messages[0]
