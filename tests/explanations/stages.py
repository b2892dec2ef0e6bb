"""Bring a period and an assessment to the stage a test needs, without the review services."""

import datetime

from thidua.assessments.models import Assessment
from thidua.assessments.services import save_self_inputs
from thidua.periods.models import Period

from ..assessments.fill import fill_assessment

UNTIL = datetime.date(2024, 1, 10)
IN_WINDOW = datetime.datetime.fromisoformat("2024-01-05 09:00:00+07:00")
LAST_MOMENT = datetime.datetime.fromisoformat("2024-01-10 23:59:59+07:00")
TOO_LATE = datetime.datetime.fromisoformat("2024-01-11 00:00:00+07:00")


def finalized(assessment: Assessment, editor, *, x03_rate="30") -> Assessment:
    """A complete assessment, X03 self-reported at `x03_rate` %, finalized by the province."""
    fill_assessment(assessment, editor)
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": x03_rate}, user=editor
    )
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.FINALIZED)
    assessment.refresh_from_db()
    return assessment


def move_period(period: Period, state: str, *, explanation_until=None) -> Period:
    Period.objects.filter(pk=period.pk).update(state=state, explanation_until=explanation_until)
    period.refresh_from_db()
    return period
