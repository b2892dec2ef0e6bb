"""How API callers authenticate: a personal token (Bearer) or, for the docs page, the session.

Any Authorization header must carry a valid token: a malformed, unknown or revoked one is
refused with 401 rather than ignored, so a client never silently falls back to a session.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from thidua.api import tokens
from thidua.api.models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _, credentials = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise AuthenticationError(message="Tiêu đề Authorization phải có dạng: Bearer thd_…")
        return self.authenticate(request, credentials.strip())

    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = tokens.authenticate(token)
        except tokens.TokenRefused as exc:
            raise AuthenticationError(message=str(exc)) from None
        # Everything downstream (scope, access helpers, history) reads request.user.
        request.user = api_token.user
        return api_token


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (the OpenAPI page); writes need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "Thiếu hoặc sai mã CSRF của phiên đăng nhập")
        return user

    def authenticate(self, request: HttpRequest, key):  # pragma: no cover - __call__ decides
        return None


def can_write(request: HttpRequest) -> bool:
    """A read-only token cannot write, whatever its user's role allows."""
    auth = getattr(request, "auth", None)
    return not isinstance(auth, ApiToken) or auth.can_write
