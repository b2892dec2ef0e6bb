"""One JSON error body for every API error: {"error": {"code", "message", "details"}}.

Messages are Vietnamese (users read them); codes are stable English identifiers (programs
read them). Every exception an endpoint may meet is mapped here, so a client never sees an
HTML page, and bad input never becomes a 500.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from thidua import scoring
from thidua.assessments.services import EditConflict

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}
MESSAGES = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập hoặc mã truy cập (Authorization: Bearer thd_…)",
    403: "Bạn không có quyền thực hiện thao tác này",
    404: "Không tìm thấy (hoặc nằm ngoài phạm vi của bạn)",
    405: "Phương thức không được hỗ trợ",
}
# Pydantic error types → Vietnamese; other types keep pydantic's English message.
PYDANTIC_MESSAGES = {
    "missing": "Thiếu trường bắt buộc",
    "extra_forbidden": "Trường không được hỗ trợ",
    "int_parsing": "Phải là số nguyên",
    "int_type": "Phải là số nguyên",
    "int_from_float": "Phải là số nguyên",
    "string_type": "Phải là chuỗi ký tự",
    "bool_parsing": "Phải là true hoặc false",
    "bool_type": "Phải là true hoặc false",
    "dict_type": "Phải là một đối tượng JSON",
    "list_type": "Phải là một danh sách",
    "model_type": "Phải là một đối tượng JSON",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "json_invalid": "JSON không hợp lệ",
    "greater_than_equal": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "string_too_long": "Chuỗi quá dài",
    "string_too_short": "Chuỗi quá ngắn",
    "too_long": "Quá nhiều phần tử",
    "literal_error": "Giá trị không nằm trong danh sách cho phép",
    "enum": "Giá trị không nằm trong danh sách cho phép",
    "uuid_parsing": "Phải là một UUID",
    "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD",
}


class ErrorDetail(Schema):
    """One problem. Which fields are set depends on the error."""

    message: str
    loc: list[str | int] | None = None  # where in the request (validation errors)
    criterion: str | None = None  # a criterion code (invalid inputs, conflicts)
    field: str | None = None  # an input field of that criterion
    line: int | None = None  # a line of an imported file or a row of imported JSON
    column: str | None = None
    revision: int | None = None  # conflicts: the revision now stored
    updated_by: str | None = None  # conflicts: who saved it
    updated_at: datetime.datetime | None = None  # conflicts: when


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by endpoints for an error response with the standard body."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details=None):
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details or []
        super().__init__(message)


def error_responses(*statuses: int) -> dict:
    """The `response=` entries documenting the error statuses of an endpoint."""
    return dict.fromkeys(statuses, ErrorOut)


def body(code: str, message: str, details=()) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": [_detail(d) for d in details],
        }
    }


def _detail(detail) -> dict:
    if isinstance(detail, ErrorDetail):
        return detail.dict(exclude_none=True)
    return {key: value for key, value in detail.items() if value is not None}


def install(api) -> None:
    """Replace ninja's default handlers (plain {"detail": …} bodies, HTML 500s)."""

    def respond(request: HttpRequest, status: int, code: str, message: str, details=()):
        response = api.create_response(request, body(code, message, details), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="thidua"'
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc: AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else MESSAGES[401]
        return respond(request, 401, "unauthorized", message)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        status = exc.status_code
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            message = "Không đọc được nội dung yêu cầu (JSON không hợp lệ?)"
        elif message.isascii():  # ninja's own English messages
            message = MESSAGES.get(status, message)
        return respond(request, status, CODES.get(status, "error"), message)

    @api.exception_handler(ValidationError)
    def invalid_request(request, exc: ValidationError):
        details = [_validation_detail(error) for error in exc.errors]
        return respond(request, 422, "invalid_request", "Dữ liệu gửi lên không hợp lệ", details)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return respond(request, 404, "not_found", MESSAGES[404])

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return respond(request, 403, "forbidden", str(exc) or MESSAGES[403])

    @api.exception_handler(scoring.InputError)
    def invalid_inputs(request, exc: scoring.InputError):
        detail = {"criterion": exc.criterion, "field": exc.field, "message": exc.message}
        return respond(request, 422, "invalid_inputs", str(exc), [detail])

    @api.exception_handler(EditConflict)
    def conflict(request, exc: EditConflict):
        return respond(request, 409, "edit_conflict", *conflict_message(exc.entry))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc: SuspiciousOperation):
        # Django's own request checks: too many fields, too big a body, a forged host.
        if isinstance(exc, RequestDataTooBig):
            return respond(request, 413, "too_large", "Nội dung yêu cầu quá lớn")
        return respond(request, 400, "bad_request", MESSAGES[400])

    @api.exception_handler(MultiPartParserError)
    def unreadable_form(request, exc: MultiPartParserError):
        message = "Không đọc được nội dung multipart/form-data (thiếu boundary hoặc hỏng)"
        return respond(request, 400, "bad_request", message)

    @api.exception_handler(UnreadablePostError)
    def unreadable_body(request, exc: UnreadablePostError):
        return respond(request, 400, "bad_request", "Không đọc được nội dung yêu cầu")

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "server_error", "Lỗi máy chủ; đã ghi nhận để xử lý")


def conflict_message(entry) -> tuple[str, list[dict]]:
    user = entry.updated_by
    who = (user.get_full_name() or user.username) if user else ""
    when = timezone.localtime(entry.updated_at)
    message = (
        f"{entry.criterion_code}: {who or 'người khác'} đã lưu tiêu chí này lúc "
        f"{when:%H:%M %d/%m/%Y} (phiên bản {entry.revision}); hãy tải lại để xem giá trị mới "
        "rồi gửi lại với expected_revision mới."
    )
    detail = {
        "criterion": entry.criterion_code,
        "message": "Phiên bản đã thay đổi",
        "revision": entry.revision,
        "updated_by": who or None,
        "updated_at": entry.updated_at,
    }
    return message, [detail]


def _validation_detail(error: dict) -> dict:
    kind = error.get("type", "")
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    return {"message": PYDANTIC_MESSAGES.get(kind, error.get("msg", "Không hợp lệ")), "loc": loc}
