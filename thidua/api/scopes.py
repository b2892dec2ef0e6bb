"""What each API endpoint needs from its caller, declared on the endpoint itself.

Every endpoint passes `openapi_extra=requires(Scope.…)` and names the scope in its docstring,
so the scope shows in the OpenAPI schema (`x-thidua-scope`) and on the docs page.
tests/security/test_api_matrix.py calls every endpoint as every role and holds it to the
answers its scope promises. The scopes describe what the endpoints enforce (through
thidua.accounts.scope, the assessment access helpers and thidua.sources.access); declaring
one does not enforce anything.
"""

from enum import StrEnum

EXTENSION = "x-thidua-scope"


class Scope(StrEnum):
    # Any valid token or session: data that is the same for every caller (the caller,
    # criteria, periods). No token: 401.
    AUTHENTICATED = "authenticated"
    # A list holding only the units the caller's role covers: 200 for every caller, the
    # units outside the scope are left out (never a 404 or 403).
    UNIT_LIST = "unit-list"
    # One unit's data: 404 when the unit is outside the caller's scope.
    UNIT_READ = "unit-read"
    # Writing one unit's self-assessment: its editor and head with a read-write token;
    # 404 outside the scope, 403 in scope for everyone else.
    UNIT_WRITE = "unit-write"
    # Importing source-system data: provincial reviewers and administrators with a
    # read-write token; 403 for everyone else.
    SOURCE_IMPORT = "source-import"


def requires(scope: Scope) -> dict:
    """The `openapi_extra` of an endpoint that needs `scope`."""
    return {EXTENSION: scope.value}
