"""Award proposal services: rules over the real ranking, numbering, changes by hand."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction

from thidua.awards.models import AwardProposal, ProposalItem
from thidua.awards.rules import Rule
from thidua.awards.services import (
    ProposalRefused,
    add_unit,
    build_proposal_preview,
    issue_proposal,
    remove_unit,
    save_proposal,
)
from thidua.results.ranking import build_ranking
from thidua.units.models import Level, Unit

TZ = datetime.timezone(datetime.timedelta(hours=7))


def level(code):
    return Level.objects.get(code=code)


def codes(items):
    return [item.unit.code for item in items]


def active_codes(proposal):
    return sorted(proposal.items.filter(removed=False).values_list("unit__code", flat=True))


@pytest.fixture
def officer(cast):
    return cast["awards"]


@pytest.fixture
def top_communes(filled, period, officer, time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 10, 9, 0, tzinfo=TZ))
    return save_proposal(
        period=period,
        rules=[Rule(level("xa"), "top_n", value=1)],
        user=officer,
        award_form="Bằng khen của Chủ tịch UBND tỉnh",
    )


@pytest.mark.django_db
def test_top_n_takes_every_unit_tied_at_the_cut_off(filled, period):
    preview = build_proposal_preview(period, [Rule(level("xa"), "top_n", value=1)])
    assert codes(preview) == ["31498", "31501", "31507"]
    assert {candidate.rank for candidate in preview} == {1}
    preview = build_proposal_preview(period, [Rule(level("xa"), "top_n", value=3)])
    assert codes(preview) == ["31498", "31501", "31507"]  # nobody is ranked 2 or 3
    preview = build_proposal_preview(period, [Rule(level("xa"), "top_n", value=4)])
    assert codes(preview) == ["31498", "31501", "31507", "31504"]


@pytest.mark.django_db
def test_a_minimum_total_includes_its_boundary(filled, period):
    ranking = build_ranking(period, level("xa"))
    ward8 = next(row for row in ranking.rows if row.unit.code == "31504").total
    at = build_proposal_preview(period, [Rule(level("xa"), "min_total", value=ward8)])
    assert codes(at) == ["31498", "31501", "31507", "31504"]
    above = Rule(level("xa"), "min_total", value=ward8 + Fraction(1, 10**6))
    assert codes(build_proposal_preview(period, [above])) == ["31498", "31501", "31507"]


@pytest.mark.django_db
def test_a_grade_band_takes_that_band_only(filled, period):
    fair = build_proposal_preview(period, [Rule(level("xa"), "grade", band=filled["Khá"])])
    assert codes(fair) == ["31504"]
    good = build_proposal_preview(period, [Rule(level("xa"), "grade", band=filled["Tốt"])])
    assert codes(good) == ["31498", "31501", "31507"]
    assert (
        build_proposal_preview(period, [Rule(level("xa"), "grade", band=filled["Xuất sắc"])]) == []
    )


@pytest.mark.django_db
def test_rules_of_several_levels_come_level_by_level(filled, period):
    rules = [Rule(level("xa"), "top_n", value=1), Rule(level("tinh"), "top_n", value=1)]
    preview = build_proposal_preview(period, rules)
    assert codes(preview) == ["SO-NV", "31498", "31501", "31507"]
    assert [candidate.level.code for candidate in preview] == ["tinh", "xa", "xa", "xa"]


@pytest.mark.django_db
def test_a_saved_proposal_keeps_ranks_and_totals_as_they_were(top_communes, officer):
    proposal = top_communes
    assert proposal.number == "01/2024"
    assert proposal.document_number == "01/TTr-SNV"
    assert proposal.is_draft and proposal.created_by == officer
    items = list(proposal.items.order_by("unit__code"))
    assert codes(items) == ["31498", "31501", "31507"]
    assert all(item.source == ProposalItem.Source.RULE and item.rank == 1 for item in items)
    assert items[0].total == Decimal("83.073333")  # 6 places, not the display's 2
    assert items[0].grade_name == "Tốt"
    rule = proposal.rules.get()
    assert (rule.kind, rule.value) == ("top_n", Decimal("1.000000"))
    record = items[0].history.get()
    assert record.history_user == officer
    assert record.history_change_reason.startswith("Theo quy tắc: 1 đơn vị xếp hạng cao nhất")


@pytest.mark.django_db
def test_numbers_run_per_year(top_communes, period, officer, time_machine):
    rules = [Rule(level("tinh"), "top_n", value=1)]
    second = save_proposal(period=period, rules=rules, user=officer)
    assert second.number == "02/2024"
    time_machine.move_to(datetime.datetime(2025, 1, 2, 8, 0, tzinfo=TZ))
    assert save_proposal(period=period, rules=rules, user=officer).number == "01/2025"
    assert save_proposal(period=period, rules=rules, user=officer).number == "02/2025"
    numbers = set(AwardProposal.objects.values_list("year", "sequence"))
    assert numbers == {(2024, 1), (2024, 2), (2025, 1), (2025, 2)}


@pytest.mark.django_db
def test_a_number_is_never_given_twice(top_communes, officer):
    duplicate = AwardProposal(period=top_communes.period, year=2024, sequence=1, created_by=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_numbering_continues_after_the_highest_number_even_without_a_counter(
    top_communes, period, officer
):
    from thidua.awards.models import ProposalCounter

    ProposalCounter.objects.all().delete()
    rules = [Rule(level("tinh"), "top_n", value=1)]
    assert save_proposal(period=period, rules=rules, user=officer).number == "02/2024"


@pytest.mark.django_db
def test_a_proposal_needs_a_rule(filled, period, officer):
    with pytest.raises(ProposalRefused, match="ít nhất một cấp"):
        save_proposal(period=period, rules=[], user=officer)
    assert not AwardProposal.objects.exists()


@pytest.mark.django_db
def test_units_are_added_and_removed_by_hand_with_a_reason(top_communes, officer):
    proposal = top_communes
    ward8 = Unit.objects.get(code="31504")
    with pytest.raises(ProposalRefused, match="lý do"):
        add_unit(proposal, ward8, reason="  ", user=officer)
    item = add_unit(proposal, ward8, reason="Mô hình chuyển đổi số tiêu biểu", user=officer)
    assert item.is_manual and item.manual_reason == "Mô hình chuyển đổi số tiêu biểu"
    assert (item.rank, item.total, item.added_by) == (4, Decimal("71.842000"), officer)
    with pytest.raises(ProposalRefused, match="đã có"):
        add_unit(proposal, ward8, reason="lần nữa", user=officer)

    ward7 = Unit.objects.get(code="31501")
    with pytest.raises(ProposalRefused, match="lý do"):
        remove_unit(proposal, ward7, reason="", user=officer)
    removed = remove_unit(proposal, ward7, reason="Đang bị xem xét kỷ luật", user=officer)
    assert removed.removed and removed.removed_by == officer and removed.removed_at
    assert removed.removed_reason == "Đang bị xem xét kỷ luật"
    assert active_codes(proposal) == ["31498", "31504", "31507"]
    with pytest.raises(ProposalRefused, match="không có trong danh sách"):
        remove_unit(proposal, ward7, reason="lần nữa", user=officer)

    reasons = [record.history_change_reason for record in removed.history.order_by("history_id")]
    assert reasons[-1] == "Loại khỏi danh sách: Đang bị xem xét kỷ luật"


@pytest.mark.django_db
def test_a_removed_unit_comes_back_by_hand(top_communes, officer):
    ward7 = Unit.objects.get(code="31501")
    remove_unit(top_communes, ward7, reason="Nhầm", user=officer)
    item = add_unit(top_communes, ward7, reason="Đã xác minh lại", user=officer)
    assert not item.removed and item.removed_reason == "" and item.is_manual
    assert active_codes(top_communes) == ["31498", "31501", "31507"]
    assert item.history.count() == 3  # saved by the rule, removed, added back


@pytest.mark.django_db
def test_an_issued_proposal_is_frozen(top_communes, officer):
    issued = issue_proposal(top_communes, user=officer)
    assert issued.status == AwardProposal.Status.ISSUED
    assert issued.issued_by == officer and issued.issued_at
    ward8 = Unit.objects.get(code="31504")
    with pytest.raises(ProposalRefused, match="đã ban hành"):
        add_unit(top_communes, ward8, reason="Muộn", user=officer)
    with pytest.raises(ProposalRefused, match="đã ban hành"):
        remove_unit(top_communes, Unit.objects.get(code="31498"), reason="Muộn", user=officer)
    with pytest.raises(ProposalRefused, match="đã ban hành"):
        issue_proposal(top_communes, user=officer)


@pytest.mark.django_db
def test_an_empty_proposal_is_not_issued(top_communes, officer):
    for code in ("31498", "31501", "31507"):
        remove_unit(top_communes, Unit.objects.get(code=code), reason="Thử", user=officer)
    with pytest.raises(ProposalRefused, match="chưa có đơn vị"):
        issue_proposal(top_communes, user=officer)


@pytest.mark.django_db
def test_an_inactive_unit_cannot_be_added(top_communes, officer):
    ward = Unit.objects.get(code="31510")
    Unit.objects.filter(pk=ward.pk).update(is_active=False)
    ward.refresh_from_db()
    with pytest.raises(ProposalRefused, match="không hoạt động"):
        add_unit(top_communes, ward, reason="Thử", user=officer)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_at_once_get_two_numbers(units, period):
    """The counter row is locked (select_for_update): the second save waits, then takes 02."""
    import threading

    from django.db import connection

    from tests.assessments.cast import make_user
    from thidua.accounts.models import Role

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    officer = make_user("awards", Role.AWARDS_OFFICER)
    rules = [Rule(level("tinh"), "top_n", value=1)]
    barrier, numbers, errors = threading.Barrier(2), [], []

    def save():
        try:
            barrier.wait()
            numbers.append(save_proposal(period=period, rules=rules, user=officer).sequence)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [1, 2]
