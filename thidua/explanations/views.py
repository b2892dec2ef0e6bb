"""Explanations (giải trình) and the period's state management page.

Unit side: the form in each criterion panel of the assessment page posts to `file`.
Reviewer side: `explanation_list` (the queue), `explanation_detail` (read and answer).
Period: `period_manage` shows the state and the next change, `period_transition` makes it.
"""

import datetime
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from thidua import scoring
from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.forms import CriterionInputsForm
from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet
from thidua.assessments.services import criterion_of
from thidua.evidence.filetypes import INLINE_CONTENT_TYPES
from thidua.evidence.forms import first_error
from thidua.explanations.access import (
    get_attachment_for_user,
    get_explanation_for_user,
    require_list,
)
from thidua.explanations.forms import AnswerForm, ExplanationForm, TransitionForm
from thidua.explanations.models import Explanation
from thidua.explanations.services import (
    ExplanationRefused,
    answer_explanation,
    can_file_for,
    file_explanation,
)
from thidua.periods import transitions
from thidua.periods.models import Period
from thidua.periods.services import due_dates_by_criterion, period_or_404
from thidua.units.models import Unit

# How long the explanation window proposed on the management page lasts by default.
DEFAULT_WINDOW_DAYS = 10


@login_required
@require_POST
def file(request, period_code, unit_code, criterion_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    assessment = access.assessment
    if not can_file_for(request.user, assessment):
        raise PermissionDenied("Chỉ cán bộ đầu mối và thủ trưởng đơn vị được gửi giải trình.")
    try:
        criterion = criterion_of(assessment, criterion_code)
    except scoring.InputError:
        raise Http404("Tiêu chí không thuộc cấp của đơn vị") from None
    form = ExplanationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            file_explanation(
                assessment=assessment,
                criterion_code=criterion.code,
                text=form.cleaned_data["text"],
                user=request.user,
                files=form.cleaned_data["files"],
            )
        except ExplanationRefused as exc:
            messages.error(request, f"{criterion.code}: {exc.message}")
        else:
            messages.success(request, f"{criterion.code}: đã gửi giải trình.")
    else:
        messages.error(request, f"{criterion.code}: {first_error(form)}")
    detail = reverse("assessments:detail", args=[period_code, unit_code])
    return redirect(f"{detail}#crit-{criterion.code}")


@login_required
@require_safe
def explanation_list(request, period_code):
    require_list(request.user)
    period = get_object_or_404(Period, code=period_code)
    explanations = (
        Explanation.objects.filter(assessment__period=period)
        .select_related("assessment__unit__parent", "assessment__unit__level", "filed_by")
        .order_by("status", "filed_at", "id")
    )
    counts = Counter(explanations.values_list("status", flat=True))
    status = request.GET.get("status", "")
    if status in Explanation.Status.values:
        explanations = explanations.filter(status=status)
    else:
        status = ""
    tabs = [("", None, sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in Explanation.Status.choices
    ]
    ctx = {"period": period, "explanations": explanations, "status": status, "tabs": tabs}
    return render(request, "explanations/explanation_list.html", ctx)


@login_required
def explanation_detail(request, period_code, explanation_uuid):
    access = get_explanation_for_user(request.user, period_code, explanation_uuid)
    explanation = access.explanation
    assessment = explanation.assessment
    criterion = criterion_of(assessment, explanation.criterion_code)
    due = due_dates_by_criterion(assessment.period).get(criterion.code, {})
    answer_form = inputs_form = None
    if access.can_answer:
        answer_form = AnswerForm(request.POST or None)
        inputs_form = CriterionInputsForm(
            request.POST or None,
            initial=_current_inputs(assessment, criterion),
            assessment=assessment,
            criterion=criterion,
            due=due,
        )
    if request.method == "POST":
        access.require_answer()
        answered = _answer(request, explanation, answer_form, inputs_form)
        if answered:
            return redirect(reverse("explanations:list", args=[period_code]) + "?status=pending")
    sheet = score_sheet(assessment)
    row = next(r for r in sheet.rows if r.criterion.code == criterion.code)
    ctx = {
        "access": access,
        "explanation": explanation,
        "assessment": assessment,
        "criterion": criterion,
        "row": row,
        "sheet": sheet,
        "answer_form": answer_form,
        "inputs_form": inputs_form,
        "attachments": explanation.attachments.all(),
        "can_list": request.user.is_authenticated and _can_list(request.user),
    }
    return render(request, "explanations/explanation_detail.html", ctx)


def _answer(request, explanation, answer_form, inputs_form) -> bool:
    if not answer_form.is_valid():
        return False
    accept = answer_form.cleaned_data["decision"] == "accept"
    inputs = None
    if accept:
        if not inputs_form.is_valid():
            answer_form.add_error(None, "Số liệu thẩm định mới chưa hợp lệ.")
            return False
        inputs = inputs_form.validated_inputs
        if not inputs:
            answer_form.add_error(None, "Chấp nhận giải trình cần số liệu thẩm định mới.")
            return False
    try:
        answer_explanation(
            explanation=explanation,
            user=request.user,
            accept=accept,
            reason=answer_form.cleaned_data["answer"],
            verified_inputs=inputs,
        )
    except ExplanationRefused as exc:
        answer_form.add_error(None, exc.message)
        return False
    unit = explanation.assessment.unit.display_name
    decision = "Đã chấp nhận" if accept else "Đã không chấp nhận"
    messages.success(request, f"{decision} giải trình {explanation.criterion_code} của {unit}.")
    return True


def _current_inputs(assessment: Assessment, criterion) -> dict:
    """The inputs the final score rests on now: verified if set, else the unit's own."""
    entry = assessment.entries.filter(criterion_code=criterion.code).first()
    inputs = None
    if entry is not None:
        inputs = entry.verified_inputs if entry.verified_inputs is not None else entry.self_inputs
    return CriterionInputsForm.initial_from_inputs(criterion, inputs)


def _can_list(user) -> bool:
    try:
        require_list(user)
    except PermissionDenied:
        return False
    return True


@login_required
@require_safe
def attachment_download(request, period_code, attachment_uuid):
    attachment = get_attachment_for_user(request.user, period_code, attachment_uuid)
    inline = request.GET.get("inline") == "1" and attachment.content_type in INLINE_CONTENT_TYPES
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Untrusted content: sandboxed, never sniffed; only our own pages may frame it (the
    # appraisal page previews PDFs and images inline), unlike every other page (DENY).
    response["Content-Security-Policy"] = "sandbox; frame-ancestors 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_safe
def period_manage(request, period_code):
    period = period_or_404(period_code)
    transitions.require_manager(request.user)
    today = timezone.localdate()
    transition = transitions.next_transition(period)
    proposed_until = today + datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
    found = transitions.preconditions(period, today, explanation_until=proposed_until)
    form = TransitionForm(initial={"explanation_until": proposed_until})
    ctx = {
        "period": period,
        "today": today,
        "transition": transition,
        "found": found,
        "form": form,
        "steps": _steps(period),
        "assessment_counts": _assessment_counts(period),
        "explanation_counts": _explanation_counts(period),
        "history": period.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "explanations/period_manage.html", ctx)


@login_required
@require_POST
def period_transition(request, period_code, name):
    period = get_object_or_404(Period, code=period_code)
    transitions.require_manager(request.user)
    transition = transitions.BY_NAME.get(name)
    if transition is None:
        raise Http404("Không có thao tác này")
    back = redirect("explanations:period", period_code=period.code)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back
    data = form.cleaned_data
    try:
        if name == "start_review":
            transitions.start_review(
                period, request.user, force=data["force"], reason=data["reason"]
            )
        elif name == "publish_preliminary":
            transitions.publish_preliminary(
                period, request.user, data["explanation_until"], reason=data["reason"]
            )
        elif name == "finalize_period":
            transitions.finalize_period(
                period, request.user, force=data["force"], reason=data["reason"]
            )
        else:
            transitions.archive(period, request.user, reason=data["reason"])
    except transitions.TransitionRefused as exc:
        messages.error(request, exc.message)
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            f"{period.name}: đã chuyển sang trạng thái «{transitions.state_name(period.state)}».",
        )
    return back


def _steps(period: Period) -> list[dict]:
    order = list(Period.State)
    here = order.index(Period.State(period.state))
    return [
        {"state": state, "label": state.label, "done": i < here, "current": i == here}
        for i, state in enumerate(order)
    ]


def _assessment_counts(period: Period) -> list[tuple[str, str, int]]:
    counts = Counter(Assessment.objects.filter(period=period).values_list("state", flat=True))
    not_started = Unit.objects.active().exclude(assessments__period=period).count()
    rows = [("not_started", None, not_started)]
    rows += [(value, label, counts.get(value, 0)) for value, label in Assessment.State.choices]
    return rows


def _explanation_counts(period: Period) -> list[tuple[str, str, int]]:
    counts = Counter(
        Explanation.objects.filter(assessment__period=period).values_list("status", flat=True)
    )
    return [(value, label, counts.get(value, 0)) for value, label in Explanation.Status.choices]
