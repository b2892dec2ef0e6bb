"""The content of a unit's assessment page, cached under a digest of everything it shows.

The page renders fourteen-odd criterion panels (forms, results, evidence, appraisal,
comments, explanation): most of its cost. The same editor reloads it again and again while
nothing changed. Its content is cached under a key that is the digest of

- every database row the page reads: the period, the unit (with its level, kind and
  district), the assessment, and — read by one statement, answered by the indexes on
  `assessment_id` — its criterion entries, evidence, review comments, explanations and
  their attachments, the period's due dates, the unit's extensions, the period's sector
  assignments, and the names of every user those rows point to;
- who asks (user, role, unit, what they may do), the day (days left, the explanation
  window), the language and time zone, the full path, the upload limits, the criteria
  version and the source of every template.

Any change to one of these is a new key: there is nothing to invalidate, and a missed
writer cannot leave a page stale. The rows are digested by PostgreSQL (`row::text`, each
row's every column); elsewhere (SQLite, a province-sized deployment) the page is rendered
each time. The CSRF token is replaced by a stand-in in the stored content and by the
request's own token when served.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.score_cache import version_digest
from thidua.evidence.models import Evidence
from thidua.explanations.models import Explanation, ExplanationAttachment
from thidua.html import compact
from thidua.periods.models import DueDate, Extension
from thidua.reviews.models import ReviewComment, SectorAssignment

CONTENT_TTL = 24 * 3600
CSRF_STANDIN = "assessment-page-csrf-token-standin-4be0a1"


def page_content(request, access, render) -> SafeString:
    """The page's content: from the cache when its key is there, else `render()` (which
    must render with `csrf_token` = CSRF_STANDIN) stored under it."""
    key = content_key(request, access)
    html = cache.get(key) if key else None
    if html is None:
        html = compact(str(render()))
        if key:
            cache.set(key, html, CONTENT_TTL)
    return mark_safe(html.replace(CSRF_STANDIN, conditional_escape(get_token(request))))


def content_key(request, access) -> str | None:
    """The cache key of the page's content for this request, or None (not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    assessment = access.assessment
    period, unit = assessment.period, assessment.unit
    user = request.user
    membership = getattr(user, "membership", None)
    state = (
        _templates_digest(),
        version_digest(period.criteria_version),
        get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        settings.THIDUA_EVIDENCE_MAX_BYTES,
        settings.THIDUA_EVIDENCE_MAX_VIDEO_BYTES,
        _values(user),
        _values(membership) if membership is not None else None,
        (access.role, access.is_own_unit, access.can_edit, access.can_submit),
        _values(period),
        _values(unit),
        _values(unit.level),
        _values(unit.kind) if unit.kind_id else None,
        _values(unit.parent) if unit.parent_id else None,
        _values(assessment),
        _rows_digest(assessment),
    )
    return "assessment-page:" + hashlib.sha256(repr(state).encode()).hexdigest()


def _values(instance) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def _rows_digest(assessment: Assessment) -> str:
    period_id, unit_id = assessment.period_id, assessment.unit_id
    params = {"a": assessment.pk or 0, "p": period_id, "u": unit_id}
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(), params)
        return cursor.fetchone()[0]


@functools.cache
def _rows_sql() -> str:
    q = connection.ops.quote_name
    table = {
        model: q(model._meta.db_table)
        for model in (
            CriterionEntry,
            Evidence,
            ReviewComment,
            Explanation,
            ExplanationAttachment,
            DueDate,
            Extension,
            SectorAssignment,
            get_user_model(),
        )
    }
    # Table and column names come from the models; every value is a bound parameter.
    explanations = f"SELECT id FROM {table[Explanation]} WHERE assessment_id = %(a)s"  # noqa: S608
    sources = [
        (CriterionEntry, "assessment_id = %(a)s"),
        (Evidence, "assessment_id = %(a)s"),
        (ReviewComment, "assessment_id = %(a)s"),
        (Explanation, "assessment_id = %(a)s"),
        (ExplanationAttachment, f"explanation_id IN ({explanations})"),
        (DueDate, "period_id = %(p)s"),
        (Extension, "period_id = %(p)s AND unit_id = %(u)s"),
        (SectorAssignment, "period_id = %(p)s"),
    ]
    # Users named on the page (uploaders, authors, who saved or answered what).
    user_model = get_user_model()
    pointers = [
        f"SELECT {q(field.column)} FROM {table[model]} WHERE {where}"  # noqa: S608
        for model, where in sources
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]
    parts = [
        f"COALESCE((SELECT string_agg(t::text, '|' ORDER BY t.id) FROM {table[model]} t "  # noqa: S608
        f"WHERE {where}), '')"
        for model, where in sources
    ]
    users = table[user_model]
    parts.append(
        f"COALESCE((SELECT string_agg(concat_ws(',', u.id, u.username, u.first_name, "  # noqa: S608
        f"u.last_name), '|' ORDER BY u.id) FROM {users} u "
        f"WHERE u.id IN ({' UNION '.join(pointers)})), '')"
    )
    glued = " || '#' || ".join(parts)
    return f"SELECT encode(sha256(convert_to({glued}, 'UTF8')), 'hex')"


@functools.cache
def _templates_digest() -> str:
    """Every template of the project: a deployment with changed templates gets new keys
    even from a cache shared with the old code."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR) / "thidua"
    for path in sorted(root.rglob("templates/**/*.html")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
