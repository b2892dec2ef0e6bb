"""python -m thidua.scoring LIBRARY.yaml INPUTS.json --level LEVEL

Scores one unit's inputs against one level of a library and prints JSON (UTF-8).
Exit status 2, with a Vietnamese message on stderr, for a bad library, bad inputs or an
unknown level.
"""

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from thidua.scoring import (
    InputError,
    LibraryError,
    decimal_str,
    format_vi,
    load_library,
    score_level,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m thidua.scoring",
        description="Chấm điểm một đơn vị theo một cấp của bộ tiêu chí (không cần Django).",
    )
    parser.add_argument("library", help="tệp bộ tiêu chí YAML")
    parser.add_argument("inputs", help="tệp JSON: mã tiêu chí → số liệu nhập")
    parser.add_argument("--level", required=True, help="mã cấp, ví dụ tinh, huyen, xa")
    return parser


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def read_inputs(path: str) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    # Decimal keeps 90.5 exact; floats never enter the engine.
    data = json.loads(text, parse_float=Decimal)
    if not isinstance(data, dict):
        raise ValueError("phải là một đối tượng JSON {mã tiêu chí: số liệu}")
    return data


def report(library, level, result) -> dict:
    decimals = library.meta.display_decimals
    criteria = {}
    for item in result.results:
        criteria[item.code] = {
            "status": item.status,
            "score": None if item.score is None else decimal_str(item.score),
            "display": item.display(decimals),
            "max": decimal_str(item.max),
            "explanation": item.explanation,
        }
        if item.na_reason is not None:
            criteria[item.code]["na_reason"] = item.na_reason
    meta = library.meta
    return {
        "set": {
            "code": meta.code,
            "name": meta.name,
            "version": meta.version,
            "decision": meta.decision,
        },
        "level": level.code,
        "na_policy": meta.na_policy,
        "criteria": criteria,
        "earned": decimal_str(result.earned),
        "applicable_max": decimal_str(result.applicable_max),
        "total": decimal_str(result.total),
        "total_display": format_vi(result.total, decimals),
        "complete": result.complete,
    }


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Vietnamese text, whatever the locale
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        library = load_library(args.library)
    except LibraryError as exc:
        problems = "\n".join(f"- {problem}" for problem in exc.problems)
        return fail(f"Bộ tiêu chí {args.library} không hợp lệ:\n{problems}")
    try:
        level = library.level(args.level)
    except KeyError:
        known = ", ".join(level.code for level in library.levels)
        return fail(f"Không có cấp '{args.level}' trong bộ tiêu chí (các cấp: {known})")
    try:
        inputs = read_inputs(args.inputs)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return fail(f"Không đọc được tệp số liệu {args.inputs}: {exc}")
    meta = library.meta
    try:
        result = score_level(
            level, inputs, na_policy=meta.na_policy, decimals=meta.display_decimals
        )
    except InputError as exc:
        return fail(f"Số liệu không hợp lệ: {exc}")
    output = json.dumps(report(library, level, result), ensure_ascii=False, indent=2)
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
