"""The rendered content of ranking pages, cached until the scores it shows change.

A national level's page costs a ranking query and a hundred rows of fourteen criterion
cells; fifty reviewers paging through it ask for the same few pages again and again. The
content (not the whole page: the layout carries the CSRF token) is kept in Django's cache
under a key naming everything it depends on:

- the period's stamp: the latest `updated_at` of its assessments (creation, states,
  reviews) and the latest `scores_changed_at` (every write of stored scores,
  `score_cache`), the period's state and name, its criteria version, due dates and grade
  bands;
- what the caller may see (role, detail, district, own unit, levels), the language and
  the full path (level, filters, page).

Units (names, districts, active flag) carry no timestamp: an entry lives at most
`RANKING_TTL` seconds, so a renamed unit shows within that time.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import version_digest
from thidua.html import compact
from thidua.periods.models import DueDate, Period
from thidua.results.models import GradeBand

RANKING_TTL = 300


def period_stamp(period: Period) -> str:
    """Changes whenever anything a ranking of the period shows from the database changes
    (except unit records, see the module).

    Assessments are never deleted (the admin shows them read-only; period and unit protect
    them), and a new one is stamped with its creation time: the latest `updated_at` and the
    latest `scores_changed_at` (each an index lookup) tell every change of the period's
    rows. One statement, written out: it runs on every view of a ranking page, and the ORM
    took longer to compile it than the database to answer it."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [period.pk, period.pk, period.pk, period.pk, period.pk])
        rows = sorted(cursor.fetchall(), key=repr)
    parts = (version_digest(period.criteria_version), rows)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


@functools.cache
def _stamp_sql() -> str:
    q = connection.ops.quote_name
    assessment, period = q(Assessment._meta.db_table), q(Period._meta.db_table)
    band, due = q(GradeBand._meta.db_table), q(DueDate._meta.db_table)
    # Table names from the models; every value is a bound parameter.
    return f"""
        SELECT 'period', p.state, p.name,
            CAST((SELECT a.updated_at FROM {assessment} a WHERE a.period_id = %s
                  ORDER BY a.updated_at DESC LIMIT 1) AS TEXT),
            CAST((SELECT a.scores_changed_at FROM {assessment} a
                  WHERE a.period_id = %s AND a.scores_changed_at IS NOT NULL
                  ORDER BY a.scores_changed_at DESC LIMIT 1) AS TEXT)
        FROM {period} p WHERE p.id = %s
        UNION ALL
        SELECT 'band', CAST(b.id AS TEXT), b.name, CAST(b.min_total AS TEXT), NULL
        FROM {band} b WHERE b.period_id = %s
        UNION ALL
        SELECT 'due', d.criterion_code, d.deliverable, CAST(d.due_on AS TEXT), NULL
        FROM {due} d WHERE d.period_id = %s
    """  # noqa: S608


def ranking_key(request, period: Period, level, access) -> str:
    viewer = (
        access.role,
        access.detail,
        access.district.pk if access.district else None,
        access.own_unit_id,
        [item.pk for item in access.levels],
    )
    parts = (period.pk, level.pk, get_language(), viewer, request.get_full_path())
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"results:ranking:{digest}:{period_stamp(period)}"


def cached_content(key: str, render) -> str:
    """The cached content under `key`, or `render()` (made compact) stored there."""
    content = cache.get(key)
    if content is None:
        content = compact(render())
        cache.set(key, content, RANKING_TTL)
    return content
