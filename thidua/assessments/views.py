from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.forms import CriterionInputsForm
from thidua.assessments.models import Assessment
from thidua.assessments.page_cache import CSRF_STANDIN, page_content
from thidua.assessments.ranking import unit_totals
from thidua.assessments.scores import score_sheet
from thidua.assessments.services import EditConflict, NotEditable, criterion_of, save_self_inputs
from thidua.assessments.submission import SubmissionRefused, missing_items, submit_assessment
from thidua.assessments.timeline import assessment_timeline
from thidua.assessments.workbook import WorkbookError, build_assessment_workbook
from thidua.assessments.workbook_import import ImportRejected, import_assessment_workbook
from thidua.evidence.services import evidence_for
from thidua.periods.services import due_dates_by_criterion, period_or_404
from thidua.reviews.feedback import comments_by_criterion
from thidua.units.models import Level

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ensure_saved(assessment: Assessment) -> Assessment:
    """Writing views create the assessment row on first write (reading never does)."""
    if assessment.pk:
        return assessment
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        existing = Assessment.objects.get(period=assessment.period, unit=assessment.unit)
        existing.period, existing.unit = assessment.period, assessment.unit
        return existing
    return assessment


def _panel(access, row, due, evidence_items, form=None):
    criterion = row.criterion
    if form is None:
        entry = row.entry
        initial = CriterionInputsForm.initial_from_inputs(
            criterion, entry.self_inputs if entry else None
        )
        initial["revision"] = entry.revision if entry else 0
        form = CriterionInputsForm(
            initial=initial,
            assessment=access.assessment,
            criterion=criterion,
            due=due.get(criterion.code, {}),
        )
    assessment = access.assessment
    return {
        "row": row,
        "criterion": criterion,
        "form": form,
        "access": access,
        "evidence_items": evidence_items,
        # Reversed once here: the form uses it twice (action and hx-post), 14 forms a page.
        "save_url": reverse(
            "assessments:save",
            args=[assessment.period.code, assessment.unit.code, criterion.code],
        ),
    }


@login_required
def assessment_detail(request, period_code, unit_code):
    """The unit's workspace: where it stands, what is missing, and every criterion's form."""
    access = get_assessment_for_user(request.user, period_code, unit_code)
    # Reloaded often while nothing changed: the content is cached under a digest of
    # everything it shows (see page_cache).
    content = page_content(request, access, lambda: _detail_content(request, access))
    return render(
        request, "assessments/assessment_detail.html", {"access": access, "content": content}
    )


def _detail_content(request, access) -> str:
    assessment = access.assessment
    due = due_dates_by_criterion(assessment.period)
    sheet = score_sheet(assessment, due=due)
    evidence = evidence_for(assessment) if assessment.pk else {}
    panels = [_panel(access, row, due, evidence.get(row.criterion.code, [])) for row in sheet.rows]
    ctx = {
        "access": access,
        "sheet": sheet,
        "panels": panels,
        "missing": missing_items(sheet),
        "evidence_count": sum(len(items) for items in evidence.values()),
        "last_day": assessment.period.deadline_for(assessment.unit),
        "csrf_standin": CSRF_STANDIN,
    }
    return render_to_string("assessments/_detail_content.html", ctx, request)


@login_required
@require_POST
def criterion_save(request, period_code, unit_code, criterion_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    access.require_edit()
    assessment = _ensure_saved(access.assessment)
    criterion = criterion_of(assessment, criterion_code)
    due = due_dates_by_criterion(assessment.period).get(criterion.code, {})
    form = CriterionInputsForm(request.POST, assessment=assessment, criterion=criterion, due=due)
    conflict = None
    saved = False
    if form.is_valid():
        try:
            save_self_inputs(
                assessment=assessment,
                criterion_code=criterion.code,
                inputs=form.validated_inputs,
                user=request.user,
                expected_revision=form.cleaned_data.get("revision"),
            )
            saved = True
        except EditConflict as exc:
            conflict = exc.entry
        except NotEditable as exc:
            form.add_error(None, str(exc))
    if not request.htmx:
        if saved:
            messages.success(request, _("Saved %(code)s.") % {"code": criterion.code})
        elif conflict:
            updated_by = conflict.updated_by
            who = (updated_by.get_full_name() or updated_by.username) if updated_by else "—"
            when = date_format(localtime(conflict.updated_at), "H:i:s d/m/Y")
            messages.error(
                request,
                _(
                    "%(code)s: not saved, %(who)s changed this criterion at %(when)s. "
                    "Their values are shown; enter yours again if needed."
                )
                % {"code": criterion.code, "who": who, "when": when},
            )
        else:
            messages.error(
                request,
                _("%(code)s: not saved, the values are invalid.") % {"code": criterion.code},
            )
        return redirect("assessments:detail", period_code=period_code, unit_code=unit_code)
    sheet = score_sheet(assessment)
    row = next(r for r in sheet.rows if r.criterion.code == criterion.code)
    ctx = {
        "row": row,
        "criterion": criterion,
        "form": form,
        "saved": saved,
        "conflict": conflict,
        "sheet": sheet,
        "missing": missing_items(sheet),
        "access": access,
    }
    return render(request, "assessments/_criterion_result.html", ctx)


@login_required
def criterion_panel(request, period_code, unit_code, criterion_code):
    """One criterion's panel, freshly loaded (after a conflict the user reloads just this)."""
    access = get_assessment_for_user(request.user, period_code, unit_code)
    due = due_dates_by_criterion(access.assessment.period)
    sheet = score_sheet(access.assessment, due=due)
    row = next((r for r in sheet.rows if r.criterion.code == criterion_code), None)
    if row is None:
        return render(request, "404.html", status=404)
    evidence = evidence_for(access.assessment) if access.assessment.pk else {}
    ctx = _panel(access, row, due, evidence.get(criterion_code, []))
    return render(request, "assessments/_criterion_panel.html", {"panel": ctx, **ctx})


@login_required
@require_POST
def submit(request, period_code, unit_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    access.require_submit()
    assessment = _ensure_saved(access.assessment)
    try:
        submit_assessment(assessment=assessment, user=request.user)
    except SubmissionRefused as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(request, "Đã nộp bản tự đánh giá. Đơn vị không sửa được nữa.")
    return redirect("assessments:detail", period_code=period_code, unit_code=unit_code)


@login_required
def workbook_export(request, period_code, unit_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    assessment = access.assessment
    content = build_assessment_workbook(score_sheet(assessment))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"tu-danh-gia-{assessment.period.code}-{assessment.unit.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def workbook_import(request, period_code, unit_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    access.require_edit()
    upload = request.FILES.get("workbook")
    detail = redirect("assessments:detail", period_code=period_code, unit_code=unit_code)
    if upload is None:
        messages.error(request, "Chưa chọn tệp Excel (.xlsx) để nhập.")
        return detail
    try:
        result = import_assessment_workbook(
            assessment=_ensure_saved(access.assessment), fileobj=upload, user=request.user
        )
    except WorkbookError as exc:
        messages.error(request, "Không nhập được tệp Excel; không có gì thay đổi.")
        for problem in exc.problems:
            messages.error(request, str(problem))
    except ImportRejected as exc:
        messages.error(request, "Không nhập được tệp Excel; không có gì thay đổi.")
        for error in exc.errors:
            messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Đã nhập tệp Excel: {len(result.changed)} tiêu chí cập nhật, "
            f"{len(result.unchanged)} không đổi, {len(result.untouched)} để trống.",
        )
    return detail


@login_required
def history(request, period_code, unit_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    events = assessment_timeline(access.assessment) if access.assessment.pk else []
    return render(request, "assessments/history.html", {"access": access, "events": events})


@login_required
def score_sheet_view(request, period_code, unit_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    sheet = score_sheet(access.assessment)
    comments = comments_by_criterion(access.assessment)
    ctx = {"sheet": sheet, "access": access, "comments": comments}
    return render(request, "assessments/score_sheet.html", ctx)


@login_required
def period_units(request, period_code):
    period = period_or_404(period_code)
    levels = Level.objects.all()
    level_code = request.GET.get("level") or None
    level = next((lvl for lvl in levels if lvl.code == level_code), None)
    rows = unit_totals(request.user, period, level=level)
    ctx = {"period": period, "levels": levels, "level": level, "rows": rows}
    return render(request, "assessments/period_units.html", ctx)
