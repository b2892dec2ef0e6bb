"""POST handlers of the review: criterion decisions, comments and state changes.

Each gets the review through the access helper (404 out of scope, 403 without the right),
validates a form, calls one service, then redirects (or, for htmx, re-renders the
criterion's panel). A refused transition is shown as a message, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua import scoring
from thidua.assessments.scores import library_level, score_sheet
from thidua.criteria.services import scoring_library
from thidua.evidence.services import evidence_for
from thidua.periods.services import due_dates_by_criterion
from thidua.reviews import services
from thidua.reviews.access import ReviewForbidden, get_review_for_user
from thidua.reviews.forms import (
    CommentForm,
    NotApplicableForm,
    ReasonForm,
    ReopenForm,
    ReturnForm,
    VerifiedInputsForm,
)
from thidua.reviews.models import ReviewComment
from thidua.reviews.views import criterion_context, overview_context

DONE = {
    "accept": "Đã chấp nhận số liệu tự chấm của {code}.",
    "verify": "Đã lưu số liệu thẩm định của {code}.",
    "na": "Đã đánh dấu {code} không áp dụng (N/A).",
    "clear": "Đã bỏ quyết định thẩm định của {code}.",
    "comment": "Đã ghi ý kiến cho {code}.",
    "resolve": "Đã đánh dấu ý kiến về {code} là xử lý xong.",
}


def _page(access, anchor="") -> str:
    a = access.assessment
    url = reverse("reviews:unit", args=[a.period.code, a.unit.code])
    return f"{url}#{anchor}" if anchor else url


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "Dữ liệu chưa hợp lệ."


def _bind(action, request, access, criterion, due):
    code = criterion.code
    if action == "verify":
        return VerifiedInputsForm(
            request.POST, assessment=access.assessment, criterion=criterion, due=due
        )
    if action == "na":
        return NotApplicableForm(request.POST, prefix=f"na-{code}")
    if action == "comment":
        return CommentForm(request.POST, prefix=f"cm-{code}")
    return ReasonForm(request.POST, prefix=f"{'a' if action == 'accept' else 'c'}-{code}")


def _apply(action, access, user, code, form):
    assessment, data = access.assessment, form.cleaned_data
    if action == "accept":
        services.accept_criterion(assessment, user, code, data["reason"])
    elif action == "verify":
        services.set_verified_inputs(assessment, user, code, form.validated_inputs, data["reason"])
    elif action == "na":
        services.mark_not_applicable(assessment, user, code, data["reason"])
    elif action == "clear":
        services.clear_decision(assessment, user, code, data["reason"])
    else:
        services.add_comment(assessment, user, code, data["text"])


@login_required
@require_POST
def decide(request, period_code, unit_code, criterion_code, action):
    """accept | verify | na | clear | comment, on one criterion."""
    if action not in DONE or action == "resolve":
        raise Http404("Không có thao tác này")
    access = get_review_for_user(request.user, period_code, unit_code)
    if criterion_code not in access.level_codes:
        raise Http404("Tiêu chí không thuộc cấp của đơn vị")
    access.require_covers(criterion_code)
    sheet = score_sheet(access.assessment)
    row = next(r for r in sheet.rows if r.criterion.code == criterion_code)
    due = due_dates_by_criterion(access.assessment.period)
    form = _bind(action, request, access, row.criterion, due.get(criterion_code, {}))
    error = notice = None
    if form.is_valid():
        try:
            _apply(action, access, request.user, criterion_code, form)
        except services.ReasonRequired as exc:
            form.add_error("reason", str(exc))
        except scoring.InputError as exc:
            form.attach_engine_error(exc)
        except services.ReviewRefused as exc:
            error = str(exc)
        else:
            notice = DONE[action].format(code=criterion_code)
    if not request.htmx:
        if notice:
            messages.success(request, notice)
        else:
            messages.error(request, error or f"{criterion_code}: {_first_error(form)}")
        return redirect(_page(access, f"crit-{criterion_code}"))
    return _panel(request, access, criterion_code, notice=notice, error=error, form=form)


def _panel(request, access, code, *, notice=None, error=None, form=None, action=""):
    """The criterion's review panel re-rendered, with the page's totals (out of band)."""
    sheet = score_sheet(access.assessment)
    row = next(r for r in sheet.rows if r.criterion.code == code)
    due = due_dates_by_criterion(access.assessment.period)
    failed = form is not None and (form.errors or error)
    bound = {action or request.resolver_match.kwargs.get("action", ""): form} if failed else {}
    ctx = criterion_context(
        access,
        sheet,
        row,
        due,
        evidence_for(access.assessment),
        bound=bound,
        open_action=next(iter(bound), ""),
        notice=notice,
        error=error,
    )
    page = {"p": ctx, **overview_context(access, sheet), "oob": True}
    return render(request, "reviews/_criterion_review.html", page)


@login_required
@require_POST
def resolve(request, period_code, unit_code, comment_uuid):
    access = get_review_for_user(request.user, period_code, unit_code)
    comment = get_object_or_404(ReviewComment, uuid=comment_uuid, assessment=access.assessment)
    access.require_covers(comment.criterion_code)
    code = comment.criterion_code
    error = notice = None
    try:
        services.resolve_comment(comment, request.user)
    except services.ReviewRefused as exc:
        error = str(exc)
    else:
        notice = DONE["resolve"].format(code=code or "bản đánh giá")
    if request.htmx and code:
        return _panel(request, access, code, notice=notice, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(_page(access, f"crit-{code}" if code else "general"))


@login_required
@require_POST
def comment_general(request, period_code, unit_code):
    access = get_review_for_user(request.user, period_code, unit_code)
    access.require_covers("")
    form = CommentForm(request.POST, prefix="general")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        try:
            services.add_comment(access.assessment, request.user, "", form.cleaned_data["text"])
        except services.ReviewRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã ghi ý kiến chung cho đơn vị.")
    return redirect(_page(access, "general"))


@login_required
@require_POST
def accept_remaining(request, period_code, unit_code):
    access = get_review_for_user(request.user, period_code, unit_code)
    if not access.covered_codes:
        raise ReviewForbidden("Bạn không có tiêu chí nào để thẩm định ở đơn vị này")
    try:
        result = services.accept_all_remaining(access.assessment, request.user)
    except services.ReviewRefused as exc:
        messages.error(request, str(exc))
    else:
        if result.accepted:
            messages.success(
                request,
                f"Đã chấp nhận {len(result.accepted)} tiêu chí: {', '.join(result.accepted)}.",
            )
        else:
            messages.info(request, "Không còn tiêu chí nào chấp nhận được ngay.")
        for code, why in result.left:
            messages.warning(request, f"{code}: {why} — cần quyết định riêng.")
    return redirect(_page(access))


def _transition(request, access, allowed: bool, call, done: str):
    if not allowed:
        raise ReviewForbidden("Vai trò của bạn không được thực hiện thao tác này")
    try:
        call()
    except services.ReviewRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(_page(access))


@login_required
@require_POST
def return_to_unit(request, period_code, unit_code):
    access = get_review_for_user(request.user, period_code, unit_code)
    if not access.can_return:
        raise ReviewForbidden("Bạn không được trả lại bản đánh giá này")
    form = ReturnForm(request.POST, criteria=_criteria(access), prefix="return")
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_page(access, "return"))
    return _transition(
        request,
        access,
        True,
        lambda: services.return_assessment(
            access.assessment, request.user, form.comments(), form.cleaned_data["general"]
        ),
        "Đã trả lại bản đánh giá cho đơn vị, kèm ý kiến.",
    )


@login_required
@require_POST
def verify(request, period_code, unit_code):
    access = get_review_for_user(request.user, period_code, unit_code)
    return _transition(
        request,
        access,
        access.can_verify_district,
        lambda: services.verify_by_district(access.assessment, request.user),
        "Huyện đã xác minh bản đánh giá của xã.",
    )


@login_required
@require_POST
def finalize(request, period_code, unit_code):
    access = get_review_for_user(request.user, period_code, unit_code)
    return _transition(
        request,
        access,
        access.can_finalize,
        lambda: services.finalize(access.assessment, request.user),
        "Đã hoàn tất thẩm định.",
    )


@login_required
@require_POST
def reopen(request, period_code, unit_code):
    access = get_review_for_user(request.user, period_code, unit_code)
    if not access.can_reopen:
        raise ReviewForbidden("Chỉ thẩm định viên cấp tỉnh mở lại được thẩm định")
    form = ReopenForm(request.POST, prefix="reopen")
    if not form.is_valid():
        messages.error(request, f"Cần ghi lý do mở lại. {_first_error(form)}")
        return redirect(_page(access, "transitions"))
    return _transition(
        request,
        access,
        True,
        lambda: services.reopen(access.assessment, request.user, form.cleaned_data["reason"]),
        "Đã mở lại thẩm định.",
    )


def _criteria(access):
    a = access.assessment
    return library_level(scoring_library(a.period.criteria_version), a.unit.level.code).criteria
