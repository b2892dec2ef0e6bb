"""Reports as typed rows: one builder per report, rendered by `xlsx`, `pdf` and `docx`.

The pretix ListExporter shape: a report is a header and rows of plain values, and every
renderer reads the same rows. Numbers stay numbers (Fraction, Decimal, int) until a
renderer formats them: Excel stores them as numbers, PDF and Word write them the
Vietnamese way ("87,53"). A `Section` row heads a group ("I. Đơn vị cấp tỉnh").

Vietnamese lives here because these are Vietnamese documents (as in
`thidua.assessments.workbook`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from django.utils import timezone

from thidua import scoring
from thidua.assessments.scores import ScoreRow, ScoreSheet
from thidua.collector import collector_paused
from thidua.criteria.services import scoring_library
from thidua.scoring.engine import STATUS_DISPLAY

PRELIMINARY = "Sơ bộ"
FINAL = "Chính thức"
NOT_APPLICABLE = "N/A"
NOT_SCORED = "—"
NOT_STARTED = "Chưa tự đánh giá"


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # Excel character widths; PDF and Word use them as proportions
    numeric: bool = False
    decimals: int | None = None  # None: the report's decimals; -1: exact, trailing zeros cut
    # Left out of the Word table: a document names units by name, and A4 portrait holds
    # few columns (criterion scores stay in Excel and PDF).
    detail: bool = False


@dataclass(frozen=True)
class Section:
    """A row heading the rows after it, spanning the whole table."""

    title: str


@dataclass
class Report:
    title: str
    columns: list[Column]
    rows: list  # lists of typed values (one per column) and Section rows
    subtitle: list[str] = field(default_factory=list)
    footer: list | None = None  # the totals row, rendered bold
    notes: list[str] = field(default_factory=list)  # lines under the table
    decimals: int = 2
    sheet_name: str = "Báo cáo"
    landscape: bool = False

    def iterate(self) -> Iterator[list]:
        """The header row, then every row (footer included), as the renderers read them."""
        yield [column.header for column in self.columns]
        yield from self.rows
        if self.footer is not None:
            yield self.footer

    def places(self, column: Column) -> int | None:
        if column.decimals == -1:
            return None
        return self.decimals if column.decimals is None else column.decimals


def as_fraction(value) -> Fraction:
    return value if isinstance(value, Fraction) else scoring.to_fraction(value)


def format_number(value, places: int | None) -> str:
    """Vietnamese display of a number cell: "87,53"; exact values ("8", "2,5") for points."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if places is None:
        return scoring.format_vi(as_fraction(value), 6, trim=True)
    return scoring.format_vi(as_fraction(value), places)


@lru_cache(maxsize=8192)
def to_decimal(value: Fraction | Decimal | int) -> Decimal:
    """Exact enough for a spreadsheet: half-up to 6 places (the display rounds further).

    Memoized: a national export writes 300,000 scores drawn from a few hundred values
    (equal numbers hash alike whatever their type, and give the same Decimal)."""
    return Decimal(scoring.decimal_str(as_fraction(value), 6))


def exported_at() -> str:
    return f"Xuất lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}"


def decision_line(library: scoring.Library) -> str:
    meta = library.meta
    return (
        f"Căn cứ Quyết định số {meta.decision} ngày {meta.decision_date:%d/%m/%Y} của {meta.issuer}"
    )


# -- ranking of a level ----------------------------------------------------------------


@collector_paused()
def ranking_report(ranking, *, detail: bool = True) -> Report:
    """A level's ranking (`thidua.results.ranking.Ranking`): one column per criterion
    (without them when not `detail`: what unit roles see). Units that never opened their
    assessment come last, unranked."""
    period, level = ranking.period, ranking.level
    with_district = level.parent_level_id is not None
    with_grade = any(row.grade for row in ranking.rows) or period.grade_bands.exists()
    columns = [
        Column("STT", 7, numeric=True, decimals=0),
        Column("Hạng", 7, numeric=True, decimals=0),
        Column("Mã", 11, detail=True),
        Column("Đơn vị", 30),
    ]
    if with_district:
        columns.append(Column("Huyện", 20))
    criteria = ranking.criteria if detail else []
    for criterion in criteria:
        points = scoring.format_vi(criterion.points, 2, trim=True)
        columns.append(Column(f"{criterion.code}\n({points})", 7, numeric=True, detail=True))
    columns.append(Column("Tổng điểm", 10, numeric=True))
    if with_grade:
        columns.append(Column("Xếp loại", 11))
    columns.append(Column("Trạng thái", 19))

    subtitle = [level.name]
    if ranking.kind is not None:
        subtitle[0] += f" · {ranking.kind.name}"
    if ranking.district is not None:
        subtitle[0] += f" · {ranking.district.name}"
    subtitle.append(
        "Kết quả sơ bộ, chưa phải kết quả chính thức"
        if ranking.is_preliminary
        else "Kết quả chính thức"
    )
    library = scoring_library(period.criteria_version)
    return Report(
        title=f"KẾT QUẢ XẾP HẠNG {period.name.upper()}",
        subtitle=subtitle,
        columns=columns,
        rows=list(ranking_rows(ranking, criteria, with_district, with_grade)),
        notes=[
            decision_line(library),
            "Điểm từng tiêu chí là điểm sau thẩm định (điểm tự chấm khi chưa thẩm định); "
            "N/A: không áp dụng; —: chưa chấm.",
            exported_at(),
        ],
        decimals=ranking.decimals,
        sheet_name=f"Xếp hạng {level.name}"[:31],
        landscape=True,
    )


def ranking_rows(ranking, criteria, with_district: bool, with_grade: bool) -> Iterator[list]:
    """The units that took part in rank order, then those that never opened their
    assessment (unranked, no scores)."""
    started, not_started = [], []
    for row in ranking.rows:
        (started if row.assessment.pk is not None else not_started).append(row)
    codes = [criterion.code for criterion in criteria]
    preliminary = ranking.is_preliminary
    in_order: dict[int, bool] = {}  # id(level): a sheet of it lists `codes` in their order
    for position, row in enumerate(started, start=1):
        unit = row.unit
        cells = [position, row.rank, unit.code, unit.name]
        if with_district:
            cells.append(unit.parent.name if unit.parent_id else "")
        if codes:
            # Criterion rows are parsed from the stored sheet only when they are shown.
            sheet = row.sheet
            straight = in_order.get(id(sheet.level))
            if straight is None:
                level_codes = [criterion.code for criterion in sheet.level.criteria]
                straight = in_order[id(sheet.level)] = level_codes == codes
            if straight:  # a sheet's rows follow its level's criteria
                cells += [_criterion_cell(item.final_result) for item in sheet.rows]
            else:
                results = {item.criterion.code: item.final_result for item in sheet.rows}
                cells += [_criterion_cell(results.get(code)) for code in codes]
        final = row.sheet.final_total
        cells.append(final.total)
        if with_grade:
            cells.append(row.grade.name if row.grade else "")
        status = FINAL if row.is_final and not preliminary else PRELIMINARY
        cells.append(status if final.complete else f"{status} (chưa chấm đủ)")
        yield cells
    for position, row in enumerate(not_started, start=len(started) + 1):
        unit = row.unit
        cells = [position, None, unit.code, unit.name]
        if with_district:
            cells.append(unit.parent.name if unit.parent_id else "")
        cells += [None] * (len(codes) + 1)  # the criteria and the total
        if with_grade:
            cells.append("")
        cells.append(NOT_STARTED)
        yield cells


def _criterion_cell(result) -> Fraction | str:
    if result is None or result.status == "not_scored":
        return NOT_SCORED
    if result.status == "na":
        return NOT_APPLICABLE
    if result.score is None:
        return STATUS_DISPLAY.get(result.status, result.status)
    return result.score


# -- a unit's score sheet --------------------------------------------------------------


SHEET_COLUMNS = [
    Column("STT", 7, numeric=True, decimals=0),
    Column("Nội dung tiêu chí", 46),
    Column("Điểm chuẩn", 9, numeric=True, decimals=-1),
    Column("Điểm tự chấm", 10, numeric=True),
    Column("Điểm thẩm định", 10, numeric=True),
    Column("Ghi chú", 48),
]


def score_sheet_report(sheet: ScoreSheet) -> Report:
    """The decision's table: STT · Nội dung tiêu chí · Điểm chuẩn · Điểm tự chấm ·
    Điểm thẩm định · Ghi chú; the totals row last."""
    assessment = sheet.assessment
    unit, period = assessment.unit, assessment.period
    library = scoring_library(period.criteria_version)
    place = f"{unit.level.name} · {unit.kind.name}"
    if unit.parent_id:
        place += f" · {unit.parent.name}"
    final = sheet.final_total
    rescaled = ""
    if final.applicable_max != sheet.level.scale:
        rescaled = (
            f"Quy đổi: {scoring.format_vi(final.earned, sheet.decimals)} / "
            f"{scoring.format_vi(final.applicable_max, 2, trim=True)} điểm áp dụng × "
            f"{scoring.format_vi(sheet.level.scale, 2, trim=True)}"
        )
    state = assessment.get_state_display() if assessment.pk else "Chưa tự đánh giá"
    return Report(
        title=f"PHIẾU CHẤM ĐIỂM {period.name.upper()}",
        subtitle=[
            f"Đơn vị: {unit.name} (mã {unit.code})",
            place,
            f"Trạng thái: {state}",
        ],
        columns=SHEET_COLUMNS,
        rows=list(score_sheet_rows(sheet)),
        footer=["", "Tổng cộng", sheet.level.scale, sheet.self_total.total, final.total, rescaled],
        notes=[
            decision_line(library),
            "Điểm thẩm định để trống: tiêu chí chưa được thẩm định.",
            exported_at(),
        ],
        decimals=sheet.decimals,
        sheet_name="Phiếu chấm điểm",
    )


def score_sheet_rows(sheet: ScoreSheet) -> Iterator[list]:
    for position, row in enumerate(sheet.rows, start=1):
        yield [
            position,
            f"{row.criterion.code}. {row.criterion.content}",
            row.criterion.points,
            _self_cell(row),
            _verified_cell(row),
            "\n".join(sheet_notes(row)),
        ]


def _self_cell(row: ScoreRow):
    result = row.self_result
    if result.status == "scored":
        return result.score
    return STATUS_DISPLAY.get(result.status, result.status)


def _verified_cell(row: ScoreRow):
    entry = row.entry
    if entry is not None and entry.na:
        return NOT_APPLICABLE
    result = row.verified_result
    if result is None and entry is not None and entry.accepted:
        result = row.final_result  # accepted as self-reported: the unit's own inputs
    if result is None:
        return None
    if result.status == "scored":
        return result.score
    return STATUS_DISPLAY.get(result.status, result.status)


def sheet_notes(row: ScoreRow) -> list[str]:
    """Ghi chú: N/A and its reason, the source of verified figures, the explanation."""
    notes = []
    entry = row.entry
    if entry is not None and entry.na:
        notes.append(f"Không áp dụng: {entry.na_reason}".rstrip(": "))
    if entry is not None and entry.accepted and not entry.na:
        notes.append("Thẩm định: chấp nhận số liệu đơn vị tự đánh giá")
    if entry is not None and entry.verified_source:
        notes.append(f"Nguồn số liệu thẩm định: {entry.verified_source}")
    if entry is not None and entry.review_reason and not entry.na:
        notes.append(f"Ý kiến thẩm định: {entry.review_reason}")
    if row.final_result.explanation:
        notes.append(row.final_result.explanation)
    return notes


# -- the award proposal ----------------------------------------------------------------


PROPOSAL_COLUMNS = [
    Column("STT", 7, numeric=True, decimals=0),
    Column("Mã", 10, detail=True),
    Column("Tên tập thể", 44),
    Column("Hạng", 7, numeric=True, decimals=0),
    Column("Tổng điểm", 10, numeric=True),
    Column("Xếp loại", 12),
    Column("Ghi chú", 30),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def proposal_report(proposal, items: Iterable) -> Report:
    """The units an award proposal names, grouped by level (`thidua.awards` items)."""
    items = list(items)
    title = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    subtitle = [f"(Kèm theo Tờ trình số {proposal.document_number})"]
    if proposal.award_form:
        subtitle.insert(0, f"Hình thức: {proposal.award_form}")
    subtitle.append(proposal.period.name)
    return Report(
        title=title,
        subtitle=subtitle,
        columns=PROPOSAL_COLUMNS,
        rows=list(proposal_rows(items)),
        notes=[f"Tổng số: {len(items)} tập thể.", exported_at()],
        sheet_name=f"Đề nghị {proposal.number}".replace("/", "-"),
    )


def proposal_rows(items: Iterable) -> Iterator:
    """Items sorted by level, then rank; one section per level, STT running across."""
    current, sections = None, 0
    for position, item in enumerate(items, start=1):
        if item.level_id != current:
            current = item.level_id
            yield Section(f"{ROMAN[sections % len(ROMAN)]}. Đơn vị {item.level.name.lower()}")
            sections += 1
        note = f"Bổ sung: {item.manual_reason}" if item.is_manual else ""
        yield [
            position,
            item.unit.code,
            item.unit.display_name,
            item.rank,
            item.total,
            item.grade_name,
            note,
        ]


def vietnamese_date(day: datetime.date) -> str:
    """The date line of a document, e.g. "ngày 05 tháng 02 năm 2024": Decree 30 writes a
    leading zero for days 1–9 and for the months 1 and 2 only."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


CHANGE_COLUMNS = [
    Column("STT", 7, numeric=True, decimals=0),
    Column("Mã", 10),
    Column("Đơn vị", 40),
    Column("Thay đổi", 18),
    Column("Lý do", 40),
    Column("Người thực hiện", 18),
    Column("Thời gian", 17),
]


def proposal_changes_report(proposal, items: Iterable) -> Report:
    """Every change made by hand to a proposal: units added and units removed, with why."""
    return Report(
        title=f"ĐIỀU CHỈNH DANH SÁCH ĐỀ NGHỊ SỐ {proposal.number}",
        subtitle=["Các đơn vị được bổ sung hoặc loại khỏi danh sách, kèm lý do"],
        columns=CHANGE_COLUMNS,
        rows=list(proposal_change_rows(items)),
        sheet_name="Điều chỉnh",
    )


def proposal_change_rows(items: Iterable) -> Iterator[list]:
    changes = []
    for item in items:
        if item.is_manual:
            changes.append((item.added_at, item, "Bổ sung", item.manual_reason, item.added_by))
        if item.removed:
            changes.append(
                (item.removed_at, item, "Loại khỏi danh sách", item.removed_reason, item.removed_by)
            )
    changes.sort(key=lambda change: change[0])
    for position, (when, item, action, reason, user) in enumerate(changes, start=1):
        who = (user.get_full_name() or user.username) if user else ""
        yield [
            position,
            item.unit.code,
            item.unit.display_name,
            action,
            reason,
            who,
            f"{timezone.localtime(when):%d/%m/%Y %H:%M}",
        ]
