"""`threshold`: all or nothing. score = P if rate ≥ threshold else 0."""

from fractions import Fraction

from thidua.scoring.kinds.base import Outcome, param_percent, pct, result
from thidua.scoring.kinds.rates import ZERO_DENOMINATOR, RateRule
from thidua.scoring.registry import register


@register("threshold")
class ThresholdRule(RateRule):
    PARAMS = ("threshold", *RateRule.RATE_PARAMS)
    REQUIRED = ("threshold",)

    def parse_params(self, params, problems) -> None:
        self.threshold = None
        if "threshold" in params:
            self.threshold = param_percent(problems, params["threshold"], "threshold")
        self.parse_labels(params, problems)

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        rate = self.rate(clean, decimals)
        if rate.value is None:
            return Outcome("needs_na", None, ZERO_DENOMINATOR)
        if rate.value >= self.threshold:
            text = (
                f"{rate.shown} ≥ {pct(self.threshold)} → điểm chuẩn {result(self.points, decimals)}"
            )
            return Outcome("scored", self.points, text)
        return Outcome("scored", Fraction(0), f"{rate.shown} < {pct(self.threshold)} → 0")
