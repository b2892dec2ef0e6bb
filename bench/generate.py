"""A national-scale dataset: 10,000 units assessing the real 2435 criteria in one period.

Proportions follow Vietnam before the 2025 reform (63 provinces: ~700 district-level units,
~10,000 communes, a few hundred provincial agencies per province), cut to 10,000 units:
300 provincial agencies, 700 districts, 9,000 communes (each under one district).

Every unit has an assessment with self-reported inputs drawn per rule kind by
`thidua.assessments.demo.demo_inputs` (dates around the period's due dates, rates, choices,
counts), checked by each rule's own validation and stored as the save service stores them.
About 4 % of the criteria are left empty and 2 % are marked N/A by a reviewer; submitted units
have reviewed entries (accepted or verified inputs). Evidence rows cite a document or point
at one small stored file shared by all (metadata rows are what the pages read).

Rows are written with bulk_create (no history records: the benchmark measures reading).
Seeded: the same dataset every time.
"""

from __future__ import annotations

import datetime
import hashlib
import random

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import Membership, Role
from thidua.assessments.demo import demo_inputs
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import library_level, with_due_dates
from thidua.criteria.services import (
    LibraryAlreadyLoaded,
    load_library,
    read_library_file,
    scoring_library,
)
from thidua.evidence.models import Evidence
from thidua.periods.models import Period
from thidua.periods.services import create_period, due_dates_by_criterion
from thidua.units.defaults import ensure_default_levels
from thidua.units.models import Level, Unit, UnitKind

PERIOD_CODE = "bench"
PROVINCE_AGENCIES = 300
DISTRICTS = 700
COMMUNES = 9_000
UNITS = PROVINCE_AGENCIES + DISTRICTS + COMMUNES
REVIEWER = "bench-reviewer"
EDITOR = "bench-editor"
EDITOR_UNIT = "X00001"
BLOB_NAME = "evidence/bench/shared-evidence.pdf"
BATCH = 5_000


def dataset_present() -> bool:
    period = Period.objects.filter(code=PERIOD_CODE).first()
    return period is not None and period.assessments.count() == UNITS


def generate(*, seed: int = 2435, log=print) -> Period:
    """Create the dataset (the caller checks `dataset_present` first)."""
    rng = random.Random(seed)  # noqa: S311 — benchmark data, not security
    try:
        version = load_library(read_library_file(settings.THIDUA_DEFAULT_LIBRARY))
    except LibraryAlreadyLoaded as exc:
        version = exc.version
    ensure_default_levels(Level, UnitKind)
    with transaction.atomic():
        period = Period.objects.filter(code=PERIOD_CODE).first() or create_period(
            year=2023, criteria_version=version, code=PERIOD_CODE, name="Benchmark 10.000 đơn vị"
        )
        units = _units(rng)
        log(f"  units: {len(units)}")
        reviewer, editor = _users()
        assessments = _assessments(period, units, rng)
        log(f"  assessments: {len(assessments)}")
        entries = _entries(period, assessments, rng, reviewer)
        log(f"  criterion entries: {entries}")
        evidence = _evidence(period, assessments, rng, editor)
        log(f"  evidence rows: {evidence}")
    return period


def _units(rng: random.Random) -> list[Unit]:
    levels = {level.code: level for level in Level.objects.all()}
    kinds = {(k.level_id, k.code): k for k in UnitKind.objects.all()}

    def kind(level, code):
        return kinds[(levels[level].pk, code)]

    if Unit.objects.filter(code="T0001").exists():
        return list(Unit.objects.filter(code__regex=r"^[THX][0-9]+$").select_related("level"))
    province_kinds = ["so", "co_quan_ngang_so", "ban", "don_vi_su_nghiep", "co_quan_trung_uong"]
    rows = [
        Unit(
            code=f"T{n:04d}",
            name=f"Cơ quan cấp tỉnh số {n}",
            level=levels["tinh"],
            kind=kind("tinh", province_kinds[n % len(province_kinds)]),
        )
        for n in range(1, PROVINCE_AGENCIES + 1)
    ]
    district_kinds = ["huyen"] * 8 + ["thi_xa", "thanh_pho"]
    rows += [
        Unit(
            code=f"H{n:03d}",
            name=f"UBND huyện số {n}",
            level=levels["huyen"],
            kind=kind("huyen", rng.choice(district_kinds)),
        )
        for n in range(1, DISTRICTS + 1)
    ]
    Unit.objects.bulk_create(rows, batch_size=BATCH)
    districts = list(Unit.objects.filter(level=levels["huyen"], code__startswith="H"))
    commune_kinds = ["xa"] * 8 + ["phuong", "thi_tran"]
    communes = [
        Unit(
            code=f"X{n:05d}",
            name=f"UBND xã số {n}",
            level=levels["xa"],
            kind=kind("xa", rng.choice(commune_kinds)),
            parent=districts[(n - 1) % len(districts)],
        )
        for n in range(1, COMMUNES + 1)
    ]
    Unit.objects.bulk_create(communes, batch_size=BATCH)
    return list(Unit.objects.filter(code__regex=r"^[THX][0-9]+$").select_related("level"))


def _users() -> tuple[User, User]:
    reviewer, _ = User.objects.get_or_create(username=REVIEWER, defaults={"first_name": "Bench"})
    Membership.objects.update_or_create(
        user=reviewer, defaults={"role": Role.PROVINCIAL_REVIEWER, "unit": None}
    )
    editor, _ = User.objects.get_or_create(username=EDITOR, defaults={"first_name": "Bench"})
    Membership.objects.update_or_create(
        user=editor,
        defaults={"role": Role.UNIT_EDITOR, "unit": Unit.objects.get(code=EDITOR_UNIT)},
    )
    return reviewer, editor


def _assessments(period: Period, units: list[Unit], rng: random.Random) -> list[Assessment]:
    states = [Assessment.State.DRAFT] * 3 + [
        Assessment.State.SUBMITTED,
        Assessment.State.SUBMITTED,
        Assessment.State.VERIFIED,
        Assessment.State.FINALIZED,
    ]
    rows = []
    for unit in units:
        state = Assessment.State.DRAFT if unit.code == EDITOR_UNIT else rng.choice(states)
        submitted = None
        if state != Assessment.State.DRAFT:
            submitted = datetime.datetime(2023, 12, rng.randint(1, 14), 9, 0, tzinfo=datetime.UTC)
        rows.append(Assessment(period=period, unit=unit, state=state, submitted_at=submitted))
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    found = list(Assessment.objects.filter(period=period).select_related("unit__level"))
    for assessment in found:
        assessment.period = period
    return found


def _stored(criterion, inputs: dict, due: dict) -> dict:
    """Validate as the save service does and keep what it keeps."""
    merged = with_due_dates(criterion, inputs, due)
    checked = criterion.rule.validate_inputs(merged)
    if criterion.kind == "deadline":
        return {key: {"actual": value.get("actual")} for key, value in merged.items()}
    return {key: value for key, value in inputs.items() if key in checked}


def _entries(period, assessments, rng: random.Random, reviewer: User) -> int:
    library = scoring_library(period.criteria_version)
    due = due_dates_by_criterion(period)
    now = timezone.now()
    reviewed_states = {Assessment.State.VERIFIED, Assessment.State.FINALIZED}
    rows, written = [], 0
    for assessment in assessments:
        level = library_level(library, assessment.unit.level.code)
        quality = rng.uniform(0.35, 0.98)
        for criterion in level.criteria:
            if rng.random() < 0.04 and assessment.state == Assessment.State.DRAFT:
                continue  # not filled in yet
            crit_due = due.get(criterion.code, {})
            inputs = _stored(criterion, demo_inputs(criterion, rng, quality, crit_due), crit_due)
            entry = CriterionEntry(
                assessment=assessment,
                criterion_code=criterion.code,
                self_inputs=inputs,
                revision=1,
                updated_at=now,
            )
            if assessment.state in reviewed_states:
                entry.verified_by, entry.verified_at = reviewer, now
                draw = rng.random()
                if draw < 0.02:
                    entry.na, entry.na_reason = True, "Đơn vị không có hệ thống thông tin này"
                elif draw < 0.15:
                    entry.verified_inputs = _stored(
                        criterion, demo_inputs(criterion, rng, quality * 0.9, crit_due), crit_due
                    )
                    entry.review_reason = "Theo hồ sơ thẩm định"
                else:
                    entry.accepted = True
            rows.append(entry)
        if len(rows) >= BATCH:
            CriterionEntry.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
            rows = []
    CriterionEntry.objects.bulk_create(rows, batch_size=BATCH)
    return written + len(rows)


def _shared_blob() -> tuple[str, int, str]:
    content = b"%PDF-1.4\n% thidua benchmark evidence\n" + b"0" * 4_000 + b"\n%%EOF\n"
    if not default_storage.exists(BLOB_NAME):
        default_storage.save(BLOB_NAME, ContentFile(content))
    return BLOB_NAME, len(content), hashlib.sha256(content).hexdigest()


def _evidence(period, assessments, rng: random.Random, uploader: User) -> int:
    library = scoring_library(period.criteria_version)
    blob, size, digest = _shared_blob()
    rows, written = [], 0
    for assessment in assessments:
        level = library_level(library, assessment.unit.level.code)
        for criterion in level.criteria:
            if not criterion.evidence_required or rng.random() < 0.1:
                continue
            for n in range(rng.choice([1, 1, 2])):
                row = Evidence(
                    assessment=assessment,
                    criterion_code=criterion.code,
                    doc_number=f"{rng.randint(10, 250)}/KH-UBND",
                    doc_date=datetime.date(2023, rng.randint(1, 11), rng.randint(1, 28)),
                    doc_issuer=assessment.unit.name,
                    doc_summary=f"Tài liệu minh chứng tiêu chí {criterion.code}",
                    uploaded_by=uploader,
                )
                if n == 0 and rng.random() < 0.5:
                    row.file, row.original_name = blob, f"{criterion.code}-minh-chung.pdf"
                    row.content_type, row.kind = "application/pdf", Evidence.Kind.DOCUMENT
                    row.size, row.sha256 = size, digest
                rows.append(row)
        if len(rows) >= BATCH:
            Evidence.objects.bulk_create(rows, batch_size=BATCH)
            written += len(rows)
            rows = []
    Evidence.objects.bulk_create(rows, batch_size=BATCH)
    return written + len(rows)
