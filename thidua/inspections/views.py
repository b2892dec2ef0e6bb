"""On-site inspection samples: list and draw, one sample's units, one unit's result.

Administrators and provincial reviewers read; provincial reviewers draw and record.
Everyone else gets 403 (inspections are not tied to a unit the caller could own).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from thidua.evidence.forms import first_error
from thidua.inspections.forms import DrawForm, ResultForm
from thidua.inspections.models import InspectionResult, InspectionSample
from thidua.inspections.services import (
    InspectionRefused,
    can_read,
    can_write,
    draw_sample,
    record_result,
    redraw,
    require_write,
)
from thidua.periods.models import Period


def _require_read(user) -> None:
    if not can_read(user):
        raise PermissionDenied("Chỉ cán bộ thẩm định cấp tỉnh xem được mẫu kiểm tra.")


@login_required
@require_safe
def sample_list(request, period_code):
    _require_read(request.user)
    period = get_object_or_404(Period, code=period_code)
    samples = (
        InspectionSample.objects.filter(period=period)
        .select_related("level", "drawn_by")
        .annotate(done=Count("results", filter=Q(results__status=InspectionResult.Status.DONE)))
    )
    ctx = {
        "period": period,
        "samples": samples,
        "form": DrawForm() if can_write(request.user) else None,
    }
    return render(request, "inspections/sample_list.html", ctx)


@login_required
@require_POST
def draw(request, period_code):
    require_write(request.user)
    period = get_object_or_404(Period, code=period_code)
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("inspections:list", period_code=period.code)
    data = form.cleaned_data
    try:
        sample = draw_sample(
            period=period,
            user=request.user,
            size=data["size"],
            level=data["level"],
            submitted_only=data["submitted_only"],
            seed=data["seed"],
            note=data["note"],
        )
    except InspectionRefused as exc:
        messages.error(request, exc.message)
        return redirect("inspections:list", period_code=period.code)
    messages.success(
        request, f"Đã chọn {sample.size} đơn vị để kiểm tra (hạt giống {sample.seed})."
    )
    return redirect("inspections:sample", period_code=period.code, sample_uuid=sample.uuid)


def _get_sample(period_code, sample_uuid) -> InspectionSample:
    return get_object_or_404(
        InspectionSample.objects.select_related("period", "level", "drawn_by"),
        uuid=sample_uuid,
        period__code=period_code,
    )


@login_required
@require_safe
def sample_detail(request, period_code, sample_uuid):
    _require_read(request.user)
    sample = _get_sample(period_code, sample_uuid)
    results = sample.results.select_related("unit__parent", "unit__level", "inspector")
    _, reproduces = redraw(sample)
    ctx = {
        "sample": sample,
        "period": sample.period,
        "results": results,
        "reproduces": reproduces,
        "can_write": can_write(request.user),
    }
    return render(request, "inspections/sample_detail.html", ctx)


@login_required
def result_edit(request, period_code, sample_uuid, unit_code):
    require_write(request.user)
    sample = _get_sample(period_code, sample_uuid)
    result = get_object_or_404(
        InspectionResult.objects.select_related("unit__parent"), sample=sample, unit__code=unit_code
    )
    initial = {
        "result": result.result,
        "findings": result.findings,
        "inspected_on": result.inspected_on,
    }
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_result(
                result=result,
                user=request.user,
                outcome=form.cleaned_data["result"],
                findings=form.cleaned_data["findings"],
                inspected_on=form.cleaned_data["inspected_on"],
            )
        except InspectionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã ghi kết quả kiểm tra {result.unit.display_name}.")
            return redirect("inspections:sample", period_code=period_code, sample_uuid=sample.uuid)
    ctx = {"sample": sample, "period": sample.period, "result": result, "form": form}
    return render(request, "inspections/result_form.html", ctx)
