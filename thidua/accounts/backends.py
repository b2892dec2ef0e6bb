"""The authentication backend: Django's ModelBackend, loading the session's user together
with the user's membership (role, unit, its level and district) in one prepared statement:
every page asks for the caller's role, and this is the one query that answers it."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from thidua.joined_read import JoinedRead


@functools.cache
def _user_with_membership() -> JoinedRead:
    return JoinedRead(
        get_user_model(),
        ["membership__unit__level", "membership__unit__parent"],
        where=f'"root"."{get_user_model()._meta.pk.column}" = %s',
    )


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _user_with_membership().first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
