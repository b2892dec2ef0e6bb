"""The authentication backend: Django's ModelBackend, loading the session's user together
with the user's membership (role, unit) — every page asks for the caller's role, and this
saves that question a query on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(
            "membership__unit__level", "membership__unit__parent"
        )
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
