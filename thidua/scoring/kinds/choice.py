"""`choice`: one option among listed ones, each worth fixed points (a number or "P-2")."""

from dataclasses import dataclass

from thidua.scoring.errors import InputError
from thidua.scoring.fields import ChoiceOption, InputField
from thidua.scoring.kinds.base import (
    Outcome,
    Points,
    Rule,
    check_item_keys,
    param_list,
    param_name,
    param_points,
    param_text,
)
from thidua.scoring.registry import register

OPTION_KEYS = ("code", "label", "points")


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    points: Points


@register("choice")
class ChoiceRule(Rule):
    PARAMS = ("options",)
    REQUIRED = PARAMS

    def parse_params(self, params, problems) -> None:
        self.options: dict[str, Option] = {}
        for index, item in enumerate(param_list(problems, params, "options")):
            field = f"options[{index}]"
            if not check_item_keys(problems, item, field, OPTION_KEYS):
                continue
            code = param_name(problems, item, "code", f"{field}.code")
            label = param_text(problems, item, "label", f"{field}.label")
            if "points" not in item:
                problems.add(f"{field}.points", "thiếu điểm của lựa chọn")
                continue
            points = param_points(problems, item["points"], f"{field}.points", self.points)
            if code in self.options:
                problems.add(f"{field}.code", f"mã bị trùng: {code}")
            elif code and label and points:
                self.options[code] = Option(code, label, points)

    def input_fields(self) -> list[InputField]:
        choices = tuple(
            ChoiceOption(o.code, o.label, o.points.value) for o in self.options.values()
        )
        return [InputField("option", "Mức đạt", "choice", choices=choices)]

    def clean(self, data: dict) -> dict:
        self.reject_unknown(data, ("option",))
        option = data["option"]
        if not isinstance(option, str) or option not in self.options:
            known = ", ".join(self.options)
            message = f"Lựa chọn không có trong danh sách: {option!r} (chỉ dùng: {known})"
            raise InputError(self.code, "option", message)
        return {"option": option}

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        option = self.options[clean["option"]]
        text = option.points.explain(option.label, self.points, decimals)
        return Outcome("scored", option.points.value, text)
