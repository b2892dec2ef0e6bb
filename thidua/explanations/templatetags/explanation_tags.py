from django import template

from thidua.explanations.models import Explanation
from thidua.explanations.services import can_file_for, window_problem
from thidua.periods.models import Period

register = template.Library()

SHOWN_IN = (Period.State.PUBLISHED, Period.State.FINAL, Period.State.ARCHIVED)


@register.simple_tag(takes_context=True)
def criterion_explanation(context, access, criterion):
    """What the criterion panel shows about explaining this criterion, or None.

    {"explanation": the filed one or None, "can_file": whether the caller may file one now,
    "until": the last day}. The assessment's explanations are read once per page.
    """
    assessment = access.assessment
    period = assessment.period
    if assessment.pk is None or period.state not in SHOWN_IN:
        return None
    by_code = getattr(assessment, "_explanations_by_code", None)
    if by_code is None:
        by_code = {
            e.criterion_code: e
            for e in Explanation.objects.filter(assessment=assessment)
            .select_related("filed_by", "answered_by")
            .prefetch_related("attachments")
        }
        assessment._explanations_by_code = by_code
    explanation = by_code.get(criterion.code)
    user = context["request"].user
    can_file = (
        explanation is None
        and can_file_for(user, assessment)
        and window_problem(assessment) is None
    )
    if explanation is None and not can_file:
        return None
    return {"explanation": explanation, "can_file": can_file, "until": period.explanation_until}
