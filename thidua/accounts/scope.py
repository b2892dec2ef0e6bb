"""Which units a user's membership covers. The access helpers of each app build on this."""

from django.db.models import Q, QuerySet

from thidua.accounts.models import READ_ALL_ROLES, Role
from thidua.units.models import Unit


def membership_of(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def role_of(user) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return Role.ADMINISTRATOR
    membership = membership_of(user)
    return membership.role if membership else None


def visible_units(user) -> QuerySet[Unit]:
    """Units whose assessments the user may read."""
    role = role_of(user)
    if role in READ_ALL_ROLES:
        return Unit.objects.all()
    membership = membership_of(user)
    if role in (Role.UNIT_EDITOR, Role.UNIT_HEAD):
        return Unit.objects.filter(pk=membership.unit_id)
    if role == Role.DISTRICT_REVIEWER:
        return Unit.objects.filter(Q(parent_id=membership.unit_id))
    return Unit.objects.none()


def can_see_unit(user, unit: Unit) -> bool:
    role = role_of(user)
    if role in READ_ALL_ROLES:
        return True
    membership = membership_of(user)
    if role in (Role.UNIT_EDITOR, Role.UNIT_HEAD):
        return membership.unit_id == unit.pk
    if role == Role.DISTRICT_REVIEWER:
        return unit.parent_id == membership.unit_id
    return False
