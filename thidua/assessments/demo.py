"""Demo data: realistic, varied self-assessments so that scores differ between units.

Inputs are drawn from a seeded random generator (reproducible) per rule kind, with a
"quality" per unit so that strong and weak units look like strong and weak units.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from thidua import scoring
from thidua.accounts.models import Membership, Role
from thidua.assessments.models import Assessment
from thidua.assessments.scores import library_level
from thidua.assessments.services import save_self_inputs
from thidua.criteria.services import scoring_library
from thidua.evidence.models import Evidence
from thidua.periods.models import Extension, Period
from thidua.periods.services import due_dates_by_criterion
from thidua.units.models import Unit

DEMO_PASSWORD = "ChuyenDoiSo@2023"  # noqa: S105 — printed at start-up; demo only

# username, full name, role, unit code
DEMO_USERS = [
    ("quantri", "Quản trị hệ thống", Role.ADMINISTRATOR, None),
    ("sotttt", "Nguyễn Văn Thẩm (Sở TT&TT)", Role.PROVINCIAL_REVIEWER, None),
    ("huyen941", "Trần Thị Kiểm (UBND TP Sóc Trăng)", Role.DISTRICT_REVIEWER, "941"),
    ("xa31498", "Lê Thị Đầu Mối (Phường 5)", Role.UNIT_EDITOR, "31498"),
    ("truong31498", "Phạm Văn Trưởng (Chủ tịch UBND Phường 5)", Role.UNIT_HEAD, "31498"),
    ("xa31501", "Võ Thị Nhập (Phường 7)", Role.UNIT_EDITOR, "31501"),
    ("sonoivu", "Huỳnh Văn Thưởng (Sở Nội vụ)", Role.AWARDS_OFFICER, None),
    ("lanhdao", "Lãnh đạo UBND tỉnh", Role.VIEWER, None),
]

# unit code → quality in [0, 1]; 31498 is left partly filled for its editor to finish.
DEMO_UNITS = {
    "SO-TTTT": 0.97,
    "SO-NV": 0.85,
    "SO-YT": 0.7,
    "SO-GDDT": 0.78,
    "VP-UBND": 0.92,
    "TW-CA": 0.88,
    "941": 0.9,
    "943": 0.72,
    "946": 0.6,
    "950": 0.8,
    "31501": 0.82,
    "31504": 0.66,
    "31507": 0.9,
    "31528": 0.58,
    "31531": 0.75,
    "31498": 0.8,
}
PARTLY_FILLED = {"31498": 9}
# Evidence is cited for the first N filled criteria only (so the page shows what is missing).
PARTLY_EVIDENCED = {"31498": 5}
# The 2023 deadline is long past: these units get an extension so the demo can submit.
EXTENDED = ("31498", "31501")
SUBMITTED = {"SO-TTTT", "VP-UBND", "941", "31507", "31501"}


DOC_KINDS = {
    "deadline": "KH-UBND",
    "choice": "QĐ-UBND",
    "ratio": "BC-UBND",
    "threshold": "BC-UBND",
    "late_entries": "BC-UBND",
    "bands": "BC-UBND",
    "formula": "BC-UBND",
}


def create_demo_users() -> list[tuple[str, str, str]]:
    printed = []
    for username, full_name, role, unit_code in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            first, _, last = full_name.rpartition(" ")
            user.first_name, user.last_name = first, last
            user.is_staff = role == Role.ADMINISTRATOR
            user.is_superuser = role == Role.ADMINISTRATOR
            user.set_password(DEMO_PASSWORD)
            user.save()
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        Membership.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
        printed.append((username, str(Role(role).label), unit.name if unit else ""))
    return printed


def _rate(rng: random.Random, quality: float, target: int) -> str:
    low = max(0.0, target * (quality - 0.35))
    value = rng.uniform(low, min(100.0, target * (quality + 0.25)))
    return f"{min(value, 100.0):.1f}".replace(".", ",")


def demo_inputs(
    criterion: scoring.Criterion, rng: random.Random, quality: float, due: dict
) -> dict:
    params = criterion.params
    kind = criterion.kind
    if kind == "deadline":
        inputs = {}
        for deliverable in params["deliverables"]:
            due_on = due[deliverable["code"]]
            late_days = (
                rng.choice([-20, -5, 0, 0, 10, 35, 65]) if quality < 0.8 else -rng.randint(1, 25)
            )
            inputs[deliverable["code"]] = {
                "actual": (due_on + datetime.timedelta(days=late_days)).isoformat()
            }
        return inputs
    if kind == "choice":
        options = params["options"]  # the library lists options from best to worst
        index = 0 if rng.random() < quality else min(len(options) - 1, rng.randint(1, 2))
        return {"option": options[index]["code"]}
    if kind in ("ratio", "threshold"):
        target = int(params.get("target", params.get("threshold", 100)))
        if "Tổ công nghệ số" in criterion.content or criterion.code == "T15":
            total = rng.randint(3, 9)
            active = total if rng.random() < quality else total - rng.randint(1, 2)
            return {"numerator": max(active, 0), "denominator": total}
        return {"rate": _rate(rng, quality, target)}
    if kind == "late_entries":
        if rng.random() < quality:
            return {"monthly": 0}
        return {"monthly": rng.randint(1, 2), "quarterly": rng.randint(0, 1)}
    if kind == "bands":
        return {params["input"]["name"]: rng.randint(0, 5)}
    if kind == "formula":
        return {spec["name"]: rng.randint(0, 4) for spec in params["inputs"]}
    raise ValueError(f"no demo inputs for kind {kind}")


@transaction.atomic
def fill_demo_assessments(period: Period, admin: User) -> int:
    library = scoring_library(period.criteria_version)
    due_by_code = due_dates_by_criterion(period)
    filled = 0
    for code, quality in DEMO_UNITS.items():
        unit = Unit.objects.select_related("level").get(code=code)
        assessment, created = Assessment.objects.get_or_create(period=period, unit=unit)
        if not created:
            continue
        rng = random.Random(f"2435-{code}")  # noqa: S311 — demo data, not security
        level = library_level(library, unit.level.code)
        criteria = level.criteria[: PARTLY_FILLED.get(code, len(level.criteria))]
        evidenced = PARTLY_EVIDENCED.get(code, len(criteria))
        for index, criterion in enumerate(criteria):
            inputs = demo_inputs(criterion, rng, quality, due_by_code.get(criterion.code, {}))
            save_self_inputs(
                assessment=assessment,
                criterion_code=criterion.code,
                inputs=inputs,
                user=admin,
                reason="demo",
            )
            if criterion.evidence_required and index < evidenced:
                Evidence.objects.create(
                    assessment=assessment,
                    criterion_code=criterion.code,
                    doc_number=f"{rng.randint(10, 250)}/{DOC_KINDS[criterion.kind]}",
                    doc_date=datetime.date(period.year, rng.randint(1, 11), rng.randint(1, 28)),
                    doc_issuer=unit.name,
                    doc_summary=f"Tài liệu minh chứng tiêu chí {criterion.code}",
                    uploaded_by=admin,
                )
        if code in SUBMITTED:
            assessment.state = Assessment.State.SUBMITTED
            assessment.submitted_at = datetime.datetime(
                period.year, 12, rng.randint(1, 14), 9, 30, tzinfo=datetime.UTC
            )
            assessment.save(update_fields=["state", "submitted_at"])
        filled += 1
    for code in EXTENDED:
        Extension.objects.get_or_create(
            period=period,
            unit=Unit.objects.get(code=code),
            defaults={
                "until": timezone.localdate() + datetime.timedelta(days=30),
                "reason": "Gia hạn để dùng thử hệ thống (dữ liệu mẫu)",
                "granted_by": admin,
            },
        )
    return filled
