"""Import the roster of units from a CSV file (code,name,level,kind,parent_code).

The whole file is validated before anything is written; the write runs in one
transaction and updates existing units by code, so a re-import never duplicates.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from thidua.units.models import Level, Unit, UnitKind

EXPECTED_COLUMNS = ["code", "name", "level", "kind", "parent_code"]
MAX_FIELD_LENGTH = {"code": 32, "name": 255}
# Control characters (NUL, escape sequences, line breaks inside a quoted cell) and the
# bidirectional overrides that make a name read differently from what it is.
_HIDDEN_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class UnitImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class UnitImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self):
        return len(self.created) + len(self.updated) + len(self.unchanged)


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: Level
    kind: UnitKind
    parent_code: str


def _read_rows(text: str) -> tuple[list[str] | None, list[tuple[int, dict]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        line = reader.line_num or 1
        if "field larger than field limit" in str(exc):
            raise UnitImportError(
                [f"Dòng {line}: ô dữ liệu quá dài, không phải tệp đơn vị"]
            ) from None
        raise UnitImportError([f"Dòng {line}: không đọc được tệp CSV ({exc})"]) from None
    return reader.fieldnames, rows


def _validate(text: str) -> list[_Row]:
    levels = {lvl.import_code: lvl for lvl in Level.objects.all()}
    levels.update({lvl.code: lvl for lvl in levels.values()})
    kinds = {(k.level_id, k.code): k for k in UnitKind.objects.all()}
    header, raw_rows = _read_rows(text)
    if header != EXPECTED_COLUMNS:
        raise UnitImportError(
            [f"Dòng 1: tiêu đề phải là {','.join(EXPECTED_COLUMNS)} (nhận được {header})"]
        )
    problems: list[tuple[int, str]] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for line, raw in raw_rows:
        if None in raw or any(value is None for value in raw.values()):
            problems.append((line, f"số cột không đúng (cần {len(EXPECTED_COLUMNS)} cột)"))
            continue
        values = {key: (raw[key] or "").strip() for key in EXPECTED_COLUMNS}
        row_problems = []
        for column in ("code", "name", "level", "kind"):
            if not values[column]:
                row_problems.append(f"cột '{column}' không được để trống")
        for column, limit in MAX_FIELD_LENGTH.items():
            if len(values[column]) > limit:
                row_problems.append(f"cột '{column}' dài quá {limit} ký tự")
        for column in EXPECTED_COLUMNS:
            if _HIDDEN_CHARS.search(values[column]):
                row_problems.append(
                    f"cột '{column}' chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản"
                )
        if values["code"] in seen:
            row_problems.append(f"mã '{values['code']}' trùng với dòng {seen[values['code']]}")
        level = levels.get(values["level"])
        kind = None
        if values["level"] and level is None:
            row_problems.append(f"cấp '{values['level']}' không tồn tại")
        elif level is not None:
            kind = kinds.get((level.pk, values["kind"]))
            if values["kind"] and kind is None:
                row_problems.append(f"loại '{values['kind']}' không thuộc cấp '{level.code}'")
            if level.parent_level_id and not values["parent_code"]:
                row_problems.append("cột 'parent_code' bắt buộc với đơn vị cấp này")
            if not level.parent_level_id and values["parent_code"]:
                row_problems.append("đơn vị cấp này không có đơn vị cấp trên (parent_code)")
        if row_problems:
            problems.append((line, "; ".join(row_problems)))
            continue
        seen[values["code"]] = line
        rows.append(_Row(line, values["code"], values["name"], level, kind, values["parent_code"]))

    by_code = {row.code: row for row in rows}
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r.parent_code for r in rows])}
    for row in rows:
        if not row.parent_code:
            continue
        parent_level_id = (
            by_code[row.parent_code].level.pk
            if row.parent_code in by_code
            else getattr(existing.get(row.parent_code), "level_id", None)
        )
        if parent_level_id is None:
            problems.append((row.line, f"đơn vị cấp trên '{row.parent_code}' không tồn tại"))
        elif parent_level_id != row.level.parent_level_id:
            problems.append(
                (
                    row.line,
                    f"đơn vị cấp trên '{row.parent_code}' không thuộc cấp "
                    f"'{row.level.parent_level.code}'",
                )
            )
    if not raw_rows:
        problems.append((1, "tệp không có dòng dữ liệu nào"))
    if problems:
        raise UnitImportError([f"Dòng {line}: {message}" for line, message in sorted(problems)])
    return rows


def import_units(text: str) -> UnitImportReport:
    """Validate then write every row of a units CSV; raise UnitImportError, writing nothing."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = _validate(text)
    report = UnitImportReport()
    # Parents first, so that children can point at them.
    rows.sort(key=lambda r: (r.level.order, r.line))
    with transaction.atomic():
        units = {u.code: u for u in Unit.objects.select_for_update().order_by()}
        for row in rows:
            parent = units.get(row.parent_code) if row.parent_code else None
            wanted = {
                "name": row.name,
                "level": row.level,
                "kind": row.kind,
                "parent": parent,
                "is_active": True,
            }
            unit = units.get(row.code)
            if unit is None:
                unit = Unit.objects.create(code=row.code, **wanted)
                units[row.code] = unit
                report.created.append(row.code)
                continue
            changed = [name for name, value in wanted.items() if getattr(unit, name) != value]
            if changed:
                for name in changed:
                    setattr(unit, name, wanted[name])
                unit.save(update_fields=changed)
                report.updated.append(row.code)
            else:
                report.unchanged.append(row.code)
    return report
