"""`formula`: declared numeric inputs and an expression over them and P (see expr.py)."""

import keyword
from fractions import Fraction

from thidua.scoring.errors import InputError
from thidua.scoring.expr import FUNCTION_ARITY, ExprError, Expression, ExprZeroDivision
from thidua.scoring.fields import InputField
from thidua.scoring.kinds.bands import parse_number_input
from thidua.scoring.kinds.base import Outcome, Rule, num, param_list, result
from thidua.scoring.registry import register


@register("formula")
class FormulaRule(Rule):
    PARAMS = ("inputs", "expression")
    REQUIRED = PARAMS

    def parse_params(self, params, problems) -> None:
        self.fields: list[InputField] = []
        for index, item in enumerate(param_list(problems, params, "inputs")):
            field = parse_number_input(problems, item, f"inputs[{index}]")
            if field is None:
                continue
            if field.name in FUNCTION_ARITY or keyword.iskeyword(field.name):
                problems.add(f"inputs[{index}].name", f"tên trùng với từ dành riêng: {field.name}")
            elif field.name in {f.name for f in self.fields} | {"na", "reason"}:
                problems.add(f"inputs[{index}].name", f"tên bị trùng hoặc dành riêng: {field.name}")
            else:
                self.fields.append(field)
        self.expression = None
        if "expression" in params:
            names = {"P"} | {field.name for field in self.fields}
            try:
                self.expression = Expression(params["expression"], names)
            except ExprError as exc:
                problems.add("expression", str(exc))

    def input_fields(self) -> list[InputField]:
        return list(self.fields)

    def clean(self, data: dict) -> dict:
        self.reject_unknown(data, [field.name for field in self.fields])
        return {
            f.name: self.clean_number(
                f.name, data[f.name], noun=f.label, type=f.type, low=f.min, high=f.max
            )
            for f in self.fields
            if f.name in data
        }

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        missing = [field.label for field in self.fields if field.name not in clean]
        if missing:
            return Outcome("not_scored", None, f"Chưa chấm: chưa nhập {', '.join(missing)}")
        points = self.points
        env = {"P": points, **clean}
        try:
            raw = self.expression.evaluate(env)
        except ExprZeroDivision:
            raise InputError(self.code, None, "Công thức chia cho 0 với số liệu đã nhập") from None
        except ExprError as exc:
            raise InputError(self.code, None, f"Không tính được công thức: {exc}") from None
        calc = self.expression.render(env)
        if raw > points:
            calc = f"min({num(points)}; {calc})"
        elif raw < 0:
            calc = f"max(0; {calc})"
        score = min(max(raw, Fraction(0)), points)
        details = "; ".join(f"{field.label}: {num(clean[field.name])}" for field in self.fields)
        return Outcome("scored", score, f"{details}. Điểm: {calc} = {result(score, decimals)}")
