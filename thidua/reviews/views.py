"""Review pages: the queue and the appraisal page of one unit. POST handlers: `actions.py`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from thidua.assessments.appraisal import is_reviewed
from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet
from thidua.evidence.services import evidence_for
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion, period_or_404
from thidua.reviews.access import get_review_for_user, is_reviewer
from thidua.reviews.feedback import comments_by_criterion
from thidua.reviews.forms import (
    CommentForm,
    NotApplicableForm,
    QueueFilterForm,
    ReasonForm,
    ReopenForm,
    ReturnForm,
    VerifiedInputsForm,
)
from thidua.reviews.queue import filter_choices, review_queue


@login_required
@require_safe
def index(request):
    """The queue of the period under way (open or reviewing), else of the latest period."""
    periods = Period.objects.all()
    period = (
        periods.filter(state__in=[Period.State.REVIEWING, Period.State.OPEN]).first()
        or periods.first()
    )
    if period is None or not is_reviewer(request.user, period):
        raise Http404("Không có hàng chờ thẩm định")
    return redirect("reviews:queue", period_code=period.code)


@login_required
@require_safe
def queue(request, period_code):
    period = period_or_404(period_code)
    levels, districts = filter_choices(request.user)
    form = QueueFilterForm(request.GET, levels=levels, districts=districts)
    filters = form.filters()
    ctx = {"period": period, "queue": review_queue(request.user, period, filters), "form": form}
    return render(request, "reviews/queue.html", ctx)


def criterion_forms(access, row, due: dict, bound: dict | None = None) -> dict:
    """The action forms of one criterion, fresh unless a bound one is given (with errors)."""
    criterion, entry, code = row.criterion, row.entry, row.criterion.code
    start = None
    if entry is not None:
        start = entry.verified_inputs if entry.verified_inputs is not None else entry.self_inputs
    forms = {
        "accept": ReasonForm(prefix=f"a-{code}"),
        "verify": VerifiedInputsForm(
            initial={
                **VerifiedInputsForm.initial_from_inputs(criterion, start),
                "reason": entry.review_reason if entry and entry.verified_inputs else "",
            },
            assessment=access.assessment,
            criterion=criterion,
            due=due.get(code, {}),
        ),
        "na": NotApplicableForm(
            prefix=f"na-{code}",
            initial={"reason": entry.na_reason if entry and entry.na else ""},
        ),
        "clear": ReasonForm(prefix=f"c-{code}"),
        "comment": CommentForm(prefix=f"cm-{code}"),
    }
    forms.update(bound or {})
    return forms


def criterion_context(access, sheet, row, due, evidence, *, bound=None, open_action="", **extra):
    code = row.criterion.code
    return {
        "access": access,
        "sheet": sheet,
        "row": row,
        "criterion": row.criterion,
        "evidence_items": evidence.get(code, []),
        "comments": comments_by_criterion(access.assessment).get(code, []),
        "forms": criterion_forms(access, row, due, bound),
        "open_action": open_action,
        "sector": access.sectors.get(code, ""),
        "can_appraise": access.can_appraise(code),
        "can_comment": access.can_comment(code),
        "can_resolve": access.covers(code) and access.period_active,
        **extra,
    }


def overview_context(access, sheet) -> dict:
    covered = [row for row in sheet.rows if row.criterion.code in access.covered_codes]
    comments = comments_by_criterion(access.assessment)
    return {
        "access": access,
        "sheet": sheet,
        "covered_count": len(covered),
        "decided_count": sum(1 for row in covered if is_reviewed(row.entry)),
        "unresolved_count": sum(
            1 for items in comments.values() for c in items if not c.is_resolved
        ),
    }


@login_required
@require_safe
def unit(request, period_code, unit_code):
    """The appraisal page: every criterion with the unit's inputs, evidence and the decisions."""
    access = get_review_for_user(request.user, period_code, unit_code)
    assessment = access.assessment
    sheet = score_sheet(assessment)
    due = due_dates_by_criterion(assessment.period)
    evidence = evidence_for(assessment)
    # A sector appraiser sees its own criteria, and the others on request.
    show_all = not access.is_sector_appraiser or request.GET.get("all") == "1"
    rows = [r for r in sheet.rows if show_all or r.criterion.code in access.covered_codes]
    panels = [criterion_context(access, sheet, row, due, evidence) for row in rows]
    last_day = assessment.period.deadline_for(assessment.unit)
    ctx = {
        **overview_context(access, sheet),
        "panels": panels,
        "show_all": show_all,
        "general_comments": comments_by_criterion(assessment).get("", []),
        "general_form": CommentForm(prefix="general"),
        "return_form": ReturnForm(criteria=sheet.level.criteria, prefix="return"),
        "reopen_form": ReopenForm(prefix="reopen"),
        "unverified_commune": assessment.unit.parent_id is not None
        and assessment.state == Assessment.State.SUBMITTED,
        "general_can_comment": access.can_comment(""),
        "general_can_resolve": access.covers("") and access.period_active,
        "last_day": last_day,
        "past_deadline": timezone.localdate() > last_day,
    }
    return render(request, "reviews/unit.html", ctx)
