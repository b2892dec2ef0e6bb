from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.scoring import decimal_str, format_vi, round_half_up, to_fraction
from thidua.scoring.numbers import NumberError, format_exact


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", Fraction(90)),
        ("90,5", Fraction(181, 2)),
        ("90.5", Fraction(181, 2)),
        (" 7 ", Fraction(7)),
        ("-2,25", Fraction(-9, 4)),
        (3, Fraction(3)),
        (Decimal("0.1"), Fraction(1, 10)),
        (0.1, Fraction(1, 10)),  # through str(), not the binary approximation
        (2.5, Fraction(5, 2)),
        (1e20 / 1e10, Fraction(10**10)),
        (Fraction(1, 3), Fraction(1, 3)),
        ("1.000", Fraction(1)),  # no thousands separators in input
        ("1E+1", Fraction(10)),  # as Decimal.normalize() writes 10
        ("1e3", Fraction(1000)),
        ("2,5E-1", Fraction(1, 4)),
        (Decimal("1E+2"), Fraction(100)),
    ],
)
def test_it_parses_numbers_exactly(value, expected):
    assert to_fraction(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "1e13",
        "1e-31",
        Decimal("1e-999999999"),
        Decimal("1e999999"),
        Decimal("0." + "1" * 45),
        "1e",
        "1_000",
        "9,5,1",
        "1.234,5",
        ".5",
        "5.",
        "nan",
        "0x10",
        True,
        None,
        [1],
        float("nan"),
        float("inf"),
        Decimal("Infinity"),
        "1" * 41,
        10**13,
        "9999999999999",
    ],
)
def test_it_refuses_what_is_not_a_plain_number(value):
    with pytest.raises(NumberError):
        to_fraction(value)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(3785, 1000), 2, Fraction(379, 100)),
        (Fraction(3784999, 1000000), 2, Fraction(378, 100)),
        (Fraction(5, 2), 0, Fraction(3)),
        (Fraction(-5, 2), 0, Fraction(-3)),
        (Fraction(1, 3), 3, Fraction(333, 1000)),
        (Fraction(2, 3), 3, Fraction(667, 1000)),
        (Fraction(72, 19), 1, Fraction(38, 10)),
    ],
)
def test_it_rounds_half_up(value, places, expected):
    assert round_half_up(value, places) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(72, 19), 6, "3.789474"),
        (Fraction(3), 6, "3.000000"),
        (Fraction(0), 6, "0.000000"),
        (Fraction(1, 2), 0, "1"),
        (Fraction(1234567, 1000), 2, "1234.57"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(1, 3), 6, "0.333333"),
    ],
)
def test_decimal_str(value, places, expected):
    assert decimal_str(value, places) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Fraction(72, 19), 2, "3,79"),
        (Fraction(72, 19), 1, "3,8"),
        (Fraction(72, 19), 0, "4"),
        (Fraction(3, 2), 2, "1,50"),
        (Fraction(3), 2, "3,00"),
        (Fraction(1, 1000), 2, "0,00"),
        (Fraction(-1, 1000), 2, "0,00"),
        (Fraction(999), 2, "999,00"),
        (Fraction(12345, 10), 2, "1.234,50"),
        (Fraction(1234567), 0, "1.234.567"),
        (Fraction(-12345, 10), 1, "-1.234,5"),
    ],
)
def test_format_vi(value, decimals, expected):
    assert format_vi(value, decimals) == expected


def test_format_vi_drops_trailing_zeros_when_trimmed():
    assert format_vi(Fraction(3), 2, trim=True) == "3"
    assert format_vi(Fraction(3, 2), 2, trim=True) == "1,5"
    assert format_vi(Fraction(72, 19), 2, trim=True) == "3,79"
    assert format_vi(Fraction(-1, 1000), 2, trim=True) == "0"
    assert format_vi(Fraction(12000), 2, trim=True) == "12.000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(181, 2), "90,5"),
        (Fraction(1, 64), "0,015625"),
        (Fraction(1, 3), "1/3"),
        (Fraction(2500), "2.500"),
        (Fraction(-7, 4), "-1,75"),
    ],
)
def test_format_exact(value, expected):
    assert format_exact(value) == expected


@given(st.fractions(min_value=-(10**6), max_value=10**6), st.integers(0, 6))
def test_rounding_is_within_half_a_unit(value, places):
    rounded = round_half_up(value, places)
    assert abs(rounded - value) <= Fraction(1, 2 * 10**places)
    assert (rounded * 10**places).denominator == 1


@given(st.integers(-(10**9), 10**9), st.integers(0, 6))
def test_formats_agree_on_the_same_rounded_value(units, places):
    value = Fraction(units, 10**places)
    assert to_fraction(decimal_str(value, places)) == value
    assert to_fraction(format_vi(value, places).replace(".", "")) == value
