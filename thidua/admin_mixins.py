"""Shared pieces of the administration."""


class ReadOnlyAdminMixin:
    """A model (or inline) the administration shows but never adds, changes or deletes:
    its rows change only through the services, which keep the history, the stored scores
    and the notifications right."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
