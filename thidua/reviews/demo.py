"""Demo of the review: a sector appraiser, and assessments returned, verified and finalized.

The demo period stays open (units still fill and submit under their extensions); reviewers
appraise submitted assessments while it is open, as they do in a real year when units
submit early. Runs once per period: later runs only make sure the demo users exist.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.test.utils import override_settings

from thidua.accounts.models import Membership, Role
from thidua.assessments.demo import DEMO_PASSWORD
from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.reviews import services
from thidua.reviews.models import ReviewComment, SectorAssignment

# username, full name, sector body, criteria (every level's VNeID criteria)
SECTOR_APPRAISERS = [
    ("congan", "Đặng Văn Định (Công an tỉnh)", "Công an tỉnh", ("T12", "H11", "H12", "X09", "X10")),
    ("socongthuong", "Lý Thị Ocop (Sở Công Thương)", "Sở Công Thương", ("H14",)),
]


def _appraiser(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        first, _, last = full_name.rpartition(" ")
        user.first_name, user.last_name = first, last
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.update_or_create(user=user, defaults={"role": Role.VIEWER, "unit": None})
    return user


def _get(period: Period, unit_code: str) -> Assessment | None:
    return (
        Assessment.objects.select_related("period__criteria_version", "unit__level", "unit__parent")
        .filter(period=period, unit__code=unit_code, state=Assessment.State.SUBMITTED)
        .first()
    )


def fill_demo_reviews(period: Period) -> list[tuple[str, str, str]]:
    """Create the sector appraisers and review some demo assessments; return printable users."""
    printed = []
    appraisers = {}
    for username, full_name, sector, codes in SECTOR_APPRAISERS:
        appraisers[username] = user = _appraiser(username, full_name)
        for code in codes:
            SectorAssignment.objects.get_or_create(
                period=period, reviewer=user, criterion_code=code, defaults={"sector": sector}
            )
        printed.append((username, f"thẩm định ngành ({', '.join(codes)})", sector))
    if ReviewComment.objects.filter(assessment__period=period).exists():
        return printed
    province = User.objects.get(username="sotttt")
    district = User.objects.get(username="huyen941")
    # Mails of the demo's own transitions stay in memory instead of filling the console.
    in_memory = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with in_memory, transaction.atomic():
        _review(period, province, district, appraisers["congan"])
    return printed


def _review(period, province, district, police) -> None:
    # Phường 6: the district checked everything, the police corrected VNeID, then verified.
    if assessment := _get(period, "31507"):
        services.set_verified_inputs(
            assessment,
            police,
            "X10",
            {"rate": "18,5"},
            "Dữ liệu VNeID của Công an tỉnh tại ngày 30/11: 18,5% người dân kích hoạt mức 2.",
        )
        services.accept_all_remaining(assessment, district)
        services.verify_by_district(assessment, district)
    # Phường 7: returned by the district with comments; its editor sees them and fixes.
    if assessment := _get(period, "31501"):
        services.accept_all_remaining(assessment, district)
        services.add_comment(
            assessment,
            district,
            "X03",
            "Tỷ lệ hồ sơ xử lý trên môi trường mạng chưa khớp số liệu Hệ thống QLVB; "
            "đề nghị kiểm tra lại và đính kèm báo cáo trích xuất.",
        )
        services.return_assessment(
            assessment,
            district,
            {"X14": "Bổ sung hình ảnh hoạt động hưởng ứng Ngày Chuyển đổi số 10/10."},
            "Đề nghị Phường 7 chỉnh sửa theo ý kiến từng tiêu chí rồi nộp lại.",
        )
    # Sở TT&TT: finalized, one criterion set from the provincial portal with a reason.
    if assessment := _get(period, "SO-TTTT"):
        services.set_verified_inputs(
            assessment,
            province,
            "T03",
            {"rate": "88"},
            "Cổng DVC tỉnh: 88% thủ tục đủ điều kiện được cung cấp trực tuyến toàn trình.",
        )
        services.accept_all_remaining(assessment, province)
        services.finalize(assessment, province)
    # Văn phòng UBND tỉnh: under review, a question pending.
    if assessment := _get(period, "VP-UBND"):
        services.accept_criterion(assessment, province, "T01")
        services.add_comment(
            assessment, province, "T06", "Đề nghị gửi kèm xác nhận của hệ thống báo cáo."
        )
