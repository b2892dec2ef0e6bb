"""The database going away mid-request: a 503 page saying "try again shortly", not a 500.

An OperationalError or InterfaceError means the database could not be reached or dropped
the connection (restart, failover to the replica, network, "database is locked"); nothing
of the request was committed and retrying later will work, which is what 503 and
Retry-After tell browsers and load balancers. Django then replaces the broken connection
at the end of the request (`close_old_connections`), so the next request reconnects.

Errors raised outside a view (in another middleware) still get the plain 500 page.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

# Logged where Django logs unhandled request errors, so the same alerting sees it.
logger = logging.getLogger("django.request")

RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"
FALLBACK = "Hệ thống đang bảo trì, vui lòng thử lại sau. / Service unavailable, try again later."


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable: %s %s",
            request.method,
            request.path,
            exc_info=exception,
            extra={"status_code": 503, "request": request},
        )
        return database_unavailable_response()


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the request: no context processor may query."""
    try:
        body = loader.get_template(TEMPLATE).render()
        content_type = "text/html; charset=utf-8"
    except Exception:
        logger.exception("Could not render %s", TEMPLATE)
        body, content_type = FALLBACK, "text/plain; charset=utf-8"
    response = HttpResponse(body, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
