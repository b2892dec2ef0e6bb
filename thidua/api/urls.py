from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path

from thidua.accounts.url_access import Scope, scoped
from thidua.api import views
from thidua.api.api import api
from thidua.api.errors import MESSAGES, body


def _json_405(view):
    """django-ninja answers a method an endpoint lacks with a plain-text 405: give it the
    API's error body, keeping the Allow header."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            replaced = JsonResponse(body("method_not_allowed", MESSAGES[405]), status=405)
            replaced["Allow"] = response.get("Allow", "")
            return replaced
        return response

    return wrapper


ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = _json_405(pattern.callback)

app_name = "api"
# The tokens page is an HTML page of the site; everything else under /api/ answers in JSON
# and follows the API's own per-endpoint contract (tests/security/test_api_matrix.py).
urlpatterns = [
    scoped(Scope.AUTHENTICATED, path("tokens/", views.token_list, name="tokens")),
    scoped(
        Scope.OWNER,
        path("tokens/<uuid:token_uuid>/revoke/", views.token_revoke, name="token_revoke"),
    ),
    # Before ninja's own root view, which answers with Django's HTML 404 page.
    scoped(Scope.API, path("", views.not_found)),
    scoped(Scope.API, path("", (ninja_patterns, ninja_app, ninja_namespace))),
    scoped(Scope.API, re_path(r"^(?P<unmatched>.*)$", views.not_found)),
]
