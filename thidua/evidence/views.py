"""Upload, download and removal of evidence.

Out-of-scope callers get 404, in-scope callers without the right 403 (see the access helpers).
htmx requests get the re-rendered `_evidence_list.html` with status 200 even when a file is
refused (the Vietnamese reason is in the partial): htmx 2 does not swap 4xx responses by
default. Other requests are redirected back with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from thidua import scoring
from thidua.accounts.models import Role
from thidua.assessments.access import get_assessment_by_uuid, get_assessment_for_user
from thidua.assessments.services import criterion_of
from thidua.evidence.filetypes import INLINE_CONTENT_TYPES
from thidua.evidence.forms import EvidenceForm, RemoveEvidenceForm, first_error
from thidua.evidence.models import Evidence
from thidua.evidence.services import (
    EvidenceRejected,
    evidence_for,
    remove_evidence,
    store_evidence,
)

# Removed evidence stays on record; only those who review may still open it.
REMOVED_EVIDENCE_ROLES = {Role.ADMINISTRATOR, Role.PROVINCIAL_REVIEWER, Role.DISTRICT_REVIEWER}


@login_required
@require_POST
def upload(request, period_code, unit_code, criterion_code):
    access = get_assessment_for_user(request.user, period_code, unit_code)
    criterion = _criterion_or_404(access.assessment, criterion_code)
    access.require_edit()
    if access.assessment.pk is None:
        access = get_assessment_for_user(request.user, period_code, unit_code, create=True)

    form = EvidenceForm(request.POST, request.FILES)
    error = notice = None
    if form.is_valid():
        try:
            evidence = store_evidence(
                access=access,
                criterion_code=criterion.code,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
                citation=form.citation(),
            )
        except EvidenceRejected as exc:
            error = exc.message
        else:
            form = None
            name = evidence.original_name or evidence.doc_number
            notice = _("Saved: %(name)s") % {"name": name}
    else:
        error = first_error(form)
    return _respond(request, access, criterion, error=error, notice=notice, form=form)


@login_required
@require_safe
def download(request, evidence_uuid):
    evidence = get_object_or_404(Evidence.objects.select_related("assessment"), uuid=evidence_uuid)
    access = get_assessment_by_uuid(request.user, evidence.assessment.uuid)
    if not access.can_download_evidence:
        raise PermissionDenied("Bạn không được tải tài liệu minh chứng của đơn vị này")
    if evidence.is_removed and access.role not in REMOVED_EVIDENCE_ROLES:
        raise Http404("Không tìm thấy tài liệu")
    if not evidence.has_file:
        raise Http404("Văn bản được trích dẫn, không có tệp đính kèm")
    inline = request.GET.get("inline") == "1" and evidence.content_type in INLINE_CONTENT_TYPES
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Untrusted content: sandboxed, never sniffed; only our own pages may frame it (the
    # appraisal page previews PDFs and images inline), unlike every other page (DENY).
    response["Content-Security-Policy"] = "sandbox; frame-ancestors 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def remove(request, evidence_uuid):
    evidence = get_object_or_404(Evidence.objects.select_related("assessment"), uuid=evidence_uuid)
    access = get_assessment_by_uuid(request.user, evidence.assessment.uuid)
    access.require_edit()
    if evidence.is_removed:
        raise Http404("Tài liệu đã được gỡ")
    criterion = _criterion_or_404(access.assessment, evidence.criterion_code)

    form = RemoveEvidenceForm(request.POST)
    error = notice = None
    if form.is_valid():
        try:
            remove_evidence(
                access=access,
                evidence=evidence,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except EvidenceRejected as exc:
            error = exc.message
        else:
            name = evidence.original_name or evidence.doc_number
            notice = _("Removed: %(name)s") % {"name": name}
    else:
        error = first_error(form)
    return _respond(request, access, criterion, error=error, notice=notice)


def _criterion_or_404(assessment, code):
    try:
        return criterion_of(assessment, code)
    except scoring.InputError:
        raise Http404("Tiêu chí không thuộc cấp của đơn vị") from None


def _respond(request, access, criterion, *, error, notice, form=None):
    if request.headers.get("HX-Request") == "true":
        ctx = {
            "access": access,
            "criterion": criterion,
            "evidence_items": evidence_for(access.assessment).get(criterion.code, []),
            "evidence_error": error,
            "evidence_notice": notice,
            "evidence_form": form,
        }
        return render(request, "evidence/_evidence_list.html", ctx)
    if error:
        messages.error(request, f"{criterion.code}: {error}")
    elif notice:
        messages.success(request, f"{criterion.code}: {notice}")
    return redirect(_back_url(request, access))


def _back_url(request, access) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    assessment = access.assessment
    return reverse("assessments:detail", args=[assessment.period.code, assessment.unit.code])
