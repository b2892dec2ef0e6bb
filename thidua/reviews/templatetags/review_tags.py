from django import template

from thidua.assessments import appraisal
from thidua.reviews.access import is_reviewer
from thidua.reviews.feedback import comments_by_criterion

register = template.Library()


@register.simple_tag
def review_comments(assessment, criterion_code=""):
    """The review comments of one criterion ("" for the whole assessment)."""
    return comments_by_criterion(assessment).get(criterion_code or "", [])


@register.simple_tag
def commented_criteria(assessment) -> list[str]:
    """Codes of the criteria with unresolved comments, in code order."""
    comments = comments_by_criterion(assessment)
    return sorted(
        code for code, items in comments.items() if code and any(not c.is_resolved for c in items)
    )


@register.simple_tag(takes_context=True)
def can_review(context, assessment) -> bool:
    """Whether the current user has the review page of this assessment's period."""
    request = context.get("request")
    return bool(request and assessment.pk and is_reviewer(request.user, assessment.period))


@register.filter
def decision(entry) -> str:
    """'accepted', 'verified', 'na' or '' (not reviewed) for a criterion entry."""
    if not appraisal.is_reviewed(entry):
        return ""
    if entry.na:
        return "na"
    if entry.verified_inputs is not None:
        return "verified"
    return "accepted"
