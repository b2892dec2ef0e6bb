from django import template

from thidua import scoring
from thidua.accounts.models import Role
from thidua.accounts.scope import role_of
from thidua.awards.access import may_read_awards as awards_may_read
from thidua.results import access
from thidua.reviews.models import SectorAssignment

register = template.Library()


@register.filter
def may_see_rankings(user) -> bool:
    return user.is_authenticated and access.may_see_rankings(user)


@register.filter
def may_review(user) -> bool:
    """Reviewers, administrators, and viewers appointed sector appraisers in some period."""
    if not user.is_authenticated:
        return False
    role = role_of(user)
    if role in (Role.PROVINCIAL_REVIEWER, Role.DISTRICT_REVIEWER, Role.ADMINISTRATOR):
        return True
    return role == Role.VIEWER and SectorAssignment.objects.filter(reviewer=user).exists()


@register.filter
def may_read_awards(user) -> bool:
    return user.is_authenticated and awards_may_read(user)


@register.filter
def may_see_dashboard(user) -> bool:
    return user.is_authenticated and access.may_see_dashboard(user)


@register.filter
def for_criterion(comments_by_code: dict, code: str) -> list:
    """The comments on one criterion, from a {criterion code: [comments]} dict."""
    return (comments_by_code or {}).get(code, [])


@register.filter
def percent(share, decimals=1) -> str:
    """A share in [0, 1] as a Vietnamese percentage: 0,4525 → "45,3%"."""
    if share is None:
        return "—"
    return f"{scoring.format_vi(share * 100, int(decimals))}%"
