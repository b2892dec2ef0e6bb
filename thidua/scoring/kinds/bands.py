"""`bands`: one number in, points by band (inclusive bounds, first match wins)."""

from dataclasses import dataclass
from fractions import Fraction

from thidua.scoring.fields import InputField
from thidua.scoring.kinds.base import (
    Outcome,
    Points,
    Rule,
    check_item_keys,
    num,
    param_list,
    param_name,
    param_number,
    param_points,
    param_text,
)
from thidua.scoring.registry import register

INPUT_KEYS = ("name", "label", "type", "min", "max")
BAND_KEYS = ("min", "max", "points")
NUMBER_TYPES = ("integer", "number", "percent")


@dataclass(frozen=True)
class Band:
    low: Fraction | None
    high: Fraction | None
    points: Points

    def matches(self, value: Fraction) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def describe(self) -> str:
        if self.low is not None and self.high is not None:
            return f"mức từ {num(self.low)} đến {num(self.high)}"
        if self.low is not None:
            return f"mức từ {num(self.low)} trở lên"
        if self.high is not None:
            return f"mức đến {num(self.high)}"
        return "mức mọi giá trị"


def parse_number_input(problems, item, field):
    """{name, label, type?, min?, max?} of a numeric input, shared with `formula`."""
    if not check_item_keys(problems, item, field, INPUT_KEYS):
        return None
    name = param_name(problems, item, "name", f"{field}.name")
    label = param_text(problems, item, "label", f"{field}.label")
    kind = item.get("type", "number")
    if kind not in NUMBER_TYPES:
        problems.add(
            f"{field}.type", f"phải là một trong {', '.join(NUMBER_TYPES)} (nhận được {kind!r})"
        )
        return None
    low = param_number(problems, item["min"], f"{field}.min") if "min" in item else None
    high = param_number(problems, item["max"], f"{field}.max") if "max" in item else None
    if low is not None and high is not None and low > high:
        problems.add(f"{field}.min", f"min lớn hơn max ({num(low)} > {num(high)})")
        return None
    if kind == "percent":
        low = Fraction(0) if low is None else low
        high = Fraction(100) if high is None else high
    if name and label:
        return InputField(name, label, kind, min=low, max=high)
    return None


@register("bands")
class BandsRule(Rule):
    PARAMS = ("input", "bands", "default")
    REQUIRED = ("input", "bands")

    def parse_params(self, params, problems) -> None:
        self.field = (
            parse_number_input(problems, params["input"], "input") if "input" in params else None
        )
        self.bands: list[Band] = []
        for index, item in enumerate(param_list(problems, params, "bands")):
            field = f"bands[{index}]"
            if not check_item_keys(problems, item, field, BAND_KEYS):
                continue
            if "points" not in item:
                problems.add(f"{field}.points", "thiếu điểm của mức")
                continue
            low = param_number(problems, item["min"], f"{field}.min") if "min" in item else None
            high = param_number(problems, item["max"], f"{field}.max") if "max" in item else None
            points = param_points(problems, item["points"], f"{field}.points", self.points)
            if low is not None and high is not None and low > high:
                problems.add(f"{field}.min", f"min lớn hơn max ({num(low)} > {num(high)})")
            elif points is not None:
                self.bands.append(Band(low, high, points))
        self.default = param_points(problems, params.get("default", 0), "default", self.points)

    def input_fields(self) -> list[InputField]:
        return [self.field]

    def clean(self, data: dict) -> dict:
        field = self.field
        self.reject_unknown(data, (field.name,))
        value = self.clean_number(
            field.name,
            data[field.name],
            noun=field.label,
            type=field.type,
            low=field.min,
            high=field.max,
        )
        return {field.name: value}

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        value = clean[self.field.name]
        shown = f"{self.field.label}: {num(value)}"
        for band in self.bands:
            if band.matches(value):
                text = band.points.explain(f"{shown}, {band.describe()}", self.points, decimals)
                return Outcome("scored", band.points.value, text)
        text = self.default.explain(f"{shown}, không thuộc mức nào", self.points, decimals)
        return Outcome("scored", self.default.value, text)
