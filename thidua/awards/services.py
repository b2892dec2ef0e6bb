"""Award proposals: preview, save (numbered), add and remove units by hand, issue.

Each change runs in one transaction and leaves a history record with its user and reason
(django-simple-history). Rights are the views' business (`thidua.awards.access`); the
services check the proposal's state and the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from thidua.awards.models import AwardProposal, ProposalCounter, ProposalItem, ProposalRule
from thidua.awards.rules import Rule, select
from thidua.exports.rows import to_decimal
from thidua.periods.models import Period
from thidua.results.ranking import RankingRow, build_ranking
from thidua.units.models import Level, Unit


class ProposalRefused(Exception):
    """The change is not allowed; the message says why, in Vietnamese."""


@dataclass
class Candidate:
    """A unit a rule names, with what the ranking says of it now."""

    row: RankingRow
    rule: Rule

    @property
    def unit(self) -> Unit:
        return self.row.unit

    @property
    def level(self) -> Level:
        return self.rule.level

    @property
    def rank(self) -> int:
        return self.row.rank

    @property
    def total(self) -> Fraction:
        return self.row.total

    @property
    def grade_name(self) -> str:
        return self.row.grade.name if self.row.grade else ""


def build_proposal_preview(period: Period, rules: list[Rule]) -> list[Candidate]:
    """The units the rules name, level by level (in level order), each in ranking order."""
    candidates = []
    for rule in sorted(rules, key=lambda r: (r.level.order, r.level.code)):
        ranking = build_ranking(period, rule.level)
        candidates += [Candidate(row, rule) for row in select(rule, ranking.rows)]
    return candidates


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ProposalRefused("Cần ghi lý do.")
    return reason


def _next_sequence(year: int) -> int:
    """The next number of the year. The counter row is locked until the transaction ends,
    so two officers saving at once get 01 and 02; the unique (year, sequence) constraint
    is the backstop."""
    ProposalCounter.objects.get_or_create(year=year)
    counter = ProposalCounter.objects.select_for_update().get(year=year)
    used = AwardProposal.objects.filter(year=year).aggregate(last=Max("sequence"))["last"] or 0
    counter.last = max(counter.last, used) + 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def save_proposal(
    *, period: Period, rules: list[Rule], user, award_form: str = "", note: str = ""
) -> AwardProposal:
    """Save a numbered draft proposal naming the units the rules select now."""
    if not rules:
        raise ProposalRefused("Chọn quy tắc cho ít nhất một cấp.")
    if len({rule.level.pk for rule in rules}) != len(rules):
        raise ProposalRefused("Mỗi cấp chỉ có một quy tắc.")
    candidates = build_proposal_preview(period, rules)
    year = timezone.localdate().year
    proposal = AwardProposal(
        period=period,
        year=year,
        sequence=_next_sequence(year),
        award_form=award_form.strip(),
        note=note.strip(),
        created_by=user,
    )
    proposal._history_user = user
    proposal._change_reason = "Lập đề nghị"
    proposal.save()
    for rule in rules:
        ProposalRule.objects.create(
            proposal=proposal,
            level=rule.level,
            kind=rule.kind,
            value=rule.stored_value,
            grade_band=rule.band,
            grade_name=rule.band.name if rule.band else "",
        )
    for candidate in candidates:
        item = ProposalItem(
            proposal=proposal,
            unit=candidate.unit,
            level=candidate.level,
            rank=candidate.rank,
            total=to_decimal(candidate.total),
            grade_name=candidate.grade_name,
            source=ProposalItem.Source.RULE,
            added_by=user,
        )
        item._history_user = user
        item._change_reason = f"Theo quy tắc: {candidate.rule.describe()}"
        item.save()
    return proposal


def _lock_draft(proposal: AwardProposal) -> AwardProposal:
    locked = AwardProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_draft:
        raise ProposalRefused(f"Đề nghị số {locked.number} đã ban hành, không sửa được.")
    return locked


def _ranking_row(period: Period, unit: Unit) -> RankingRow:
    ranking = build_ranking(period, unit.level)
    for row in ranking.rows:
        if row.unit.pk == unit.pk:
            return row
    raise ProposalRefused(f"{unit.name} không có trong bảng xếp hạng (đơn vị không hoạt động).")


@transaction.atomic
def add_unit(proposal: AwardProposal, unit: Unit, *, reason: str, user) -> ProposalItem:
    """Name a unit by hand (or bring back a removed one), with its rank and total now."""
    reason = _require_reason(reason)
    proposal = _lock_draft(proposal)
    row = _ranking_row(proposal.period, unit)
    item = ProposalItem.objects.filter(proposal=proposal, unit=unit).first()
    if item is not None and not item.removed:
        raise ProposalRefused(f"{unit.name} đã có trong danh sách đề nghị.")
    if item is None:
        item = ProposalItem(proposal=proposal, unit=unit, added_by=user)
    item.level = unit.level
    item.rank = row.rank
    item.total = to_decimal(row.total)
    item.grade_name = row.grade.name if row.grade else ""
    item.source = ProposalItem.Source.MANUAL
    item.manual_reason = reason
    item.added_by = user
    item.added_at = timezone.now()
    item.removed, item.removed_reason, item.removed_by, item.removed_at = False, "", None, None
    item._history_user = user
    item._change_reason = f"Bổ sung: {reason}"
    item.save()
    return item


@transaction.atomic
def remove_unit(proposal: AwardProposal, unit: Unit, *, reason: str, user) -> ProposalItem:
    """Take a unit off the list (kept, marked removed with who, when and why)."""
    reason = _require_reason(reason)
    proposal = _lock_draft(proposal)
    item = ProposalItem.objects.filter(proposal=proposal, unit=unit, removed=False).first()
    if item is None:
        raise ProposalRefused(f"{unit.name} không có trong danh sách đề nghị.")
    item.removed = True
    item.removed_reason = reason
    item.removed_by = user
    item.removed_at = timezone.now()
    item._history_user = user
    item._change_reason = f"Loại khỏi danh sách: {reason}"
    item.save()
    return item


@transaction.atomic
def issue_proposal(proposal: AwardProposal, *, user) -> AwardProposal:
    """Freeze the proposal: no unit is added or removed after this."""
    proposal = _lock_draft(proposal)
    if not proposal.items.filter(removed=False).exists():
        raise ProposalRefused("Danh sách đề nghị chưa có đơn vị nào.")
    proposal.status = AwardProposal.Status.ISSUED
    proposal.issued_by = user
    proposal.issued_at = timezone.now()
    proposal._history_user = user
    proposal._change_reason = "Ban hành"
    proposal.save()
    return proposal


def active_items(proposal: AwardProposal):
    return (
        proposal.items.filter(removed=False)
        .select_related("unit__parent", "unit__level", "level")
        .order_by("level__order", "rank", "unit__code")
    )
