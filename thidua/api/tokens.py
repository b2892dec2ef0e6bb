"""Personal API tokens: created, revoked and checked here (views, the API and a command).

A token is `thd_` followed by 43 URL-safe characters (32 random bytes). The database keeps
the first 8 characters of the secret and the SHA-256 of the whole secret, never the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from thidua.api.models import ApiToken

TOKEN_PREFIX = "thd_"  # noqa: S105 - the marker that starts every token, not a secret
PREFIX_LENGTH = 8
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{43}")
MAX_ACTIVE_TOKENS = 20
# Writing `last_used_at` on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The token cannot be created, or a request's token is not accepted (message in Vietnamese)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plaintext: str  # shown once, then only its hash exists


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, user, name: str, can_write: bool = False) -> NewToken:
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=user, revoked_at=None)
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise TokenRefused(
                f"Mỗi người dùng có tối đa {MAX_ACTIVE_TOKENS} mã truy cập đang dùng; "
                "hãy thu hồi mã không còn dùng."
            )
        secret = secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=secret[:PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            can_write=can_write,
        )
    return NewToken(token=token, plaintext=TOKEN_PREFIX + secret)


def revoke_token(token: ApiToken, *, now=None) -> ApiToken:
    """Revoke at once: the next request carrying it is refused. Revoking twice is harmless."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now or timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def authenticate(plaintext: str, *, now=None) -> ApiToken:
    """The active token whose secret this is, with its user; raises TokenRefused."""
    secret = plaintext.removeprefix(TOKEN_PREFIX) if plaintext.startswith(TOKEN_PREFIX) else None
    if secret is None or not SECRET_RE.fullmatch(secret):
        raise TokenRefused("Mã truy cập không đúng dạng (Authorization: Bearer thd_…)")
    digest = hash_secret(secret)
    candidates = ApiToken.objects.select_related("user__membership__unit").filter(
        prefix=secret[:PREFIX_LENGTH]
    )
    token = next(
        (c for c in candidates if hmac.compare_digest(c.secret_hash, digest)),
        None,
    )
    if token is None:
        raise TokenRefused("Mã truy cập không hợp lệ")
    if token.revoked_at is not None:
        raise TokenRefused("Mã truy cập đã bị thu hồi")
    if not token.user.is_active:
        raise TokenRefused("Tài khoản của mã truy cập này đã bị khóa")
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
