"""The django-ninja API: one NinjaAPI, a router per resource, one error body for all."""

from ninja import NinjaAPI

from thidua.api import errors
from thidua.api.auth import SessionAuth, TokenAuth
from thidua.api.routes import assessments, catalog, rankings, sources

DESCRIPTION = """
Read and feed thidua, the scoring system of the provincial digital-transformation contest
(Decision 2435/QĐ-UBND of Sóc Trăng).

**Authentication.** Create a personal token on the page `/api/tokens/` and send it as
`Authorization: Bearer thd_…`. A token acts as its user: every caller sees only the units
its role covers (a unit its own, a district reviewer its communes, the province everything).
Read-only tokens cannot write. A logged-in browser session works too (this page).

**Numbers.** Scores, points and totals are exact decimal strings with 6 places
(`"3.789474"`); `*_display` fields show them rounded as the web does (`"3,79"`).

**Errors.** Every error has the body `{"error": {"code", "message", "details"}}`, the message
in Vietnamese: 400 unreadable body, 401 no or bad token, 403 not allowed, 404 not found or
outside the caller's scope, 409 edit conflict, 422 invalid request or invalid inputs.
"""

api = NinjaAPI(
    title="thidua API",
    version="1.0.0",
    description=DESCRIPTION.strip(),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api:ninja",
)
errors.install(api)
api.add_router("", catalog.router)
api.add_router("", assessments.router)
api.add_router("", rankings.router)
api.add_router("", sources.router)
