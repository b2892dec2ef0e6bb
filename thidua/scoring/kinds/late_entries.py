"""`late_entries`: a percentage of P deducted per late data entry, by reporting frequency.

score = max(0, P × (1 − Σ count_f × percent_f / 100)).
"""

from fractions import Fraction

from thidua.scoring.fields import InputField
from thidua.scoring.kinds.base import Outcome, Rule, num, param_percent, pct, result
from thidua.scoring.registry import register

FREQUENCIES = {
    "monthly": "tháng",
    "quarterly": "quý",
    "semiannual": "6 tháng",
    "annual": "năm",
}


@register("late_entries")
class LateEntriesRule(Rule):
    PARAMS = ("deduction_percent",)
    REQUIRED = PARAMS

    def parse_params(self, params, problems) -> None:
        self.deductions: dict[str, Fraction] = {}
        mapping = params.get("deduction_percent")
        if "deduction_percent" not in params:
            return
        if not isinstance(mapping, dict) or not mapping:
            problems.add("deduction_percent", "phải là bảng tần suất: phần trăm, không rỗng")
            return
        for frequency in FREQUENCIES:  # keep a fixed order for explanations
            if frequency in mapping:
                field = f"deduction_percent.{frequency}"
                percent = param_percent(problems, mapping[frequency], field)
                if percent is not None:
                    self.deductions[frequency] = percent
        for frequency in mapping:
            if frequency not in FREQUENCIES:
                known = ", ".join(FREQUENCIES)
                problems.add(
                    f"deduction_percent.{frequency}", f"tần suất không hợp lệ (chỉ dùng: {known})"
                )

    def input_fields(self) -> list[InputField]:
        return [
            InputField(
                frequency,
                f"Số lần nhập trễ (tần suất {FREQUENCIES[frequency]})",
                "integer",
                required=False,
                min=Fraction(0),
                help=f"Mỗi lần trừ {pct(percent)} điểm chuẩn; để trống = 0",
            )
            for frequency, percent in self.deductions.items()
        ]

    def clean(self, data: dict) -> dict:
        self.reject_unknown(data, list(self.deductions))
        return {
            frequency: int(
                self.clean_number(
                    frequency,
                    data[frequency],
                    noun="Số lần nhập trễ",
                    type="integer",
                    low=Fraction(0),
                )
            )
            for frequency in self.deductions
            if frequency in data
        }

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        counts = {f: clean[f] for f in self.deductions if clean.get(f)}
        points = self.points
        if not counts:
            return Outcome(
                "scored",
                points,
                f"Không có lần nhập số liệu trễ → điểm chuẩn {result(points, decimals)}",
            )
        deducted = sum(count * self.deductions[f] / 100 for f, count in counts.items())
        raw = points * (1 - deducted)
        score = max(raw, Fraction(0))
        details = ", ".join(
            f"{count} lần (tần suất {FREQUENCIES[f]})" for f, count in counts.items()
        )
        terms = " − ".join(f"{count} × {pct(self.deductions[f])}" for f, count in counts.items())
        calc = f"{num(points)} × (1 − {terms})"
        if raw < 0:
            calc = f"max(0; {calc})"
        return Outcome(
            "scored", score, f"Nhập trễ {details}. Điểm: {calc} = {result(score, decimals)}"
        )
