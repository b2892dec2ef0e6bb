"""Helpers shared by the scoring tests: tiny libraries and an explanation checker."""

import copy
import re
from fractions import Fraction

from thidua.scoring import decimal_str, format_vi, parse_library, round_half_up, to_fraction
from thidua.scoring.expr import ExprError, Expression

BASE_SET = {
    "code": "test-set",
    "name": "Bộ tiêu chí thử",
    "decision": "1/QĐ-UBND",
    "decision_date": "2023-10-05",
    "issuer": "Ủy ban nhân dân tỉnh",
    "province": "Sóc Trăng",
    "year": 2023,
    "version": "2023.1",
}


def criterion_data(code="T99", kind="ratio", params=None, points=4, **extra):
    data = {
        "code": code,
        "content": f"Tiêu chí {code}",
        "points": points,
        "kind": kind,
        "params": {"target": 95} if params is None else params,
        "rule_text": "Cách tính",
        "evidence_basis": "Căn cứ",
    }
    data.update(extra)
    return data


def library_data(*levels, **set_fields):
    """A valid library dict; each level is (code, [criterion dicts]), scale = Σ points."""
    if not levels:
        levels = (("tinh", [criterion_data("T01", points=60), criterion_data("T02", points=40)]),)
    return {
        "format": "thidua-criteria/1",
        "set": {**BASE_SET, **set_fields},
        "levels": [
            {
                "code": code,
                "name": f"Cấp {code}",
                "scale": decimal_str(sum(to_fraction(c["points"]) for c in criteria)),
                "criteria": copy.deepcopy(criteria),
            }
            for code, criteria in levels
        ],
    }


def make_criterion(kind, params, points=4, code="T99"):
    """One validated criterion of the given kind (through the real library parser)."""
    library = parse_library(library_data(("tinh", [criterion_data(code, kind, params, points)])))
    return library.levels[0].criteria[0]


_TRANSLATIONS = [
    ("tháng trễ", ""),
    ("×", "*"),
    ("−", "-"),
    ("^", "**"),
    ("≥", ">="),
    ("≤", "<="),
    ("≠", "!="),
    ("; ngược lại ", " else "),
    (" nếu ", " if "),
    ("; ", ", "),
]


def _to_python(text: str) -> str:
    for old, new in _TRANSLATIONS:
        text = text.replace(old, new)
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    return re.sub(r"(\d+(?:\.\d+)?)%", r"(\1/100)", text)


def explained_arithmetic(head: str) -> Fraction | None:
    """Value of the arithmetic at the end of `head` (the explanation before its final
    " = "), found as the longest tail that is a valid expression; None if there is none."""
    python = _to_python(head)
    for start in range(len(python)):
        candidate = python[start:].strip()
        if not candidate:
            break
        try:
            return Expression(candidate, ()).evaluate({})
        except ExprError:
            continue
    return None


def assert_explanation_matches(result, decimals=2):
    """The explanation ends with the displayed score: either "ARITHMETIC = score", where
    the arithmetic evaluates (rounded alike) to the score, or "→ [điểm chuẩn] score".
    Returns the arithmetic's exact value, or None for the second form."""
    shown = format_vi(result.score, decimals, trim=True)
    text = result.explanation
    if text.endswith(f" = {shown}"):
        value = explained_arithmetic(text[: -len(f" = {shown}")])
        assert value is not None, text
        assert round_half_up(value, decimals) == round_half_up(result.score, decimals), (
            text,
            value,
        )
        return value
    assert re.search(rf"→ (điểm chuẩn )?{re.escape(shown)}$", text), (text, shown)
    return None
