"""The Rule base class and helpers shared by the rule kinds.

A rule is built once per criterion when a library loads (`Rule(code, points, params,
where=…)`), checking its parameters and raising one LibraryError listing all problems.
It then describes its inputs (`input_fields`), validates them (`validate_inputs`, raising
InputError) and scores them (`score`).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from thidua.scoring.errors import SEP, InputError, Problems
from thidua.scoring.expr import ExprError, Expression
from thidua.scoring.fields import InputField
from thidua.scoring.numbers import NumberError, format_exact, format_vi, to_fraction

NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
NOT_SCORED = "Chưa chấm: chưa nhập số liệu"


@dataclass(frozen=True)
class Outcome:
    status: str  # "scored" | "not_scored" | "needs_na"
    score: Fraction | None
    explanation: str


class Rule:
    kind: ClassVar[str] = ""
    PARAMS: ClassVar[tuple[str, ...]] = ()
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    def __init__(self, code: str, points: Fraction | None, params, *, where: str = ""):
        """`points` may be None while loading a library whose points are themselves
        invalid; checks against P are then skipped (the library fails anyway)."""
        self.code = code
        self.points = points
        self.params = params
        problems = Problems(f"{where}{SEP}params" if where else "params", joiner=".")
        if not isinstance(params, Mapping):
            problems.add(None, "phải là một bảng tham số (khóa: giá trị)")
            problems.raise_if_any()
        for key in params:
            if key not in self.PARAMS:
                problems.add(str(key), f"tham số không được hỗ trợ (chỉ dùng: {self._known()})")
        for key in self.REQUIRED:
            if key not in params:
                problems.add(key, "thiếu tham số bắt buộc")
        self.parse_params(params, problems)
        problems.raise_if_any()

    def _known(self) -> str:
        return ", ".join(self.PARAMS)

    # -- to implement -----------------------------------------------------------------

    def parse_params(self, params: Mapping, problems: Problems) -> None:
        raise NotImplementedError

    def input_fields(self) -> list[InputField]:
        raise NotImplementedError

    def clean(self, data: dict) -> dict:
        """Validate the (non-N/A, non-empty-valued) inputs; return them normalised."""
        raise NotImplementedError

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        raise NotImplementedError

    # -- shared behaviour -------------------------------------------------------------

    def validate_inputs(self, inputs) -> dict:
        """Normalised inputs, {"na": True, "reason": …} for N/A, {} for nothing entered.
        Top-level values that are None or blank text count as not entered."""
        if inputs is None:
            return {}
        if not isinstance(inputs, Mapping):
            raise InputError(
                self.code, None, "Dữ liệu nhập phải là một đối tượng {trường: giá trị}"
            )
        data = dict(inputs)
        na = data.pop("na", None)
        reason = data.pop("reason", None)
        if na is not None and not isinstance(na, bool):
            raise InputError(self.code, "na", f"Phải là true hoặc false (nhận được {na!r})")
        if na:
            if not isinstance(reason, str) or not reason.strip():
                raise InputError(self.code, "reason", "Phải ghi lý do khi đánh dấu Không áp dụng")
            return {"na": True, "reason": reason.strip()}
        data = {
            key: value
            for key, value in data.items()
            if value is not None and not (isinstance(value, str) and not value.strip())
        }
        if not data:
            return {}
        return self.clean(data)

    def score(self, clean: dict, decimals: int = 2) -> Outcome:
        if not clean:
            return Outcome("not_scored", None, NOT_SCORED)
        outcome = self.evaluate(clean, decimals)
        if outcome.score is not None:
            clamped = min(max(outcome.score, Fraction(0)), self.points)
            outcome = Outcome(outcome.status, clamped, outcome.explanation)
        return outcome

    def reject_unknown(self, data: dict, allowed) -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(allowed)
                raise InputError(self.code, str(key), f"Trường không hợp lệ (chỉ dùng: {known})")

    def clean_number(self, field, value, *, noun, type="number", low=None, high=None):
        """A Fraction from user input, checked against its type and bounds."""
        if type == "percent":
            low = Fraction(0) if low is None else low
            high = Fraction(100) if high is None else high
        try:
            number = to_fraction(value)
        except NumberError as exc:
            raise InputError(self.code, field, f"{noun} {exc}") from None
        shown = format_exact(number)  # as the user typed it: ASCII minus
        if type == "integer" and number.denominator != 1:
            raise InputError(self.code, field, f"{noun} phải là số nguyên (nhận được {shown})")
        too_low = low is not None and number < low
        too_high = high is not None and number > high
        if too_low or too_high:
            if low is not None and high is not None:
                bound = f"phải nằm trong khoảng {num(low)}–{num(high)}"
            elif low == 0 and type == "integer":
                bound = "phải là số nguyên không âm"
            elif low is not None:
                bound = f"phải lớn hơn hoặc bằng {num(low)}"
            else:
                bound = f"phải nhỏ hơn hoặc bằng {num(high)}"
            raise InputError(self.code, field, f"{noun} {bound} (nhận được {shown})")
        return number


# -- formatting for explanations ---------------------------------------------------------


def num(value: Fraction) -> str:
    """An exact number in explanations ("90,5"), with a true minus sign."""
    return format_exact(value).replace("-", "−")


def pct(value: Fraction) -> str:
    return f"{num(value)}%"


def result(value: Fraction, decimals: int) -> str:
    """A score at the end of an explanation: rounded, trailing zeros dropped ("1,5")."""
    return format_vi(value, decimals, trim=True)


# -- parameter helpers (library load) ----------------------------------------------------


def param_number(problems, value, field, *, positive=False):
    """A number parameter (> 0 if `positive`), or None after recording the problem."""
    try:
        number = to_fraction(value)
    except NumberError as exc:
        problems.add(field, str(exc))
        return None
    if positive and number <= 0:
        problems.add(field, f"phải là số lớn hơn 0 (nhận được {format_exact(number)})")
        return None
    return number


def param_percent(problems, value, field):
    try:
        number = to_fraction(value)
    except NumberError as exc:
        problems.add(field, f"phải là số phần trăm: {exc}")
        return None
    if not 0 < number <= 100:
        problems.add(
            field, f"phải là số phần trăm trong (0, 100] (nhận được {format_exact(number)})"
        )
        return None
    return number


def param_text(problems, mapping, key, field, *, required=True):
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(field, "phải là một chuỗi không rỗng")
        return None
    return value.strip()


def param_name(problems, mapping, key, field):
    value = param_text(problems, mapping, key, field)
    if value is not None and not NAME_RE.fullmatch(value):
        problems.add(field, f"mã phải gồm chữ thường, số, dấu _ (nhận được '{value}')")
        return None
    return value


def param_list(problems, params, key):
    value = params.get(key)
    if key in params and (not isinstance(value, list) or not value):
        problems.add(key, "phải là một danh sách không rỗng")
        return []
    return value or []


def check_item_keys(problems, item, field, allowed) -> bool:
    if not isinstance(item, Mapping):
        problems.add(field, "phải là một bảng khóa–giá trị")
        return False
    for key in item:
        if key not in allowed:
            problems.add(
                f"{field}.{key}", f"khóa không được hỗ trợ (chỉ dùng: {', '.join(allowed)})"
            )
    return True


@dataclass(frozen=True)
class Points:
    """Points of an option or band: a number, or an expression over P."""

    value: Fraction
    expression: Expression | None

    def explain(self, label: str, points: Fraction, decimals: int) -> str:
        """ "Label → 3", "Label → điểm chuẩn 7" or "Label: 7 − 2 = 5"."""
        shown = result(self.value, decimals)
        if self.expression is None:
            return f"{label} → {shown}"
        if self.expression.is_bare_name:
            return f"{label} → điểm chuẩn {shown}"
        return f"{label}: {self.expression.render({'P': points})} = {shown}"


def param_points(problems, value, field, points):
    """Points written as a number or an expression over P, within [0, P]."""
    expression = None
    if isinstance(value, str) and not _looks_numeric(value):
        try:
            expression = Expression(value, {"P"})
        except ExprError as exc:
            problems.add(field, str(exc))
            return None
        if points is None:
            return None
        try:
            amount = expression.evaluate({"P": points})
        except ExprError as exc:
            problems.add(field, str(exc))
            return None
    else:
        try:
            amount = to_fraction(value)
        except NumberError as exc:
            problems.add(field, str(exc))
            return None
    if points is not None and not 0 <= amount <= points:
        problems.add(
            field, f"điểm phải nằm trong [0; {num(points)}] (nhận được {format_exact(amount)})"
        )
        return None
    return Points(amount, expression)


def _looks_numeric(text: str) -> bool:
    try:
        to_fraction(text)
    except NumberError:
        return False
    return True
