from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.awards.access import awards_access, get_proposal_for_user
from thidua.awards.forms import AWARD_FORMS, LevelRuleForm, ProposalForm, ReasonForm, UnitReasonForm
from thidua.awards.models import AwardProposal
from thidua.awards.rules import rule_from_model
from thidua.awards.services import (
    ProposalRefused,
    active_items,
    add_unit,
    build_proposal_preview,
    issue_proposal,
    remove_unit,
    save_proposal,
)
from thidua.exports import docx, xlsx
from thidua.exports.documents import proposal_document
from thidua.exports.http import attachment
from thidua.exports.rows import proposal_changes_report, proposal_report
from thidua.periods.models import Period
from thidua.periods.services import period_or_404
from thidua.units.models import Level, Unit

DEFAULT_TOP_N = "3"


@login_required
def proposal_list(request):
    access = awards_access(request.user)
    proposals = AwardProposal.objects.select_related("period", "created_by").annotate(
        unit_count=Count("items", filter=Q(items__removed=False))
    )
    ctx = {"access": access, "proposals": proposals, "periods": Period.objects.all()}
    return render(request, "awards/proposal_list.html", ctx)


def _rule_forms(data, period, levels) -> list[LevelRuleForm]:
    return [LevelRuleForm(data, prefix=level.code, level=level, period=period) for level in levels]


def _default_data(levels) -> dict:
    """A first proposal to look at: the top three of every level."""
    data = {}
    for level in levels:
        data[f"{level.code}-kind"], data[f"{level.code}-value"] = "top_n", DEFAULT_TOP_N
    return data


@login_required
def proposal_new(request, period_code):
    """Rules per level and the live preview (htmx re-renders `_preview.html` on change)."""
    access = awards_access(request.user)
    access.require_edit()
    period = period_or_404(period_code)
    levels = list(Level.objects.all())
    data = request.POST if request.method == "POST" else (request.GET or _default_data(levels))
    form = ProposalForm(data)
    rule_forms = _rule_forms(data, period, levels)
    # Validate every form (no short-circuit) so that each shows its own errors.
    valid = form.is_valid() & all([rule_form.is_valid() for rule_form in rule_forms])  # noqa: C419
    rules = [rule_form.rule for rule_form in rule_forms if rule_form.rule] if valid else []
    if request.method == "POST" and valid:
        try:
            proposal = save_proposal(
                period=period,
                rules=rules,
                user=request.user,
                award_form=form.cleaned_data["award_form"],
                note=form.cleaned_data["note"],
            )
        except (ProposalRefused, ValidationError) as exc:
            form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        else:
            messages.success(request, f"Đã lưu đề nghị số {proposal.number}.")
            return redirect("awards:detail", proposal_uuid=proposal.uuid)
    ctx = {
        "access": access,
        "period": period,
        "form": form,
        "rule_forms": rule_forms,
        "award_forms": AWARD_FORMS,
        "preview": build_proposal_preview(period, rules) if rules else [],
        "has_rules": bool(rules),
        "valid": valid,
    }
    if request.htmx:
        return render(request, "awards/_preview.html", ctx)
    return render(request, "awards/proposal_new.html", ctx, status=200 if valid else 400)


def _detail_ctx(proposal, access, *, add_form=None) -> dict:
    items = list(
        proposal.items.select_related("unit__parent", "level", "added_by", "removed_by").order_by(
            "level__order", "rank", "unit__code"
        )
    )
    rules = [
        rule_from_model(rule, proposal.period)
        for rule in proposal.rules.select_related("level", "grade_band")
    ]
    return {
        "proposal": proposal,
        "access": access,
        "items": [item for item in items if not item.removed],
        "removed": [item for item in items if item.removed],
        "manual": [item for item in items if item.is_manual],
        "rules": rules,
        "add_form": add_form or UnitReasonForm(),
        "decimals": 2,
    }


@login_required
def proposal_detail(request, proposal_uuid):
    proposal, access = get_proposal_for_user(request.user, proposal_uuid)
    return render(request, "awards/proposal_detail.html", _detail_ctx(proposal, access))


@login_required
@require_POST
def proposal_add(request, proposal_uuid):
    proposal, access = get_proposal_for_user(request.user, proposal_uuid)
    access.require_edit()
    form = UnitReasonForm(request.POST)
    if not form.is_valid():
        ctx = _detail_ctx(proposal, access, add_form=form)
        return render(request, "awards/proposal_detail.html", ctx, status=400)
    unit = form.cleaned_data["unit"]
    try:
        add_unit(proposal, unit, reason=form.cleaned_data["reason"], user=request.user)
    except ProposalRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã bổ sung {unit.name}.")
    return redirect("awards:detail", proposal_uuid=proposal.uuid)


@login_required
@require_POST
def proposal_remove(request, proposal_uuid, unit_code):
    proposal, access = get_proposal_for_user(request.user, proposal_uuid)
    access.require_edit()
    unit = get_object_or_404(Unit, code=unit_code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần ghi lý do khi loại một đơn vị khỏi danh sách.")
        return redirect("awards:detail", proposal_uuid=proposal.uuid)
    try:
        remove_unit(proposal, unit, reason=form.cleaned_data["reason"], user=request.user)
    except ProposalRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã loại {unit.name} khỏi danh sách.")
    return redirect("awards:detail", proposal_uuid=proposal.uuid)


@login_required
@require_POST
def proposal_issue(request, proposal_uuid):
    proposal, access = get_proposal_for_user(request.user, proposal_uuid)
    access.require_edit()
    try:
        issue_proposal(proposal, user=request.user)
    except ProposalRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã ban hành đề nghị số {proposal.number}.")
    return redirect("awards:detail", proposal_uuid=proposal.uuid)


@login_required
def proposal_export(request, proposal_uuid, fmt):
    proposal, _access = get_proposal_for_user(request.user, proposal_uuid)
    items = list(active_items(proposal))
    report = proposal_report(proposal, items)
    name = f"Đề nghị khen thưởng {proposal.number.replace('/', '-')}"
    if fmt == "xlsx":
        changes = proposal_changes_report(
            proposal, proposal.items.select_related("unit__parent", "added_by", "removed_by")
        )
        return attachment(xlsx.render_xlsx(report, changes), xlsx.CONTENT_TYPE, f"{name}.xlsx")
    rules = [
        rule_from_model(rule, proposal.period)
        for rule in proposal.rules.select_related("level", "grade_band")
    ]
    content = docx.render_docx(proposal_document(proposal, items, rules), report)
    return attachment(content, docx.CONTENT_TYPE, f"Tờ trình {name[:1].lower()}{name[1:]}.docx")
