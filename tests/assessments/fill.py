"""Fill a whole assessment with valid inputs and evidence, as a unit would."""

import datetime
import random

from thidua.assessments.demo import demo_inputs
from thidua.assessments.scores import library_level
from thidua.assessments.services import save_self_inputs
from thidua.criteria.services import scoring_library
from thidua.evidence.models import Evidence
from thidua.periods.services import due_dates_by_criterion


def fill_assessment(assessment, user, *, with_evidence=True, skip=()):
    library = scoring_library(assessment.period.criteria_version)
    level = library_level(library, assessment.unit.level.code)
    due = due_dates_by_criterion(assessment.period)
    rng = random.Random(7)
    for criterion in level.criteria:
        if criterion.code in skip:
            continue
        inputs = demo_inputs(criterion, rng, 0.9, due.get(criterion.code, {}))
        save_self_inputs(
            assessment=assessment, criterion_code=criterion.code, inputs=inputs, user=user
        )
        if with_evidence and criterion.evidence_required:
            Evidence.objects.create(
                assessment=assessment,
                criterion_code=criterion.code,
                doc_number=f"{criterion.code}/KH-UBND",
                doc_date=datetime.date(2023, 3, 1),
                doc_issuer="UBND Phường 5",
                doc_summary="Kế hoạch thực hiện",
                uploaded_by=user,
            )
    return level
