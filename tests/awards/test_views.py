"""Award views against every role of the cast, the htmx preview, and the two exports."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.exports.docx_reading import (
    assert_decree_30_layout,
    open_docx,
    recipients_cell,
    run_with,
    signature_cell,
)
from thidua.awards.models import AwardProposal
from thidua.awards.rules import Rule
from thidua.awards.services import add_unit, remove_unit, save_proposal
from thidua.units.models import Level, Unit

TZ = datetime.timezone(datetime.timedelta(hours=7))

# GET of the list, a proposal and its exports.
READ = {
    "awards": 200,
    "province": 200,
    "admin": 200,
    "viewer": 404,
    "editor": 404,
    "head": 404,
    "other_editor": 404,
    "other_head": 404,
    "district": 404,
    "other_district": 404,
    "outsider": 404,
}
# New proposals and every change: the awards officer only; other readers 403.
WRITE = {**READ, "province": 403, "admin": 403}


@pytest.fixture
def proposal(filled, period, cast, time_machine):
    time_machine.move_to(datetime.datetime(2024, 2, 1, 9, 0, tzinfo=TZ))
    proposal = save_proposal(
        period=period,
        rules=[
            Rule(Level.objects.get(code="xa"), "top_n", value=1),
            Rule(Level.objects.get(code="tinh"), "min_total", value=70),
        ],
        user=cast["awards"],
        award_form="Bằng khen của Chủ tịch UBND tỉnh",
        note="Đề nghị khen thưởng đợt 1.",
    )
    officer = cast["awards"]
    add_unit(proposal, Unit.objects.get(code="31504"), reason="Mô hình tiêu biểu", user=officer)
    remove_unit(
        proposal, Unit.objects.get(code="31507"), reason="Chưa nộp minh chứng", user=officer
    )
    return proposal


def detail_url(proposal, name="detail", *extra):
    return reverse(f"awards:{name}", args=[proposal.uuid, *extra])


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(READ))
def test_the_list_follows_the_scope(client, cast, who):
    client.force_login(cast[who])
    assert client.get(reverse("awards:list")).status_code == READ[who]


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(READ))
def test_a_proposal_and_its_exports_follow_the_scope(client, proposal, cast, who):
    client.force_login(cast[who])
    for name in ("detail", "xlsx", "docx"):
        assert client.get(detail_url(proposal, name)).status_code == READ[who], name


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(WRITE))
def test_only_the_awards_officer_makes_proposals(client, cast, who):
    client.force_login(cast[who])
    assert client.get(reverse("awards:new", args=["2023"])).status_code == WRITE[who]
    response = client.post(
        reverse("awards:new", args=["2023"]), {"xa-kind": "top_n", "xa-value": "1"}
    )
    expected = 302 if who == "awards" else WRITE[who]
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(WRITE))
def test_only_the_awards_officer_changes_a_proposal(client, proposal, cast, who):
    client.force_login(cast[who])
    expected = 302 if who == "awards" else WRITE[who]
    add = client.post(detail_url(proposal, "add"), {"unit": "31510", "reason": "Có sáng kiến"})
    assert add.status_code == expected
    remove = client.post(detail_url(proposal, "remove", "31498"), {"reason": "Thử"})
    assert remove.status_code == expected
    assert client.post(detail_url(proposal, "issue")).status_code == expected


@pytest.mark.django_db
def test_anonymous_callers_are_sent_to_login(client, proposal):
    for url in (reverse("awards:list"), detail_url(proposal), detail_url(proposal, "docx")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_new_page_previews_the_top_three_of_every_level(client, cast, filled):
    client.force_login(cast["awards"])
    response = client.get(reverse("awards:new", args=["2023"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phường 5 (Thành phố Sóc Trăng)" in page and "Phường 6 (Thành phố" in page
    assert "Phường 8" not in page  # ranked 4th: the three above share rank 1
    assert reverse("exports:ranking_docx", args=["2023", "xa"]) in page


@pytest.mark.django_db
def test_htmx_gets_only_the_preview(client, cast, filled):
    client.force_login(cast["awards"])
    response = client.get(
        reverse("awards:new", args=["2023"]),
        {"xa-kind": "grade", "xa-grade_band": filled["Khá"].pk, "tinh-kind": "", "huyen-kind": ""},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'data-unit="31504"' in page and 'data-unit="31498"' not in page


@pytest.mark.django_db
def test_an_invalid_rule_is_shown_and_nothing_is_saved(client, cast, filled):
    client.force_login(cast["awards"])
    response = client.post(
        reverse("awards:new", args=["2023"]), {"xa-kind": "top_n", "xa-value": "0"}
    )
    assert response.status_code == 400
    assert "Cấp xã: số đơn vị phải là số nguyên từ 1 trở lên." in response.content.decode()
    assert not AwardProposal.objects.exists()


@pytest.mark.django_db
def test_saving_numbers_the_proposal_and_opens_it(client, cast, filled, time_machine):
    time_machine.move_to(datetime.datetime(2024, 3, 1, 9, 0, tzinfo=TZ))
    client.force_login(cast["awards"])
    response = client.post(
        reverse("awards:new", args=["2023"]),
        {"xa-kind": "min_total", "xa-value": "83,07", "award_form": "Giấy khen"},
    )
    proposal = AwardProposal.objects.get()
    assert response["Location"] == detail_url(proposal)
    assert (proposal.number, proposal.award_form) == ("01/2024", "Giấy khen")
    assert sorted(proposal.items.values_list("unit__code", flat=True)) == [
        "31498",
        "31501",
        "31507",
    ]
    page = client.get(detail_url(proposal)).content.decode()
    assert "01/2024" in page and "đơn vị có tổng điểm từ 83,07 trở lên" in page


@pytest.mark.django_db
def test_adding_and_removing_need_a_reason(client, cast, proposal):
    client.force_login(cast["awards"])
    response = client.post(detail_url(proposal, "add"), {"unit": "31510", "reason": " "})
    assert response.status_code == 400
    response = client.post(detail_url(proposal, "remove", "31498"), {"reason": ""}, follow=True)
    assert "Cần ghi lý do" in response.content.decode()
    assert proposal.items.filter(unit__code="31498", removed=False).exists()
    assert not proposal.items.filter(unit__code="31510").exists()


@pytest.mark.django_db
def test_the_detail_page_shows_changes_by_hand(client, cast, proposal):
    client.force_login(cast["province"])
    page = client.get(detail_url(proposal)).content.decode()
    assert "Mô hình tiêu biểu" in page and "Chưa nộp minh chứng" in page
    assert 'action="' + detail_url(proposal, "add") not in page  # readers cannot change it


@pytest.mark.django_db
def test_the_excel_export_lists_the_units_and_the_changes(client, cast, proposal):
    client.force_login(cast["province"])
    response = client.get(detail_url(proposal, "xlsx"))
    assert "de-nghi-khen-thuong-01-2024.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, changes = workbook.worksheets
    assert sheet.title == "Đề nghị 01-2024" and changes.title == "Điều chỉnh"
    assert sheet["A1"].value == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values.index(["STT", "Mã", "Tên tập thể", "Hạng", "Tổng điểm", "Xếp loại", "Ghi chú"])
    assert sheet.freeze_panes == f"A{header + 2}"
    body = values[header + 1 :]
    assert body[0][0] == "I. Đơn vị cấp tỉnh"
    names = [row[2] for row in body if isinstance(row[0], int)]
    assert names == [
        "Sở Nội vụ",
        "Sở Thông tin và Truyền thông",
        "Phường 5 (Thành phố Sóc Trăng)",
        "Phường 7 (Thành phố Sóc Trăng)",
        "Phường 8 (Thành phố Sóc Trăng)",
    ]
    ward8 = next(row for row in body if row[1] == "31504")
    assert ward8[4] == pytest.approx(71.842) and ward8[6] == "Bổ sung: Mô hình tiêu biểu"
    change_rows = [[cell.value for cell in row] for row in changes.iter_rows(min_row=4)]
    assert change_rows[1][3:5] == ["Bổ sung", "Mô hình tiêu biểu"]
    assert change_rows[2][3:5] == ["Loại khỏi danh sách", "Chưa nộp minh chứng"]


@pytest.mark.django_db
def test_the_word_export_is_a_proposal_ready_to_sign(client, cast, proposal):
    client.force_login(cast["awards"])
    response = client.get(detail_url(proposal, "docx"))
    assert "filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh" in response["Content-Disposition"]
    document = open_docx(response.content)
    assert_decree_30_layout(document)
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số: 01/TTr-SNV"
    assert header.cell(1, 1).text == "Sóc Trăng, ngày …… tháng …… năm 2024"
    assert run_with(document, "TỜ TRÌNH").bold
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert (
        "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho các tập thể có thành tích "
        "trong thi đua Chuyển đổi số năm 2023"
    ) in texts
    assert "Kính gửi: Ủy ban nhân dân tỉnh Sóc Trăng." in texts
    assert "- Cấp xã: 1 đơn vị xếp hạng cao nhất (kể cả đơn vị đồng hạng);" in texts
    assert "Đề nghị khen thưởng đợt 1." in texts

    table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Tên tập thể", "Hạng", "Tổng điểm", "Xếp loại", "Ghi chú"]
    assert rows[1][0] == "I. Đơn vị cấp tỉnh"
    ward5 = next(row for row in rows if row[1] == "Phường 5 (Thành phố Sóc Trăng)")
    assert ward5[2:5] == ["1", "83,07", "Tốt"]
    ward8 = next(row for row in rows if row[1] == "Phường 8 (Thành phố Sóc Trăng)")
    assert ward8[5] == "Bổ sung: Mô hình tiêu biểu"
    assert not any(row[1].startswith("Phường 6") for row in rows)  # removed

    signature = signature_cell(document)
    assert signature.paragraphs[0].text == "GIÁM ĐỐC"
    assert "Nơi nhận:" in recipients_cell(document).text


@pytest.mark.django_db
def test_an_issued_proposal_is_dated_and_offers_no_changes(client, cast, proposal, time_machine):
    time_machine.move_to(datetime.datetime(2024, 2, 5, 10, 0, tzinfo=TZ))
    client.force_login(cast["awards"])  # sessions last 10 hours
    client.post(detail_url(proposal, "issue"))
    page = client.get(detail_url(proposal)).content.decode()
    assert 'action="' + detail_url(proposal, "add") not in page
    response = client.get(detail_url(proposal, "docx"))
    assert response.status_code == 200, response.content[:300]
    document = open_docx(response.content)
    assert document.tables[0].cell(1, 1).text == "Sóc Trăng, ngày 05 tháng 02 năm 2024"
