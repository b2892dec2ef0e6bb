"""Importing source-system data for a period (provincial reviewers and administrators).

Both endpoints go through `thidua.sources.services`, the service the web pages use: the
whole file is validated first and nothing changes if any row is bad; a valid file is
applied at once (the web's preview step is the `dry_run` flag here).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from thidua.api.auth import can_write
from thidua.api.errors import ApiError, error_responses
from thidua.api.lookups import get_period
from thidua.api.schemas import (
    LABEL_PATTERN,
    PeriodCode,
    SourceImportOut,
    SourcePlanOut,
    SourceRowsIn,
)
from thidua.api.scopes import Scope, requires
from thidua.sources.access import require_importer
from thidua.sources.models import SourceImport
from thidua.sources.reading import MAX_FILE_BYTES, SourceFileError
from thidua.sources.services import ImportRefused, dry_run, import_source_file

router = Router(tags=["source data"])
PATH = "/periods/{period_code}/source-imports"
RESPONSES = {
    200: SourcePlanOut,
    201: SourceImportOut,
    **error_responses(400, 401, 403, 404, 409, 422),
}
ROW_COLUMNS = ("unit_code", "criterion_code", "rate", "numerator", "denominator")


def _require_importer(request) -> None:
    require_importer(request.user)
    if not can_write(request):
        raise ApiError(403, "Mã truy cập này chỉ có quyền đọc", code="read_only_token")


def _import(
    request, period_code: str, *, data: bytes, filename: str, label: str, dry: bool, line_of
):
    period = get_period(period_code)
    try:
        if dry:
            plan = dry_run(period=period, data=data, filename=filename, label=label)
            return Status(
                200,
                {
                    "source": plan.label,
                    "row_count": len(plan.rows),
                    "changed_count": plan.changes,
                    "discrepancy_count": plan.discrepancies,
                    "cleared_count": len(plan.clears),
                    "new_entries": plan.new_entries,
                },
            )
        applied = import_source_file(
            period=period, data=data, filename=filename, label=label, user=request.user
        )
    except SourceFileError as exc:
        details = [
            {"message": p.message, "line": line_of(p.line), "column": p.column}
            for p in exc.problems
        ]
        message = f"Không nhập được: {exc.total} lỗi; không có gì thay đổi"
        raise ApiError(422, message, code="invalid_source_data", details=details) from None
    except ImportRefused as exc:
        details = [{"message": problem} for problem in exc.problems]
        raise ApiError(
            409, "Không nhập được; không có gì thay đổi", code="import_refused", details=details
        ) from None
    return Status(201, _import_out(applied))


def _import_out(source_import: SourceImport) -> dict:
    return {
        "uuid": str(source_import.uuid),
        "period": source_import.period.code,
        "source": source_import.source,
        "file_name": source_import.file_name,
        "file_format": source_import.file_format,
        "sha256": source_import.sha256,
        "row_count": source_import.row_count,
        "status": source_import.status,
        "changed_count": source_import.changed_count,
        "discrepancy_count": source_import.discrepancy_count,
        "cleared_count": source_import.cleared_count,
        "uploaded_at": source_import.uploaded_at,
        "replaces": str(source_import.replaces.uuid) if source_import.replaces else None,
    }


@router.post(
    PATH,
    response=RESPONSES,
    summary="Import a source-data file (CSV or XLSX)",
    openapi_extra=requires(Scope.SOURCE_IMPORT),
)
def import_file(
    request,
    period_code: PeriodCode,
    file: File[UploadedFile],
    source: Annotated[str, Form(max_length=255, pattern=LABEL_PATTERN)] = "",
    dry_run: Form[bool] = False,
):
    """Multipart upload of a file in the format of docs/source-data-format.md (columns
    unit_code, criterion_code, and rate or numerator and denominator). `source` names the
    system the data comes from; it may be empty when the file has a source column.

    All or nothing: any bad row gives 422 listing every problem with its line (and column)
    and nothing changes. A valid file is applied (201); with `dry_run` only the summary of
    what would change is returned (200). Re-importing a source replaces its previous import.

    Scope `source-import`: provincial reviewers and administrators with a read-write token.
    """
    _require_importer(request)
    data = file.read(MAX_FILE_BYTES + 1)
    return _import(
        request,
        period_code,
        data=data,
        filename=(file.name or "").replace("\x00", ""),
        label=source,
        dry=dry_run,
        line_of=lambda line: line,
    )


@router.post(
    PATH + "/rows",
    response=RESPONSES,
    summary="Import source data as JSON rows",
    openapi_extra=requires(Scope.SOURCE_IMPORT),
)
def import_rows(request, period_code: PeriodCode, payload: SourceRowsIn):
    """The same import with the rows in JSON. Problems name the row by its 1-based position
    in `rows` (as `line`). All or nothing, like the file upload.

    Scope `source-import`: provincial reviewers and administrators with a read-write token."""
    _require_importer(request)
    return _import(
        request,
        period_code,
        data=_rows_as_csv(payload),
        filename="api-rows.csv",
        label=payload.source,
        dry=payload.dry_run,
        # The CSV has a header line: row n of the JSON is line n + 1.
        line_of=lambda line: line - 1 if line and line > 1 else None,
    )


def _rows_as_csv(payload: SourceRowsIn) -> bytes:
    """The rows as the CSV file the service reads, one line per row (no value has a line
    break: the schema refuses them), so that every row keeps its own line number."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_COLUMNS)
    for row in payload.rows:
        writer.writerow(["" if (v := getattr(row, name)) is None else v for name in ROW_COLUMNS])
    return out.getvalue().encode("utf-8")
