import logging
import time

from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_storage() -> None:
    # A read-only probe: listing or probing a name works on disk and on S3 alike.
    default_storage.exists("healthz-probe")


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: the database and the file storage answer.

    Public, no details beyond ok/error per component (errors are logged, never shown).
    """
    checks, healthy = {}, True
    for name, check in (("database", _check_database), ("storage", _check_storage)):
        started = time.monotonic()
        try:
            check()
        except Exception:
            logger.exception("health check %s failed", name)
            checks[name] = {"status": "error"}
            healthy = False
        else:
            checks[name] = {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
