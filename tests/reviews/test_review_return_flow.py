"""Return, fix, resubmit, verify, finalize: what the unit sees and who is mailed."""

import pytest
import time_machine
from django.urls import reverse

from thidua.assessments.models import Assessment
from thidua.assessments.services import save_self_inputs
from thidua.assessments.submission import submit_assessment
from thidua.assessments.timeline import assessment_timeline
from thidua.reviews import services

from .conftest import ON_TIME

UNIT = ["2023", "31498"]


def give_emails(cast, *names):
    for name in names:
        cast[name].email = f"{name}@soctrang.gov.vn"
        cast[name].save()


@pytest.mark.django_db
def test_the_unit_sees_the_comments_after_a_return_and_can_edit_again(client, cast, commune):
    client.force_login(cast["province"])
    response = client.post(
        reverse("reviews:return", args=UNIT),
        {"return-c_X03": "Tỷ lệ chưa khớp hệ thống QLVB", "return-general": "Rà soát lại X03"},
    )
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.state == Assessment.State.DRAFT

    client.force_login(cast["editor"])
    page = client.get(reverse("assessments:detail", args=UNIT)).content.decode()
    x03 = page.split('id="crit-X03"')[1].split("</article>")[0]
    assert "Tỷ lệ chưa khớp hệ thống QLVB" in x03
    assert "Rà soát lại X03" in page.split('id="review-summary"')[1]
    assert "Tỷ lệ chưa khớp" not in page.split('id="crit-X04"')[1].split("</article>")[0]
    # The draft is editable again (its own view answers 200, not 403).
    save = reverse("assessments:save", args=[*UNIT, "X03"])
    assert client.post(save, {"X03-rate": "50"}).status_code == 302
    assert commune.entries.get(criterion_code="X03").self_inputs == {"rate": "50"}


@pytest.mark.django_db
def test_a_return_withdraws_acceptances_but_keeps_verified_values(cast, commune):
    services.accept_all_remaining(commune, cast["province"])
    services.set_verified_inputs(commune, cast["province"], "X10", {"rate": "5"}, "VNeID")

    services.return_assessment(commune, cast["province"], {"X03": "Sửa lại"})

    assert not commune.entries.filter(accepted=True).exists()
    assert commune.entries.get(criterion_code="X10").verified_inputs == {"rate": "5"}


@pytest.mark.django_db(transaction=True)
def test_the_whole_round_trip_mails_the_unit_and_the_province(cast, commune, mailoutbox):
    give_emails(cast, "editor", "head", "district", "province")
    mailoutbox.clear()

    services.return_assessment(commune, cast["district"], {"X03": "Thiếu văn bản QLVB"})
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["editor@soctrang.gov.vn", "head@soctrang.gov.vn"]
    assert "trả lại" in mailoutbox[0].subject
    assert "X03: Thiếu văn bản QLVB" in mailoutbox[0].body

    save_self_inputs(
        assessment=commune, criterion_code="X03", inputs={"rate": "50"}, user=cast["editor"]
    )
    with time_machine.travel(ON_TIME, tick=False):
        submit_assessment(assessment=commune, user=cast["head"])
    assert len(mailoutbox) == 2  # the reviewers learn of the resubmission

    services.accept_all_remaining(commune, cast["district"])
    services.verify_by_district(commune, cast["district"])
    assert mailoutbox[2].to == ["province@soctrang.gov.vn"]

    services.set_verified_inputs(commune, cast["province"], "X03", {"rate": "30"}, "QLVB: 30%")
    services.finalize(commune, cast["province"])
    assert sorted(mailoutbox[3].to) == ["editor@soctrang.gov.vn", "head@soctrang.gov.vn"]
    assert "Kết quả thẩm định" in mailoutbox[3].subject

    services.reopen(commune, cast["province"], "Cập nhật dữ liệu VNeID")
    assert "Cập nhật dữ liệu VNeID" in mailoutbox[4].body
    assert len(mailoutbox) == 5


@pytest.mark.django_db(transaction=True)
def test_a_refused_transition_mails_nobody(cast, commune, mailoutbox):
    give_emails(cast, "editor", "head", "province")
    mailoutbox.clear()
    with pytest.raises(services.ReviewRefused):
        services.finalize(commune, cast["province"])
    with pytest.raises(services.ReviewRefused):
        services.return_assessment(commune, cast["province"], {})
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_unit_sees_the_verified_score_and_the_reason_once_finalized(client, cast, commune):
    services.set_verified_inputs(
        commune, cast["province"], "X03", {"rate": "30"}, "Hệ thống QLVB ghi nhận 30%"
    )
    services.accept_all_remaining(commune, cast["province"])
    services.finalize(commune, cast["province"])

    client.force_login(cast["editor"])
    page = client.get(reverse("assessments:detail", args=UNIT)).content.decode()
    assert 'id="verified-score-X03">5,00' in page
    assert "Hệ thống QLVB ghi nhận 30%" in page.split('id="review-reason-X03"')[1][:200]
    assert 'id="review-summary"' in page
    assert "Open the appraisal page" not in page and "reviews/2023/units" not in page


@pytest.mark.django_db
def test_every_review_change_is_in_the_timeline(cast, commune):
    services.add_comment(commune, cast["district"], "X05", "Thiếu danh sách tài khoản")
    services.set_verified_inputs(commune, cast["district"], "X03", {"rate": "30"}, "QLVB")
    services.return_assessment(commune, cast["district"])

    events = assessment_timeline(commune)
    subjects = [(e.subject, e.reason) for e in events]
    assert ("Ý kiến thẩm định X05: Thiếu danh sách tài khoản", "comment") in subjects
    assert ("Bản đánh giá", "return") in subjects
    assert any(s == "Tiêu chí X03" and r == "verify: QLVB" for s, r in subjects)
    assert next(e for e in events if e.reason == "return").who == "District"


@pytest.mark.django_db
def test_reviewers_find_the_appraisal_page_from_the_units_page(client, cast, commune):
    client.force_login(cast["district"])
    page = client.get(reverse("assessments:detail", args=UNIT)).content.decode()
    assert reverse("reviews:unit", args=UNIT) in page
