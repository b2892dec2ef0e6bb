"""Exact numbers: parsing user and library values into Fraction, and formatting them.

Nothing here ever goes through float arithmetic. A float that reaches us (YAML parses `2.5`
as one) is converted through its shortest repr, so `0.1` means one tenth, not the binary
approximation.
"""

import re
from decimal import Decimal
from fractions import Fraction

# Plain decimal numbers: optional sign, digits, optional "." or "," and digits, and an
# optional exponent as Decimal.normalize() writes it ("1E+1"). No thousands separators
# ("1.000" is 1, not 1000), no underscores.
_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")
_MAX_TEXT = 40
_MAX_DIGITS = 40
MAX_MAGNITUDE = 10**12
_MIN_EXPONENT = -30


class NumberError(ValueError):
    """A value that is not an acceptable number; the message is Vietnamese."""


def to_fraction(value) -> Fraction:
    """Parse an int, Decimal, Fraction, float (via str) or text like "90,5" / "90.5"."""
    if isinstance(value, bool):
        raise NumberError(f"phải là số (nhận được {value!r})")
    if isinstance(value, Fraction):
        result = value
    elif isinstance(value, int):
        result = Fraction(value)
    elif isinstance(value, float | Decimal):
        result = _from_decimal(Decimal(str(value)), value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _MAX_TEXT or not _NUMBER_RE.fullmatch(text):
            raise NumberError(f"phải là số, ví dụ 90 hoặc 90,5 (nhận được '{value[:_MAX_TEXT]}')")
        result = _from_decimal(Decimal(text.replace(",", ".")), value)
    else:
        raise NumberError(f"phải là số (nhận được {type(value).__name__})")
    if abs(result) > MAX_MAGNITUDE:
        raise NumberError(f"quá lớn (nhận được {format_exact(result)})")
    return result


def _from_decimal(decimal: Decimal, original) -> Fraction:
    # Check size before converting: Fraction(Decimal("1e-999999999")) would never finish.
    if not decimal.is_finite():
        raise NumberError(f"phải là số hữu hạn (nhận được {original})")
    if decimal and decimal.adjusted() > 12:
        raise NumberError(f"quá lớn (nhận được {original})")
    if decimal and (
        decimal.adjusted() < _MIN_EXPONENT or len(decimal.as_tuple().digits) > _MAX_DIGITS
    ):
        raise NumberError(f"có quá nhiều chữ số (nhận được {original})")
    return Fraction(decimal)


def _rounded_magnitude(value, scale: int) -> tuple[int, bool]:
    """(|value| × scale rounded half up, value < 0), in integers: scoring a national
    dataset formats hundreds of thousands of numbers, and Fraction arithmetic is slow."""
    if not isinstance(value, int | Fraction):
        value = Fraction(value)
    numerator, denominator = value.numerator, value.denominator
    # floor(|n/d| × scale + 1/2) = floor((2·|n|·scale + d) / 2d)
    return (2 * abs(numerator) * scale + denominator) // (2 * denominator), numerator < 0


def round_half_up(value: Fraction, places: int = 0) -> Fraction:
    """Round to `places` decimals, halves away from zero (3,785 → 3,79; −0,5 → −1)."""
    scale = 10**places
    magnitude, negative = _rounded_magnitude(value, scale)
    return Fraction(-magnitude if negative else magnitude, scale)


def _digits(value: Fraction, places: int) -> tuple[str, str, str]:
    """(sign, integer part, fractional part padded to `places`) of a rounded value."""
    scale = 10**places
    magnitude, negative = _rounded_magnitude(value, scale)
    sign = "-" if negative and magnitude else ""
    integer, fraction = divmod(magnitude, scale)
    frac = str(fraction).rjust(places, "0") if places else ""
    return sign, str(integer), frac


def decimal_str(value: Fraction, places: int = 6) -> str:
    """Machine format: "3.789474" (half-up, "." separator, always `places` decimals)."""
    sign, integer, frac = _digits(value, places)
    return f"{sign}{integer}.{frac}" if places else f"{sign}{integer}"


def _group_thousands(integer: str) -> str:
    if len(integer) <= 3:
        return integer
    head = len(integer) % 3 or 3
    groups = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return ".".join(groups)


def format_vi(value: Fraction, decimals: int = 2, *, trim: bool = False) -> str:
    """Vietnamese display: half-up to `decimals`, decimal comma, "." between thousands.

    Always `decimals` places ("3,79", "6,00", "1.234,50"), as in a table of scores; with
    `trim`, trailing zeros are dropped ("6", "1,5"), as in explanations. The thousands
    separator only appears from 1000 on.
    """
    sign, integer, frac = _digits(value, decimals)
    if trim:
        frac = frac.rstrip("0")
    if sign and not frac.strip("0") and integer == "0":
        sign = ""
    text = sign + _group_thousands(integer)
    return f"{text},{frac}" if frac else text


def terminates(value: Fraction) -> bool:
    """True if the value has a finite decimal expansion (denominator 2^a·5^b)."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def format_exact(value: Fraction) -> str:
    """The exact value in Vietnamese format ("90,5", "1.250"), or "n/d" if it never ends."""
    value = Fraction(value)
    if not terminates(value):
        return f"{value.numerator}/{value.denominator}"
    # d = 2^a·5^b: max(a, b) decimal places end it.
    den, twos, fives = value.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    return format_vi(value, max(twos, fives), trim=True)
