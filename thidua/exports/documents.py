"""What the Word documents say around their tables (Decree 30/2020/NĐ-CP layout in `docx`).

Both are documents of the department of home affairs (Sở Nội vụ, the awards officer's
department) under the provincial People's Committee named in the criteria library. The
number, date and signer's name of a document not yet issued are left dotted, to be filled
in when it is signed.
"""

from __future__ import annotations

from django.utils import timezone

from thidua.criteria.services import scoring_library
from thidua.exports.docx import AdminDocument
from thidua.periods.models import Period

ISSUING_BODY = "SỞ NỘI VỤ"
ISSUING_BODY_NAME = "Sở Nội vụ"
ARCHIVE = "Lưu: VT, TĐKT."


def _province(period) -> tuple[str, object]:
    library = scoring_library(period.criteria_version)
    return library.meta.province, library.meta


def _basis(meta) -> str:
    return (
        f"Căn cứ Quyết định số {meta.decision} ngày {meta.decision_date:%d/%m/%Y} của "
        f"{meta.issuer} ban hành {meta.name[:1].lower()}{meta.name[1:]};"
    )


def proposal_document(proposal, items: list, rules: list) -> AdminDocument:
    """The tờ trình of an award proposal; `rules` are `thidua.awards.rules.Rule`."""
    period = proposal.period
    province, meta = _province(period)
    award = proposal.award_form or "khen thưởng"
    subject = f"đề nghị tặng {award}" if proposal.award_form else "đề nghị khen thưởng"
    contest = period.name[:1].lower() + period.name[1:]
    before = [
        _basis(meta),
        f"Căn cứ kết quả chấm điểm, xếp hạng {contest}"
        + (" (kết quả chính thức);" if _is_final(period) else " (kết quả sơ bộ);"),
        f"{ISSUING_BODY_NAME} kính trình Ủy ban nhân dân tỉnh xem xét, {subject} cho "
        f"{len(items)} tập thể đã có thành tích trong {contest}, cụ thể:",
    ]
    before += [f"- {rule.level.name}: {rule.describe()};" for rule in rules]
    before.append("(Danh sách chi tiết như bảng dưới đây.)")
    after = [proposal.note] if proposal.note else []
    after.append(f"{ISSUING_BODY_NAME} kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./.")
    issued = proposal.issued_at
    return AdminDocument(
        supervising_body=f"UBND TỈNH {province.upper()}",
        issuing_body=ISSUING_BODY,
        number=proposal.document_number,
        symbol="TTr-SNV",
        place=province,
        date=timezone.localtime(issued).date() if issued else None,
        year=proposal.year,
        kind="TỜ TRÌNH",
        summary=f"Về việc {subject} cho các tập thể có thành tích trong {contest}",
        addressee=f"Kính gửi: Ủy ban nhân dân tỉnh {province}.",
        before=before,
        after=after,
        signer_title="GIÁM ĐỐC",
        recipients=["Như trên;", "Ban Thi đua - Khen thưởng;", ARCHIVE],
        title=f"Tờ trình {proposal.document_number}",
        author=ISSUING_BODY_NAME,
    )


def ranking_document(ranking) -> AdminDocument:
    """The báo cáo of a level's results; number and date to be filled in."""
    period = ranking.period
    province, meta = _province(period)
    contest = period.name[:1].lower() + period.name[1:]
    status = "sơ bộ" if ranking.is_preliminary else "chính thức"
    level = ranking.level.name.lower()
    return AdminDocument(
        supervising_body=f"UBND TỈNH {province.upper()}",
        issuing_body=ISSUING_BODY,
        number="",
        symbol="BC-SNV",
        place=province,
        date=None,
        year=timezone.localdate().year,
        kind="BÁO CÁO",
        summary=f"Kết quả chấm điểm, xếp hạng {contest} - đơn vị {level}",
        addressee=f"Kính gửi: Ủy ban nhân dân tỉnh {province}.",
        before=[
            _basis(meta),
            f"{ISSUING_BODY_NAME} báo cáo kết quả {status} chấm điểm, xếp hạng các đơn vị "
            f"{level} như sau:",
        ],
        after=[
            "Điểm chi tiết từng tiêu chí của mỗi đơn vị có trong bảng tính Excel và tệp PDF "
            "kèm theo.",
            f"{ISSUING_BODY_NAME} kính báo cáo Ủy ban nhân dân tỉnh xem xét./.",
        ],
        signer_title="GIÁM ĐỐC",
        recipients=["Như trên;", ARCHIVE],
        title=f"Báo cáo kết quả xếp hạng {ranking.level.name}",
        author=ISSUING_BODY_NAME,
    )


def _is_final(period) -> bool:
    return period.state in (Period.State.FINAL, Period.State.ARCHIVED)
