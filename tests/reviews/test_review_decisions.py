"""Decisions on one criterion: accept, verified inputs, N/A, undo, comments, accept-all."""

import pytest
from django.urls import reverse

from thidua.assessments import appraisal
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.scores import score_sheet
from thidua.periods.models import Period
from thidua.reviews import services
from thidua.reviews.access import ReviewForbidden
from thidua.reviews.models import ReviewComment

UNIT = ["2023", "31498"]


def entry(assessment, code) -> CriterionEntry:
    return assessment.entries.get(criterion_code=code)


def final(assessment, code):
    row = next(r for r in score_sheet(assessment).rows if r.criterion.code == code)
    return row.final_result


@pytest.mark.django_db
def test_accepting_needs_no_reason_and_keeps_the_score(cast, commune):
    before = final(commune, "X03").score
    services.accept_criterion(commune, cast["province"], "X03")
    assert entry(commune, "X03").accepted
    assert final(commune, "X03").score == before


@pytest.mark.django_db
def test_a_verified_value_that_changes_the_score_needs_a_reason(cast, commune):
    with pytest.raises(services.ReasonRequired):
        services.set_verified_inputs(commune, cast["province"], "X03", {"rate": "30"})
    assert entry(commune, "X03").verified_inputs is None

    services.set_verified_inputs(
        commune, cast["province"], "X03", {"rate": "30"}, "Hệ thống QLVB chỉ ghi nhận 30%"
    )
    saved = entry(commune, "X03")
    assert saved.verified_inputs == {"rate": "30"}
    assert saved.review_reason == "Hệ thống QLVB chỉ ghi nhận 30%"
    assert final(commune, "X03").score == 5  # 30/60 × 10
    record = saved.history.first()
    assert record.history_user == cast["province"]
    assert "Hệ thống QLVB" in record.history_change_reason


@pytest.mark.django_db
def test_it_shows_the_reason_error_on_the_field_when_htmx_posts_without_one(client, cast, commune):
    client.force_login(cast["district"])
    url = reverse("reviews:decide", args=[*UNIT, "X03", "verify"])
    response = client.post(url, {"v-X03-rate": "30", "v-X03-reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="err-v-X03-reason">X03: quyết định này làm thay đổi điểm; cần ghi lý do.' in html
    assert '<details class="act act-verify" open>' in html
    assert entry(commune, "X03").verified_inputs is None

    response = client.post(
        url, {"v-X03-rate": "30", "v-X03-reason": "Theo QLVB"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'id="final-score-X03">5,00' in html
    assert 'id="review-overview" aria-label' in html and 'hx-swap-oob="true"' in html


@pytest.mark.django_db
def test_accepting_after_a_verified_value_asks_for_the_reason_it_now_needs(client, cast, commune):
    services.set_verified_inputs(commune, cast["province"], "X03", {"rate": "30"}, "Theo QLVB")
    client.force_login(cast["province"])
    url = reverse("reviews:decide", args=[*UNIT, "X03", "accept"])

    html = client.post(url, {}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="err-a-X03-reason">X03: quyết định này làm thay đổi điểm' in html
    assert entry(commune, "X03").verified_inputs == {"rate": "30"}

    client.post(url, {"a-X03-reason": "Đơn vị bổ sung minh chứng"}, HTTP_HX_REQUEST="true")
    assert entry(commune, "X03").accepted


@pytest.mark.django_db
def test_an_invalid_verified_value_is_refused_on_its_field(client, cast, commune):
    client.force_login(cast["province"])
    url = reverse("reviews:decide", args=[*UNIT, "X03", "verify"])
    response = client.post(url, {"v-X03-rate": "130", "v-X03-reason": "x"}, HTTP_HX_REQUEST="true")
    assert "0–100" in response.content.decode().split('id="err-v-X03-rate">')[1][:200]
    assert entry(commune, "X03").verified_inputs is None


@pytest.mark.django_db
def test_not_applicable_needs_a_reason_and_undo_goes_back_to_the_self_score(cast, commune):
    with pytest.raises(services.ReasonRequired):
        services.mark_not_applicable(commune, cast["province"], "X12", " ")
    services.mark_not_applicable(commune, cast["province"], "X12", "Xã chưa có hộ dùng DVC")
    assert final(commune, "X12").status == "na"

    with pytest.raises(services.ReasonRequired):
        services.clear_decision(commune, cast["province"], "X12")
    services.clear_decision(commune, cast["province"], "X12", "Nhầm tiêu chí")
    assert not appraisal.is_reviewed(entry(commune, "X12"))
    assert final(commune, "X12").status == "scored"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["X01", "X03", "X14"])
def test_a_sector_appraiser_cannot_touch_criteria_not_assigned(client, cast, commune, code):
    for decide in (
        lambda: services.accept_criterion(commune, cast["police"], code),
        lambda: services.mark_not_applicable(commune, cast["police"], code, "x"),
        lambda: services.add_comment(commune, cast["police"], code, "x"),
    ):
        with pytest.raises(ReviewForbidden):
            decide()
    client.force_login(cast["police"])
    for action in ("accept", "verify", "na", "clear", "comment"):
        url = reverse("reviews:decide", args=[*UNIT, code, action])
        assert client.post(url, {}).status_code == 403
    assert not appraisal.is_reviewed(entry(commune, code))


@pytest.mark.django_db
def test_a_sector_appraiser_appraises_its_criteria_in_every_unit(cast, commune, agency):
    services.set_verified_inputs(
        commune, cast["police"], "X10", {"rate": "12"}, "Dữ liệu VNeID của Công an tỉnh"
    )
    services.accept_criterion(agency, cast["police"], "T12")
    assert entry(commune, "X10").verified_by == cast["police"]
    assert entry(agency, "T12").accepted

    result = services.accept_all_remaining(commune, cast["police"])
    assert result.accepted == ["X09"]  # X10 was decided; nothing else is theirs


@pytest.mark.django_db
def test_a_district_cannot_appraise_once_it_has_verified_but_the_province_can(cast, commune):
    services.accept_all_remaining(commune, cast["district"])
    services.verify_by_district(commune, cast["district"])
    with pytest.raises(services.ReviewRefused):
        services.accept_criterion(commune, cast["district"], "X03")
    services.set_verified_inputs(commune, cast["province"], "X03", {"rate": "60"}, "Theo QLVB")
    assert entry(commune, "X03").verified_inputs == {"rate": "60"}


@pytest.mark.django_db
def test_the_other_district_can_neither_see_nor_act_on_the_commune(client, cast, commune):
    from django.http import Http404

    with pytest.raises(Http404):
        services.accept_criterion(commune, cast["other_district"], "X03")
    with pytest.raises(Http404):
        services.accept_all_remaining(commune, cast["other_district"])
    client.force_login(cast["other_district"])
    queue = client.get(reverse("reviews:queue", args=["2023"])).content.decode()
    assert "Phường 5" not in queue
    assert client.get(reverse("reviews:unit", args=UNIT)).status_code == 404


@pytest.mark.django_db
def test_nothing_is_appraised_before_submission_or_after_publication(cast, commune, period):
    Assessment.objects.filter(pk=commune.pk).update(state=Assessment.State.DRAFT)
    with pytest.raises(services.ReviewRefused):
        services.accept_criterion(commune, cast["province"], "X03")
    Assessment.objects.filter(pk=commune.pk).update(state=Assessment.State.SUBMITTED)
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)
    with pytest.raises(services.ReviewRefused, match="giải trình"):
        services.accept_criterion(commune, cast["province"], "X03")


@pytest.mark.django_db
def test_accept_all_leaves_criteria_needing_na_or_inputs_and_lists_them(cast, commune):
    # Stored as an import or a library change could leave them: X11 with a zero
    # denominator (needs an N/A decision), X03 without inputs.
    entries = CriterionEntry.objects.filter(assessment=commune)
    entries.filter(criterion_code="X11").update(self_inputs={"numerator": 0, "denominator": 0})
    entries.filter(criterion_code="X03").update(self_inputs=None)
    services.set_verified_inputs(commune, cast["district"], "X05", {"rate": "90"}, "Theo QLVB")

    result = services.accept_all_remaining(commune, cast["district"])

    assert result.left == [("X03", "đơn vị chưa có số liệu"), ("X11", "cần quyết định N/A")]
    assert len(result.accepted) == 11 and "X05" not in result.accepted
    assert entry(commune, "X05").verified_inputs == {"rate": "90"}
    with pytest.raises(services.ReviewRefused, match=r"X03.*X11"):
        services.finalize(commune, cast["province"])


@pytest.mark.django_db
def test_accept_all_from_the_page_reports_what_was_left(client, cast, commune):
    client.force_login(cast["province"])
    response = client.post(reverse("reviews:accept_remaining", args=UNIT), follow=True)
    assert "Đã chấp nhận 14 tiêu chí" in response.content.decode()
    assert commune.entries.filter(accepted=True).count() == 14


@pytest.mark.django_db
def test_comments_are_added_and_resolved_and_stay_on_record(client, cast, commune):
    client.force_login(cast["district"])
    client.post(
        reverse("reviews:decide", args=[*UNIT, "X05", "comment"]),
        {"cm-X05-text": "Danh sách tài khoản thiếu 2 người"},
    )
    comment = ReviewComment.objects.get()
    assert (comment.criterion_code, comment.author) == ("X05", cast["district"])

    response = client.post(
        reverse("reviews:resolve", args=[*UNIT, comment.uuid]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.resolved_by == cast["district"]
    with pytest.raises(services.ReviewRefused):
        services.resolve_comment(comment, cast["province"])
    assert [r.history_change_reason for r in comment.history.order_by("history_id")] == [
        "comment",
        "resolve",
    ]
