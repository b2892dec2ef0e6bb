"""The world the URL matrix requests its pages in: one period of the 2435 criteria with the
Sóc Trăng units, one user per role, and one object of every kind a URL names by uuid.

Commune 31498 (Phường 5, district 941) is the unit every unit URL names. It is in the scope
of its own editor and head and of district 941's reviewer; out of the scope of the editor of
31501 (Phường 7) and of district 943's reviewer. Its assessment is a draft of an open
period, so that its own editors may still write (the states a route needs beyond that are
set by the route's case, inside the test's rolled-back transaction).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.accounts.models import Membership, Role
from thidua.assessments.access import get_assessment_for_user
from thidua.awards.models import AwardProposal
from thidua.awards.rules import Rule
from thidua.awards.services import save_proposal
from thidua.criteria.services import load_library, read_library_file
from thidua.evidence.models import Evidence
from thidua.evidence.services import store_evidence
from thidua.explanations.models import Explanation, ExplanationAttachment
from thidua.inspections.models import InspectionSample
from thidua.inspections.services import draw_sample
from thidua.periods.models import Period
from thidua.periods.services import create_period
from thidua.reviews.models import ReviewComment, SectorAssignment
from thidua.sources.models import SourceImport
from thidua.sources.services import create_pending_import
from thidua.units.defaults import ensure_default_levels
from thidua.units.importing import import_units
from thidua.units.models import Level, Unit, UnitKind

from ..evidence.samples import pdf

COMMUNE = "31498"  # Phường 5, district 941
COMMUNE_LEVEL = "xa"
# A criterion of the commune level, assigned to the sector appraiser: every role that may
# appraise some criterion of the commune may appraise this one.
CRITERION = "X09"

# Who requests: "anonymous" plus one signed-in user per role and scope relation.
ROLES = (
    "anonymous",
    "administrator",
    "provincial_reviewer",
    "district_reviewer",
    "other_district_reviewer",
    "unit_editor",
    "unit_head",
    "other_unit_editor",
    "awards_officer",
    "viewer",
    "sector_appraiser",
    "no_role",
)

MEMBERSHIPS = {
    # role in the matrix: (Role, unit code)
    "administrator": (Role.ADMINISTRATOR, None),
    "provincial_reviewer": (Role.PROVINCIAL_REVIEWER, None),
    "district_reviewer": (Role.DISTRICT_REVIEWER, "941"),
    "other_district_reviewer": (Role.DISTRICT_REVIEWER, "943"),
    "unit_editor": (Role.UNIT_EDITOR, COMMUNE),
    "unit_head": (Role.UNIT_HEAD, COMMUNE),
    "other_unit_editor": (Role.UNIT_EDITOR, "31501"),
    "awards_officer": (Role.AWARDS_OFFICER, None),
    "viewer": (Role.VIEWER, None),
    "sector_appraiser": (Role.VIEWER, None),
}


@dataclass
class World:
    period: Period
    users: dict[str, User]
    evidence: Evidence
    explanation: Explanation
    attachment: ExplanationAttachment
    comment: ReviewComment
    proposal: AwardProposal
    sample: InspectionSample
    sample_unit_code: str
    source_import: SourceImport


def _users() -> dict[str, User]:
    users = {}
    for name in ROLES[1:]:
        # No password: the matrix signs in with force_login, and hashing costs time.
        user = User.objects.create_user(f"matrix-{name}")
        if name in MEMBERSHIPS:
            role, unit_code = MEMBERSHIPS[name]
            unit = Unit.objects.get(code=unit_code) if unit_code else None
            Membership.objects.create(user=user, role=role, unit=unit)
        users[name] = user
    admin = users["administrator"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return users


def _explanation(assessment, editor) -> tuple[Explanation, ExplanationAttachment]:
    # Made directly: filing goes through a window that an open period does not have.
    explanation = Explanation.objects.create(
        assessment=assessment,
        criterion_code=CRITERION,
        text="Số liệu đã cập nhật.",
        filed_by=editor,
    )
    content = pdf()
    attachment = ExplanationAttachment.objects.create(
        explanation=explanation,
        file=ContentFile(content, name="giai-trinh.pdf"),
        original_name="giai-trinh.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=editor,
    )
    return explanation, attachment


def build_world() -> World:
    ensure_default_levels(Level, UnitKind)
    units_csv = settings.BASE_DIR / "data" / "soc-trang-units-2023.csv"
    import_units(units_csv.read_text(encoding="utf-8"))
    version = load_library(read_library_file(settings.THIDUA_DEFAULT_LIBRARY))
    period = create_period(year=2023, criteria_version=version)
    users = _users()
    SectorAssignment.objects.create(
        period=period,
        reviewer=users["sector_appraiser"],
        criterion_code=CRITERION,
        sector="Công an tỉnh",
    )
    editor, province = users["unit_editor"], users["provincial_reviewer"]

    access = get_assessment_for_user(editor, period.code, COMMUNE, create=True)
    evidence = store_evidence(
        access=access,
        criterion_code=CRITERION,
        uploaded_file=SimpleUploadedFile("ke-hoach.pdf", pdf(), content_type="application/pdf"),
        user=editor,
    )
    assessment = access.assessment
    explanation, attachment = _explanation(assessment, editor)
    comment = ReviewComment.objects.create(
        assessment=assessment, criterion_code=CRITERION, author=province, text="Bổ sung văn bản."
    )
    commune_level = Level.objects.get(code=COMMUNE_LEVEL)
    proposal = save_proposal(
        period=period,
        rules=[Rule(level=commune_level, kind="top_n", value=Fraction(3))],
        user=users["awards_officer"],
    )
    sample = draw_sample(period=period, user=province, size=1, level=commune_level, seed=2435)
    source_import = create_pending_import(
        period=period,
        data=b"unit_code,criterion_code,rate,numerator,denominator\n31498,X06,90,,\n",
        filename="cong-dvc.csv",
        label="Cổng DVC tỉnh",
        user=province,
    )
    return World(
        period=period,
        users=users,
        evidence=evidence,
        explanation=explanation,
        attachment=attachment,
        comment=comment,
        proposal=proposal,
        sample=sample,
        sample_unit_code=sample.results.get().unit.code,
        source_import=source_import,
    )
