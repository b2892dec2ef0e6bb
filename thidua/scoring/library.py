"""Criteria libraries (docs/library-format.md): parse, validate as a whole, build rules."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

import yaml

from thidua.scoring.errors import SEP, LibraryError, Problems
from thidua.scoring.kinds.base import Rule, num
from thidua.scoring.numbers import NumberError, format_exact, to_fraction
from thidua.scoring.registry import KINDS

FORMAT = "thidua-criteria/1"
NA_POLICIES = ("rescale", "full_points")
CRITERION_CODE_RE = re.compile(r"[A-Z]{1,4}[0-9]{1,3}")
LEVEL_CODE_RE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
SET_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
TOP_KEYS = ("format", "set", "levels")
SET_TEXTS = ("name", "decision", "issuer", "province")
SET_KEYS = ("code", *SET_TEXTS, "decision_date", "year", "version", "na_policy", "display_decimals")
LEVEL_KEYS = ("code", "name", "scale", "criteria")
CRITERION_TEXTS = ("content", "rule_text", "evidence_basis")
CRITERION_KEYS = (
    "code",
    "content",
    "points",
    "points_confirmed",
    "kind",
    "params",
    "rule_text",
    "evidence_basis",
    "evidence_required",
    "data_source",
    "source_note",
)


@dataclass(frozen=True)
class LibraryMeta:
    code: str
    name: str
    decision: str
    decision_date: date
    issuer: str
    province: str
    year: int
    version: str
    na_policy: str = "rescale"
    display_decimals: int = 2


@dataclass(frozen=True, eq=False)
class Criterion:
    code: str
    content: str
    points: Fraction
    points_confirmed: bool
    kind: str
    params: dict
    rule_text: str
    evidence_basis: str
    evidence_required: bool
    data_source: str | None
    source_note: str | None
    rule: Rule = field(repr=False)


@dataclass(frozen=True, eq=False)
class Level:
    code: str
    name: str
    scale: Fraction
    criteria: list[Criterion]

    def criterion(self, code: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(code)


@dataclass(frozen=True, eq=False)
class Library:
    meta: LibraryMeta
    levels: list[Level]

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def criterion(self, code: str) -> Criterion:
        for level in self.levels:
            for criterion in level.criteria:
                if criterion.code == code:
                    return criterion
        raise KeyError(code)


def load_library(path) -> Library:
    """Read and validate a YAML library file; raises LibraryError listing every problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError([f"Không đọc được tệp {path}: {exc}"]) from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise LibraryError([f"Tệp YAML không hợp lệ: {exc}"]) from exc
    return parse_library(data)


def parse_library(data) -> Library:
    """Validate a library given as plain data (as loaded from YAML or JSON)."""
    if not isinstance(data, Mapping):
        raise LibraryError(["Thư viện phải là một bảng gồm format, set, levels"])
    problems = Problems()
    _unknown_keys(problems, data, TOP_KEYS, "")
    if data.get("format") != FORMAT:
        problems.add("format", f"phải là '{FORMAT}' (nhận được {data.get('format')!r})")
    meta = _parse_meta(problems, data.get("set"))
    levels = _parse_levels(problems, data.get("levels"))
    problems.raise_if_any()
    return Library(meta, levels)


def _unknown_keys(problems, mapping, allowed, where) -> None:
    for key in mapping:
        if key not in allowed:
            where_key = f"{where}{SEP}{key}" if where else str(key)
            problems.add(where_key, f"khóa không được hỗ trợ (chỉ dùng: {', '.join(allowed)})")


def _text(problems, mapping, key, where, *, required=True):
    value = mapping.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{where}{SEP}{key}", "phải là một chuỗi không rỗng")
        return None
    return value.strip()


def _bool(problems, mapping, key, where, default):
    value = mapping.get(key, default)
    if not isinstance(value, bool):
        problems.add(f"{where}{SEP}{key}", f"phải là true hoặc false (nhận được {value!r})")
        return default
    return value


def _parse_meta(problems, data):
    if not isinstance(data, Mapping):
        problems.add("set", "thiếu thông tin bộ tiêu chí (phải là một bảng)")
        return None
    _unknown_keys(problems, data, SET_KEYS, "set")
    values = {key: _text(problems, data, key, "set") for key in ("code", *SET_TEXTS)}
    if values["code"] and not SET_CODE_RE.fullmatch(values["code"]):
        problems.add(
            f"set{SEP}code", f"mã chỉ gồm chữ, số, dấu . _ - (nhận được '{values['code']}')"
        )
    values["decision_date"] = _date(problems, data.get("decision_date"), f"set{SEP}decision_date")
    year = data.get("year")
    if type(year) is not int or not 2000 <= year <= 2100:
        problems.add(f"set{SEP}year", f"phải là năm (số nguyên 2000–2100, nhận được {year!r})")
    values["year"] = year
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.add(
            f"set{SEP}version",
            f'phải là chuỗi, đặt trong dấu nháy như "2023.1" (nhận được {version!r})',
        )
    values["version"] = version
    values["na_policy"] = data.get("na_policy", "rescale")
    if values["na_policy"] not in NA_POLICIES:
        problems.add(
            f"set{SEP}na_policy",
            f"phải là rescale hoặc full_points (nhận được {values['na_policy']!r})",
        )
    decimals = data.get("display_decimals", 2)
    if type(decimals) is not int or not 0 <= decimals <= 6:
        problems.add(
            f"set{SEP}display_decimals", f"phải là số nguyên từ 0 đến 6 (nhận được {decimals!r})"
        )
    values["display_decimals"] = decimals
    return None if problems else LibraryMeta(**values)


def _date(problems, value, where):
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(where, f"phải là ngày dạng YYYY-MM-DD (nhận được {value!r})")
    return None


def _parse_levels(problems, data) -> list[Level]:
    if not isinstance(data, list) or not data:
        problems.add("levels", "phải là một danh sách cấp không rỗng")
        return []
    levels, level_codes, criterion_codes = [], set(), {}
    for index, item in enumerate(data):
        where = f"levels[{index}]"
        if not isinstance(item, Mapping):
            problems.add(where, "phải là một bảng (code, name, scale, criteria)")
            continue
        code = _text(problems, item, "code", where)
        if code and not LEVEL_CODE_RE.fullmatch(code):
            problems.add(
                f"{where}{SEP}code", f"mã cấp chỉ gồm chữ thường, số, _ - (nhận được '{code}')"
            )
        elif code in level_codes:
            problems.add(f"{where}{SEP}code", f"mã cấp bị trùng: {code}")
        elif code:
            level_codes.add(code)
            where = code
        _unknown_keys(problems, item, LEVEL_KEYS, where)
        name = _text(problems, item, "name", where)
        scale = _points(problems, item.get("scale", 100), f"{where}{SEP}scale")
        criteria = _parse_criteria(problems, item.get("criteria"), where, criterion_codes)
        if scale is not None and all(c is not None for c in criteria):
            total = sum((c.points for c in criteria), Fraction(0))
            if criteria and total != scale:
                message = (
                    f"tổng điểm chuẩn các tiêu chí ({num(total)}) khác thang điểm ({num(scale)})"
                )
                problems.add(f"{where}{SEP}scale", message)
        levels.append(Level(code, name, scale, [c for c in criteria if c is not None]))
    return levels


def _points(problems, value, where):
    try:
        number = to_fraction(value)
    except NumberError as exc:
        problems.add(where, str(exc))
        return None
    if number <= 0:
        problems.add(where, f"phải lớn hơn 0 (nhận được {format_exact(number)})")
        return None
    return number


def _parse_criteria(problems, data, level_where, seen) -> list[Criterion | None]:
    if not isinstance(data, list) or not data:
        problems.add(f"{level_where}{SEP}criteria", "phải là một danh sách tiêu chí không rỗng")
        return []
    return [
        _parse_criterion(problems, item, level_where, index, seen)
        for index, item in enumerate(data)
    ]


def _parse_criterion(problems, item, level_where, index, seen) -> Criterion | None:
    where = f"{level_where}{SEP}criteria[{index}]"
    if not isinstance(item, Mapping):
        problems.add(where, "phải là một bảng thông tin tiêu chí")
        return None
    before = len(problems.items)
    code = item.get("code")
    if not isinstance(code, str) or not CRITERION_CODE_RE.fullmatch(code):
        problems.add(
            f"{where}{SEP}code", f"mã tiêu chí phải dạng T01, H15, X14 (nhận được {code!r})"
        )
    elif code in seen:
        where = f"{level_where}{SEP}{code}"
        problems.add(f"{where}{SEP}code", f"mã tiêu chí bị trùng (đã có ở cấp {seen[code]})")
    else:
        seen[code] = level_where
        where = f"{level_where}{SEP}{code}"
    _unknown_keys(problems, item, CRITERION_KEYS, where)
    texts = {key: _text(problems, item, key, where) for key in CRITERION_TEXTS}
    points = _points(problems, item.get("points"), f"{where}{SEP}points")
    confirmed = _bool(problems, item, "points_confirmed", where, True)
    evidence_required = _bool(problems, item, "evidence_required", where, True)
    data_source = (
        _text(problems, item, "data_source", where, required=False)
        if item.get("data_source")
        else None
    )
    source_note = (
        _text(problems, item, "source_note", where, required=False)
        if item.get("source_note")
        else None
    )
    if confirmed is False and not source_note:
        problems.add(f"{where}{SEP}source_note", "bắt buộc khi points_confirmed là false")
    kind, params = item.get("kind"), item.get("params", {})
    rule = None
    if not isinstance(kind, str) or kind not in KINDS:
        problems.add(
            f"{where}{SEP}kind",
            f"loại quy tắc không được hỗ trợ: {kind!r} (chỉ dùng: {', '.join(sorted(KINDS))})",
        )
    else:
        try:
            rule = KINDS[kind](code, points, params, where=where)
        except LibraryError as exc:
            problems.extend(exc.problems)
    if len(problems.items) > before:
        return None
    return Criterion(
        code=code,
        points=points,
        points_confirmed=confirmed,
        kind=kind,
        params=params,
        evidence_required=evidence_required,
        data_source=data_source,
        source_note=source_note,
        rule=rule,
        **texts,
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_unique_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"khóa bị trùng: {key!r}", key_node.start_mark
            )
        seen.add(key if isinstance(key, str | int) else id(key))
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)
