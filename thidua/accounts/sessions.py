"""The session engine: Django's database sessions, read by one prepared statement.

Every request of a signed-in user reads its session row; the ORM compiled that one query
at each request. Everything else (writing, expiry, `clearsessions`) is Django's own.
Selected by SESSION_ENGINE = "thidua.accounts.sessions".
"""

import functools
import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from thidua.joined_read import JoinedRead


@functools.cache
def _live_session() -> JoinedRead:
    return JoinedRead(Session, where='"root"."session_key" = %s AND "root"."expire_date" > %s')


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        try:
            found = _live_session().first(self.session_key, timezone.now())
        except SuspiciousOperation as exc:
            logger = logging.getLogger(f"django.security.{exc.__class__.__name__}")
            logger.warning(str(exc))
            found = None
        if found is None:
            self._session_key = None
        return found
