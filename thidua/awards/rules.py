"""Which units of a level an award proposal names: plain functions over ranking rows.

A rule is one of:

- top N: every unit ranked N or better. Ranks are shared on equal totals (1, 2, 2, 4), so
  units tied at the cut-off are all in: top 2 of (1, 2, 2, 4) names three units, and top 3
  names the same three (nobody is ranked 3);
- total ≥ X: every unit whose exact total is at least X (the boundary is in);
- grade band: every unit graded in that band exactly (one award form per band, e.g.
  Bằng khen for Xuất sắc and Giấy khen for Tốt).

Only units that took part (their assessment exists) are named; a unit that never opened
its assessment scores 0 and is never proposed by a rule (the officer may add it by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

from thidua import scoring
from thidua.awards.models import ProposalRule
from thidua.results.models import GradeBand
from thidua.scoring.numbers import NumberError
from thidua.units.models import Level

Kind = ProposalRule.Kind
MAX_TOP_N = 1000


@dataclass(frozen=True)
class Rule:
    level: Level
    kind: str
    value: Fraction | None = None  # N (top_n) or X (min_total)
    band: GradeBand | None = None  # grade

    def selects(self, row) -> bool:
        """Whether a ranking row (rank, total, grade) meets the rule."""
        if self.kind == Kind.TOP_N:
            return row.rank <= self.value
        if self.kind == Kind.MIN_TOTAL:
            return row.total >= self.value
        return row.grade is not None and row.grade.pk == self.band.pk

    def describe(self) -> str:
        """In the words of the proposal: "3 đơn vị xếp hạng cao nhất (kể cả đồng hạng)"."""
        if self.kind == Kind.TOP_N:
            return f"{self.value} đơn vị xếp hạng cao nhất (kể cả đơn vị đồng hạng)"
        if self.kind == Kind.MIN_TOTAL:
            return f"đơn vị có tổng điểm từ {scoring.format_vi(self.value, 2, trim=True)} trở lên"
        return f"đơn vị xếp loại {self.band.name}"

    @property
    def stored_value(self) -> Decimal | None:
        return None if self.value is None else Decimal(scoring.decimal_str(self.value, 6))


def select(rule: Rule, rows) -> list:
    """The rows a rule names, among those that took part, in ranking order."""
    return [row for row in rows if took_part(row) and rule.selects(row)]


def took_part(row) -> bool:
    return row.assessment.pk is not None


def make_rule(level: Level, kind: str, value, band: GradeBand | None, *, period) -> Rule:
    """A validated rule (the one check the form and the services share).

    `value` may be text as typed ("3", "87,5"), a number, or None. Raises ValidationError
    with a Vietnamese message naming the level.
    """
    where = level.name
    if kind not in Kind.values:
        raise ValidationError(f"{where}: quy tắc không hợp lệ.")
    if kind == Kind.GRADE:
        if band is None:
            raise ValidationError(f"{where}: chọn một mức xếp loại.")
        if band.period_id != period.pk:
            raise ValidationError(f"{where}: mức xếp loại không thuộc kỳ đánh giá này.")
        return Rule(level, kind, band=band)
    if value in (None, ""):
        raise ValidationError(f"{where}: nhập giá trị của quy tắc.")
    try:
        number = scoring.to_fraction(value)
    except NumberError as exc:
        raise ValidationError(f"{where}: giá trị {exc}.") from exc
    if kind == Kind.TOP_N:
        if number.denominator != 1 or not 1 <= number <= MAX_TOP_N:
            raise ValidationError(f"{where}: số đơn vị phải là số nguyên từ 1 trở lên.")
        return Rule(level, kind, value=int(number))
    if not 0 <= number <= 100:
        raise ValidationError(f"{where}: tổng điểm phải từ 0 đến 100.")
    return Rule(level, kind, value=number)


def rule_from_model(rule: ProposalRule, period) -> Rule:
    if rule.kind == Kind.TOP_N:
        return Rule(rule.level, rule.kind, value=int(rule.value))
    if rule.kind == Kind.MIN_TOTAL:
        return Rule(rule.level, rule.kind, value=Fraction(rule.value))
    band = rule.grade_band or GradeBand(period=period, name=rule.grade_name, min_total=0)
    return Rule(rule.level, rule.kind, band=band)
