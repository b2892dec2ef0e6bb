"""Inputs shared by `ratio` and `threshold`: a rate in percent, or numerator/denominator."""

from dataclasses import dataclass
from fractions import Fraction

from thidua.scoring.errors import InputError
from thidua.scoring.fields import InputField
from thidua.scoring.kinds.base import Rule, num, param_text, pct, result
from thidua.scoring.numbers import terminates

ZERO_DENOMINATOR = "Mẫu số bằng 0: đề nghị thẩm định đánh dấu Không áp dụng (N/A)"
RATE_KEYS = ("rate", "numerator", "denominator")


@dataclass(frozen=True)
class Rate:
    value: Fraction | None  # percent; None when the denominator is 0
    shown: str  # "90%", "3/4 = 75%", "1/3 ≈ 33,33%"
    term: str  # the rate as written in arithmetic: "90", "75", "(1/3 × 100)"
    from_counts: bool


class RateRule(Rule):
    """Base of the kinds whose input is a rate; subclasses add their own parameter."""

    RATE_PARAMS = ("numerator_label", "denominator_label")

    def parse_labels(self, params, problems) -> None:
        self.numerator_label = param_text(
            problems, params, "numerator_label", "numerator_label", required=False
        )
        self.denominator_label = param_text(
            problems, params, "denominator_label", "denominator_label", required=False
        )

    def input_fields(self) -> list[InputField]:
        hint = "Nhập tỷ lệ, hoặc tử số và mẫu số (không nhập cả hai)"
        return [
            InputField(
                "rate",
                "Tỷ lệ đạt (%)",
                "percent",
                False,
                min=Fraction(0),
                max=Fraction(100),
                help=hint,
            ),
            InputField(
                "numerator",
                self.numerator_label or "Tử số",
                "integer",
                False,
                min=Fraction(0),
                help=hint,
            ),
            InputField(
                "denominator",
                self.denominator_label or "Mẫu số",
                "integer",
                False,
                min=Fraction(0),
                help=hint,
            ),
        ]

    def clean(self, data: dict) -> dict:
        self.reject_unknown(data, RATE_KEYS)
        has_counts = "numerator" in data or "denominator" in data
        if "rate" in data:
            if has_counts:
                message = "Chỉ nhập tỷ lệ hoặc tử số/mẫu số, không nhập cả hai"
                raise InputError(self.code, "rate", message)
            rate = self.clean_number("rate", data["rate"], noun="Tỷ lệ", type="percent")
            return {"rate": rate}
        for field, noun in (("numerator", "Tử số"), ("denominator", "Mẫu số")):
            if field not in data:
                raise InputError(self.code, field, f"Thiếu {noun.lower()}")
        numerator = self.clean_number(
            "numerator", data["numerator"], noun="Tử số", type="integer", low=Fraction(0)
        )
        denominator = self.clean_number(
            "denominator", data["denominator"], noun="Mẫu số", type="integer", low=Fraction(0)
        )
        if numerator > denominator:
            message = f"Tử số không được lớn hơn mẫu số ({num(numerator)} > {num(denominator)})"
            raise InputError(self.code, "numerator", message)
        return {"numerator": int(numerator), "denominator": int(denominator)}

    def rate(self, clean: dict, decimals: int) -> Rate:
        if "rate" in clean:
            rate = clean["rate"]
            return Rate(rate, pct(rate), num(rate), False)
        numerator, denominator = clean["numerator"], clean["denominator"]
        counts = f"{numerator}/{denominator}"
        if denominator == 0:
            return Rate(None, counts, "", True)
        rate = Fraction(numerator * 100, denominator)
        if terminates(rate):
            return Rate(rate, f"{counts} = {pct(rate)}", num(rate), True)
        return Rate(rate, f"{counts} ≈ {result(rate, decimals)}%", f"({counts} × 100)", True)
