"""Make the database fail part-way through a piece of work, as a crash would.

The failure is injected below the ORM (`connection.execute_wrapper`), so the code under test
cannot tell it from a real one and the tests do not depend on how that code issues its SQL.
"""

from __future__ import annotations

import contextlib
import re

from django.db import OperationalError, connection

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class Crash:
    """Raise `error` on the `nth` write statement whose SQL names `table`."""

    def __init__(self, table: str, nth: int, error: Exception | None = None):
        self.table, self.nth = table, nth
        self.error = error or OperationalError("server closed the connection unexpectedly")
        self.seen = 0
        self.crashed = False

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql) and self.table in sql:
            self.seen += 1
            if self.seen == self.nth:
                self.crashed = True
                raise self.error
        return execute(sql, params, many, context)


@contextlib.contextmanager
def crash_on_write(table: str, nth: int = 1, error: Exception | None = None):
    """Within the block, the `nth` write to `table` fails; yields the Crash to check it fired."""
    crash = Crash(table, nth, error)
    with connection.execute_wrapper(crash):
        yield crash
