"""Export downloads against every role of the cast: the scope of the page they come from."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from thidua.periods.models import Period

# Score sheet of commune 31498 (district 941): as the score sheet page.
SHEET = {
    "editor": 200,
    "head": 200,
    "other_editor": 404,
    "other_head": 404,
    "district": 200,
    "other_district": 404,
    "province": 200,
    "awards": 200,
    "viewer": 200,
    "admin": 200,
    "outsider": 404,
}
# Ranking of the communes while the period is open: as the ranking page.
RANKING = {
    "editor": 403,  # unit roles: only once results are published
    "head": 403,
    "other_editor": 403,
    "other_head": 403,
    "district": 200,  # their own communes
    "other_district": 200,
    "province": 200,
    "awards": 200,
    "viewer": 200,
    "admin": 200,
    "outsider": 403,
}


def ranking_url(fmt, level="xa"):
    return reverse(f"exports:ranking_{fmt}", args=["2023", level])


def sheet_url(fmt, unit="31498"):
    return reverse(f"exports:sheet_{fmt}", args=["2023", unit])


def codes_in(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return {row[2].value for row in sheet.iter_rows(min_row=5) if row[2].value}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
@pytest.mark.parametrize("who", sorted(SHEET))
def test_score_sheet_exports_follow_the_score_sheet_scope(client, cast, who, fmt):
    client.force_login(cast[who])
    assert client.get(sheet_url(fmt)).status_code == SHEET[who]


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(RANKING))
def test_ranking_exports_follow_the_ranking_scope(client, cast, who):
    client.force_login(cast[who])
    assert client.get(ranking_url("xlsx")).status_code == RANKING[who]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("who", ["district", "editor", "viewer", "outsider"])
def test_every_ranking_format_has_the_same_scope(client, cast, who, fmt):
    client.force_login(cast[who])
    assert client.get(ranking_url(fmt)).status_code == RANKING[who]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_url", "fmt"),
    [(ranking_url, "xlsx"), (ranking_url, "docx"), (sheet_url, "xlsx"), (sheet_url, "pdf")],
)
def test_anonymous_callers_are_sent_to_login(client, cast, make_url, fmt):
    response = client.get(make_url(fmt))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_district_reviewer_exports_only_their_communes(client, cast, filled):
    client.force_login(cast["district"])
    codes = codes_in(client.get(ranking_url("xlsx")).content)
    assert "31498" in codes and "31501" in codes
    assert "31528" not in codes  # a commune of Kế Sách
    assert client.get(ranking_url("xlsx", "tinh")).status_code == 403


@pytest.mark.django_db
def test_a_unit_exports_its_level_without_criterion_scores_once_published(client, cast, filled):
    Period.objects.filter(code="2023").update(state=Period.State.PUBLISHED)
    client.force_login(cast["editor"])
    response = client.get(ranking_url("xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[5]]  # title, level, status, blank
    assert headers == [
        "STT",
        "Hạng",
        "Mã",
        "Đơn vị",
        "Huyện",
        "Tổng điểm",
        "Xếp loại",
        "Trạng thái",
    ]
    assert client.get(ranking_url("xlsx", "tinh")).status_code == 403


@pytest.mark.django_db
def test_filters_of_the_ranking_page_apply_to_the_export(client, cast, filled):
    client.force_login(cast["province"])
    codes = codes_in(client.get(ranking_url("xlsx", "tinh") + "?kind=so").content)
    assert "SO-TTTT" in codes and "BAN-DT" not in codes
    codes = codes_in(client.get(ranking_url("xlsx") + "?district=941").content)
    assert "31498" in codes and "31528" not in codes
    assert client.get(ranking_url("xlsx") + "?kind=nope").status_code == 404


@pytest.mark.django_db
def test_unknown_periods_levels_and_units_are_404(client, cast):
    client.force_login(cast["province"])
    assert client.get(reverse("exports:ranking_xlsx", args=["1999", "xa"])).status_code == 404
    assert client.get(ranking_url("xlsx", "nope")).status_code == 404
    assert client.get(sheet_url("pdf", "NOPE")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_url", "fmt", "content_type", "ascii_name", "utf8_name"),
    [
        (
            ranking_url,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xep-hang-2023-cap-xa.xlsx",
            "Xếp hạng 2023 Cấp xã.xlsx",
        ),
        (
            ranking_url,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xep-hang-2023-cap-xa.docx",
            "Xếp hạng 2023 Cấp xã.docx",
        ),
        (
            sheet_url,
            "pdf",
            "application/pdf",
            "phieu-cham-diem-2023-31498-phuong-5.pdf",
            "Phiếu chấm điểm 2023 31498 Phường 5.pdf",
        ),
    ],
)
def test_downloads_carry_an_ascii_and_a_utf8_file_name(
    client, cast, make_url, fmt, content_type, ascii_name, utf8_name
):
    client.force_login(cast["province"])
    response = client.get(make_url(fmt))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"
    )


@pytest.mark.django_db
def test_a_hostile_unit_name_cannot_break_the_download_header(client, cast, filled):
    client.force_login(cast["province"])
    disposition = client.get(sheet_url("xlsx", "SO-HACK"))["Content-Disposition"]
    plain, encoded = disposition.split("; filename*=UTF-8''")
    assert plain == (
        'attachment; filename="phieu-cham-diem-2023-so-hack-hyperlink-http-evil-example-x-'
        'bam-vao-day.xlsx"'
    )
    assert '"' not in encoded and " " not in encoded and "\n" not in disposition
