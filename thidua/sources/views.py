from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from thidua.criteria.services import scoring_library
from thidua.periods.models import Period
from thidua.sources.access import get_import_for_user, require_importer
from thidua.sources.display import inputs_text, shown_clears, shown_rows
from thidua.sources.forms import SourceUploadForm
from thidua.sources.models import SourceImport
from thidua.sources.reading import MAX_FILE_BYTES, MAX_ROWS, SourceFileError
from thidua.sources.services import (
    ImportRefused,
    confirm_import,
    create_pending_import,
    discard_import,
    expire_stale_imports,
    preview,
    previous_import,
    same_file_imports,
)
from thidua.units.models import Unit

PREVIEW_ROWS = 200


def _known_sources(periods) -> list[str]:
    """Labels to suggest: the data sources the criteria name, and those imported before."""
    labels = set(SourceImport.objects.values_list("source", flat=True).distinct())
    for period in periods:
        for level in scoring_library(period.criteria_version).levels:
            labels.update(c.data_source for c in level.criteria if c.data_source)
    return sorted(labels)


@login_required
def upload(request):
    """Choose a period, a source and a file; a valid file becomes a pending import."""
    require_importer(request.user)
    form = SourceUploadForm(request.POST or None, request.FILES or None)
    problems, problem_total = [], 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        expire_stale_imports()
        try:
            source_import = create_pending_import(
                period=form.cleaned_data["period"],
                data=upload.read(MAX_FILE_BYTES + 1),
                filename=upload.name,
                label=form.cleaned_data["source"],
                user=request.user,
            )
        except SourceFileError as exc:
            problems, problem_total = [str(p) for p in exc.problems], exc.total
        except ImportRefused as exc:
            problems, problem_total = exc.problems, len(exc.problems)
        else:
            url = reverse("sources:detail", args=[source_import.uuid])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    periods = list(form.fields["period"].queryset.select_related("criteria_version"))
    ctx = {
        "form": form,
        "problems": problems,
        "problem_total": problem_total,
        "known_sources": _known_sources(periods),
        "periods": Period.objects.all(),
        "max_mb": MAX_FILE_BYTES // 2**20,
        "max_rows": MAX_ROWS,
    }
    template = "sources/_upload_form.html" if request.htmx else "sources/upload.html"
    return render(request, template, ctx)


@login_required
def period_imports(request, period_code):
    require_importer(request.user)
    period = get_object_or_404(Period, code=period_code)
    imports = period.source_imports.select_related("uploaded_by", "decided_by", "replaces").defer(
        "rows", "replaces__rows"
    )
    return render(request, "sources/period_imports.html", {"period": period, "imports": imports})


@login_required
def detail(request, import_uuid):
    """A pending import's preview (what confirming would change), or an import's record."""
    source_import = get_import_for_user(request.user, import_uuid)
    only_discrepancies = request.GET.get("only") == "discrepancies"
    ctx = {
        "source_import": source_import,
        "period": source_import.period,
        "only_discrepancies": only_discrepancies,
        "limit": PREVIEW_ROWS,
        "same_file": same_file_imports(source_import).select_related("uploaded_by"),
    }
    pending = source_import.shown_status == SourceImport.Status.PENDING
    if pending:
        plan = preview(source_import)
        rows = [r for r in plan.rows if r.discrepancy] if only_discrepancies else plan.rows
        ctx.update(
            plan=plan,
            previous=previous_import(source_import),
            listed_count=len(rows),
            rows=shown_rows(plan, rows[:PREVIEW_ROWS]),
            clears=shown_clears(plan.clears[:PREVIEW_ROWS]),
            kept_finalized=len(plan.kept_finalized),
        )
    else:
        rows = source_import.rows[:PREVIEW_ROWS]
        units = Unit.objects.select_related("parent").in_bulk([row[1] for row in rows])
        ctx["stored_rows"] = [
            (line, units.get(unit_id), unit_code, code, inputs_text(inputs))
            for line, unit_id, unit_code, code, inputs in rows
        ]
    return render(request, "sources/detail.html", ctx)


@login_required
@require_POST
def confirm(request, import_uuid):
    source_import = get_import_for_user(request.user, import_uuid)
    try:
        applied = confirm_import(source_import=source_import, user=request.user)
    except ImportRefused as exc:
        messages.error(request, "Chưa nhập số liệu; không có gì thay đổi.")
        for problem in exc.problems[:50]:
            messages.error(request, problem)
        return redirect("sources:detail", import_uuid=source_import.uuid)
    messages.success(
        request,
        f"Đã nhập {applied.row_count} dòng số liệu {applied.source}: "
        f"{applied.changed_count} giá trị thay đổi, {applied.discrepancy_count} đơn vị chênh "
        f"lệch với số liệu tự báo cáo, {applied.cleared_count} giá trị của lần nhập trước "
        "được bỏ.",
    )
    return redirect("sources:period_imports", period_code=applied.period.code)


@login_required
@require_POST
def discard(request, import_uuid):
    source_import = get_import_for_user(request.user, import_uuid)
    try:
        discard_import(source_import=source_import, user=request.user)
    except ImportRefused as exc:
        for problem in exc.problems:
            messages.error(request, problem)
        return redirect("sources:detail", import_uuid=source_import.uuid)
    messages.success(request, f"Đã huỷ tệp {source_import.file_name}; không có gì thay đổi.")
    return redirect("sources:period_imports", period_code=source_import.period.code)
