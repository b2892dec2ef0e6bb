"""`deadline`: documents issued on time, minus points per month late.

months late = the smallest k ≥ 0 with actual ≤ add_months(due, k), always counted from the
original due date, with add_months clamped to the month's end (due 31/01: 28/02 → 1 month,
01/03 → 2). score = max(0, P − penalty × Σ months); a document never issued → 0.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from thidua.scoring.errors import InputError
from thidua.scoring.fields import InputField
from thidua.scoring.kinds.base import (
    Outcome,
    Rule,
    check_item_keys,
    num,
    param_list,
    param_name,
    param_number,
    param_text,
    result,
)
from thidua.scoring.registry import register

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_DAY_RE = re.compile(r"(\d{2})-(\d{2})")
YEARS = range(2000, 2101)
DELIVERABLE_KEYS = ("code", "label", "default_due")


@dataclass(frozen=True)
class Deliverable:
    code: str
    label: str
    default_due: str  # "MM-DD", valid in every year (never "02-29")

    def due_in(self, year: int) -> date:
        month, day = (int(part) for part in self.default_due.split("-"))
        return date(year, month, day)


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_late(due: date, actual: date) -> int:
    if actual <= due:
        return 0
    months = (actual.year - due.year) * 12 + actual.month - due.month
    return months if actual <= add_months(due, months) else months + 1


def vi_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@register("deadline")
class DeadlineRule(Rule):
    PARAMS = ("penalty_per_month", "deliverables")
    REQUIRED = PARAMS

    def parse_params(self, params, problems) -> None:
        self.penalty = None
        if "penalty_per_month" in params:
            self.penalty = param_number(
                problems, params["penalty_per_month"], "penalty_per_month", positive=True
            )
        self.deliverables: list[Deliverable] = []
        for index, item in enumerate(param_list(problems, params, "deliverables")):
            field = f"deliverables[{index}]"
            if not check_item_keys(problems, item, field, DELIVERABLE_KEYS):
                continue
            code = param_name(problems, item, "code", f"{field}.code")
            label = param_text(problems, item, "label", f"{field}.label")
            due = self._month_day(problems, item.get("default_due"), f"{field}.default_due")
            if code in {d.code for d in self.deliverables} | {"na", "reason"}:
                problems.add(f"{field}.code", f"mã bị trùng hoặc dành riêng: {code}")
            elif code and label and due:
                self.deliverables.append(Deliverable(code, label, due))

    @staticmethod
    def _month_day(problems, value, field):
        """ "MM-DD" that exists in every year (so never "02-29"), else None."""
        match = MONTH_DAY_RE.fullmatch(value) if isinstance(value, str) else None
        if match:
            try:
                date(2023, int(match[1]), int(match[2]))  # 2023 is not a leap year
            except ValueError:
                match = None
        if not match:
            problems.add(field, f"phải có dạng MM-DD, có trong mọi năm (nhận được {value!r})")
            return None
        return value

    def input_fields(self) -> list[InputField]:
        fields = []
        for item in self.deliverables:
            fields.append(
                InputField(f"{item.code}.due", f"{item.label}: hạn", "date", group=item.code)
            )
            fields.append(
                InputField(
                    f"{item.code}.actual",
                    f"{item.label}: ngày ban hành văn bản",
                    "date",
                    required=False,
                    group=item.code,
                    help="Để trống nếu không ban hành (0 điểm)",
                )
            )
        return fields

    def clean(self, data: dict) -> dict:
        codes = [item.code for item in self.deliverables]
        self.reject_unknown(data, codes)
        clean = {}
        for code, value in data.items():
            if not isinstance(value, dict):
                message = 'Phải là một đối tượng {"due": "YYYY-MM-DD", "actual": "YYYY-MM-DD"}'
                raise InputError(self.code, code, message)
            self.reject_unknown(
                {f"{code}.{key}": v for key, v in value.items()}, [f"{code}.due", f"{code}.actual"]
            )
            if value.get("due") in (None, ""):
                raise InputError(self.code, f"{code}.due", "Thiếu hạn ban hành (due)")
            due = self._date(f"{code}.due", value["due"])
            if due.year not in YEARS:
                raise InputError(
                    self.code, f"{code}.due", f"Năm không hợp lệ (nhận được {due.year})"
                )
            if "actual" not in value:
                message = "Thiếu ngày ban hành văn bản (ghi null nếu không ban hành)"
                raise InputError(self.code, f"{code}.actual", message)
            actual = None
            if value["actual"] not in (None, ""):
                actual = self._date(f"{code}.actual", value["actual"])
                if abs(actual.year - due.year) > 1:
                    message = (
                        f"Năm không hợp lệ: {actual.year} cách năm của hạn ({due.year}) quá 1 năm"
                    )
                    raise InputError(self.code, f"{code}.actual", message)
            clean[code] = {"due": due, "actual": actual}
        return clean

    def _date(self, field, value) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and DATE_RE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise InputError(
                    self.code, field, f"Ngày không tồn tại (nhận được '{value}')"
                ) from None
        raise InputError(self.code, field, f"Ngày phải có dạng YYYY-MM-DD (nhận được {value!r})")

    def evaluate(self, clean: dict, decimals: int) -> Outcome:
        details, total, never_issued = [], 0, False
        missing = [item.label for item in self.deliverables if item.code not in clean]
        for item in self.deliverables:
            if item.code not in clean:
                continue
            due, actual = clean[item.code]["due"], clean[item.code]["actual"]
            if actual is None:
                never_issued = True
                details.append(f"{item.label}: không ban hành (hạn {vi_date(due)})")
                continue
            late = months_late(due, actual)
            total += late
            status = f"trễ {late} tháng" if late else "đúng hạn"
            details.append(
                f"{item.label}: hạn {vi_date(due)}, ban hành {vi_date(actual)}, {status}"
            )
        if never_issued:
            text = "; ".join(details) + ". Có văn bản không ban hành → 0"
            return Outcome("scored", Fraction(0), text)
        if missing:
            return Outcome("not_scored", None, f"Chưa chấm: chưa nhập {', '.join(missing)}")
        points, penalty = self.points, self.penalty
        raw = points - penalty * total
        calc = f"{num(points)} − {num(penalty)} × {total} tháng trễ"
        if raw < 0:
            calc = f"max(0; {calc})"
        score = max(raw, Fraction(0))
        return Outcome(
            "scored", score, f"{'; '.join(details)}. Điểm: {calc} = {result(score, decimals)}"
        )
