"""The rendered content of ranking pages, cached until the scores it shows change.

A national level's page costs a ranking query and a hundred rows of fourteen criterion
cells; fifty reviewers paging through it ask for the same few pages again and again. The
content (not the whole page: the layout carries the CSRF token) is kept in Django's cache
under a key naming everything it depends on:

- the period's stamp: how many assessments, the latest `updated_at` (states, reviews) and
  the latest `scores_changed_at` (every write of stored scores, `score_cache`), the period's
  state and name, its scoring fingerprint (criteria version, due dates) and grade bands;
- what the caller may see (role, detail, district, own unit, levels), the language and
  the full path (level, filters, page).

Units (names, districts, active flag) carry no timestamp: an entry lives at most
`RANKING_TTL` seconds, so a renamed unit shows within that time.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language

from thidua.assessments.models import Assessment
from thidua.assessments.score_cache import period_key
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion

RANKING_TTL = 300


def period_stamp(period: Period) -> str:
    """Changes whenever anything a ranking of the period shows from the database changes
    (except unit records, see the module)."""
    assessments = Assessment.objects.filter(period=period)
    # Three index lookups (not one aggregate, which would scan every row of the period).
    seen = (
        assessments.count(),
        assessments.order_by("-updated_at").values_list("updated_at", flat=True).first(),
        assessments.filter(scores_changed_at__isnull=False)
        .order_by("-scores_changed_at")
        .values_list("scores_changed_at", flat=True)
        .first(),
    )
    bands = list(period.grade_bands.order_by("pk").values_list("pk", "name", "min_total"))
    fingerprint = period_key(period, due_dates_by_criterion(period))
    parts = (period.state, period.name, fingerprint, seen, bands)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


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
    """The cached content under `key`, or `render()` stored there."""
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, RANKING_TTL)
    return content
