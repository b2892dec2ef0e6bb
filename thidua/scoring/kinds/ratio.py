"""`ratio`: achievement against a target. score = P if rate ≥ target else rate/target × P."""

from thidua.scoring.kinds.base import Outcome, num, param_percent, pct, result
from thidua.scoring.kinds.rates import ZERO_DENOMINATOR, RateRule
from thidua.scoring.registry import register


@register("ratio")
class RatioRule(RateRule):
    PARAMS = ("target", *RateRule.RATE_PARAMS)
    REQUIRED = ("target",)

    def parse_params(self, params, problems) -> None:
        self.target = None
        if "target" in params:
            self.target = param_percent(problems, params["target"], "target")
        self.parse_labels(params, problems)

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        rate = self.rate(clean, decimals)
        if rate.value is None:
            return Outcome("needs_na", None, ZERO_DENOMINATOR)
        points, target = self.points, self.target
        if rate.value >= target:
            text = f"{rate.shown} ≥ {pct(target)} → điểm chuẩn {result(points, decimals)}"
            return Outcome("scored", points, text)
        score = rate.value / target * points
        calc = f"{rate.term}/{num(target)} × {num(points)} = {result(score, decimals)}"
        text = f"{rate.shown}; {calc}" if rate.from_counts else calc
        return Outcome("scored", score, text)
