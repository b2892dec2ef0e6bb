"""The scope every URL pattern declares: who may open it, in the words of the access helpers.

Each app's urls.py wraps its routes in `scoped(Scope.X, path(...))`; an included URL conf
that guards itself (the Django admin, i18n, the JSON API) gets one declaration for the whole
include. The declaration does not enforce anything: the views do, through their access
helpers. It is the contract that `tests/security/test_url_matrix.py` checks every route
against, as every role, so that a new route without a declaration, or a view whose answers
differ from its declaration, fails the suite.

The answers, by role, are written out in the test's table and in `thidua/accounts/README.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from django.urls import URLPattern, URLResolver

Pattern = TypeVar("Pattern", URLPattern, URLResolver)


class Scope(StrEnum):
    # Anyone, signed in or not.
    PUBLIC = "public"
    # Any signed-in user, even one without a role; the page shows or changes only their
    # own things (password, token list) or what their scope covers (lists filtered by it).
    AUTHENTICATED = "authenticated"
    # A signed-in user's own object (an API token): its owner only; anyone else, even an
    # administrator, 404.
    OWNER = "owner"
    # A unit's assessment in a period and what hangs on it (score sheet, history, evidence,
    # explanations, gap analysis, exports): the read-all roles, the unit's own editors and
    # head, the reviewer of its district. Anyone else: 404.
    UNIT_READ = "unit_read"
    # Writing the unit's own work (inputs, Excel import, evidence, explanations): its own
    # editors and head. Others who may read it: 403.
    UNIT_EDIT = "unit_edit"
    # Submitting the self-assessment: the unit's head only.
    UNIT_SUBMIT = "unit_submit"
    # The review queue of a period: administrators, provincial reviewers, district
    # reviewers, sector appraisers (viewers with assigned criteria). Anyone else: 404.
    REVIEW_QUEUE = "review_queue"
    # One unit's review page: the reviewers whose scope covers the unit (administrators
    # read). Everyone else, the unit itself and read-only roles included: 404.
    REVIEW_READ = "review_read"
    # Deciding on a criterion, resolving its comments, accepting the rest: the provincial
    # reviewer, the unit's district reviewer, the sector appraiser of that criterion.
    # Administrators read only: 403.
    REVIEW_APPRAISE = "review_appraise"
    # Acting on the whole assessment (general comments, returning it): provincial
    # reviewer and the unit's district reviewer.
    REVIEW_RETURN = "review_return"
    # The district's verification of a commune: its district reviewer only.
    DISTRICT_VERIFY = "district_verify"
    # Finalizing and reopening a review: the provincial reviewer only.
    PROVINCE_FINALIZE = "province_finalize"
    # Answering an explanation: the provincial reviewer; others who see the unit: 403.
    EXPLANATION_ANSWER = "explanation_answer"
    # Rankings: read-all roles and district reviewers (their communes); unit editors and
    # heads once results are published (their own level). No role: 403.
    RANKING = "ranking"
    # Gap analysis of a whole level: read-all roles and district reviewers. Others: 403.
    RESULTS_DETAIL = "results_detail"
    # Dashboards: the read-all roles. Others: 403.
    DASHBOARD = "dashboard"
    # The province's office work (source data imports, period state changes, the
    # explanation queue, reading inspection samples, the public results switch):
    # administrators and provincial reviewers. Others: 403.
    PROVINCE_OFFICE = "province_office"
    # Drawing inspection samples and recording results: the provincial reviewer only.
    PROVINCE_INSPECT = "province_inspect"
    # Award proposals, read and exported: the awards officer, provincial reviewers and
    # administrators. Others: 404.
    AWARDS_READ = "awards_read"
    # Award proposals, changed: the awards officer only; the other readers 403.
    AWARDS_EDIT = "awards_edit"
    # The Django admin: staff users; everyone else is sent to the admin's login.
    STAFF = "staff"
    # The JSON API: personal tokens or the session, scoped per endpoint by the API's own
    # contract (thidua/api/README.md); checked by tests/security/test_api_matrix.py.
    API = "api"


@dataclass(frozen=True)
class Declaration:
    scope: Scope
    # A different scope for POST, where one view both shows and changes (explanations).
    post: Scope

    def for_method(self, method: str) -> Scope:
        return self.post if method == "POST" else self.scope


ATTRIBUTE = "thidua_access"


def scoped(scope: Scope, pattern: Pattern, *, post: Scope | None = None) -> Pattern:
    """Declare the scope of a route (or of a whole include) and return it unchanged."""
    setattr(pattern, ATTRIBUTE, Declaration(scope=scope, post=post or scope))
    return pattern


def declaration_of(pattern: URLPattern | URLResolver) -> Declaration | None:
    return getattr(pattern, ATTRIBUTE, None)
