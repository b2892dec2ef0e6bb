"""The import pages: only provincial reviewers and administrators; upload, preview, confirm,
discard, the list of imports; htmx upload with progress."""

import io

import pytest
from django.urls import reverse

from thidua.sources import forms as source_forms
from thidua.sources.models import SourceImport
from thidua.sources.services import create_pending_import

from ..assessments.cast import make_cast
from .helpers import DVC, csv_bytes, entry, self_report, xlsx_bytes

IMPORTERS = ("province", "admin")
OTHERS = (
    "editor",
    "head",
    "other_editor",
    "district",
    "other_district",
    "awards",
    "viewer",
    "outsider",
)


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def pending(cast, period):
    return create_pending_import(
        period=period,
        data=csv_bytes("31498,X06,90,,", "31501,X06,,40,50"),
        filename="dvc.csv",
        label=DVC,
        user=cast["province"],
    )


def file(data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def post_file(client, data, name="dvc.csv", source=DVC, **extra):
    payload = {"period": "2023", "source": source, "file": file(data, name)}
    return client.post(reverse("sources:upload"), payload, **extra)


def pages(source_import):
    uuid = source_import.uuid
    return {
        "upload": ("get", reverse("sources:upload")),
        "list": ("get", reverse("sources:period_imports", args=["2023"])),
        "detail": ("get", reverse("sources:detail", args=[uuid])),
        "confirm": ("post", reverse("sources:confirm", args=[uuid])),
        "discard": ("post", reverse("sources:discard", args=[uuid])),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["upload", "list", "detail", "confirm", "discard"])
@pytest.mark.parametrize("who", OTHERS)
def test_it_gives_other_roles_403_on_every_page_and_changes_nothing(
    client, cast, pending, page, who
):
    client.force_login(cast[who])
    method, url = pages(pending)[page]
    assert getattr(client, method)(url).status_code == 403
    pending.refresh_from_db()
    assert pending.status == SourceImport.Status.PENDING
    assert entry("31498", "X06") is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", OTHERS)
def test_it_refuses_uploads_from_other_roles(client, cast, who):
    client.force_login(cast[who])
    assert post_file(client, csv_bytes("31498,X06,90,,")).status_code == 403
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["upload", "list", "detail", "confirm", "discard"])
def test_it_sends_anonymous_visitors_to_log_in(client, pending, page):
    method, url = pages(pending)[page]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", IMPORTERS)
@pytest.mark.parametrize("page", ["upload", "list", "detail"])
def test_it_shows_every_page_to_importers(client, cast, pending, who, page):
    client.force_login(cast[who])
    method, url = pages(pending)[page]
    assert getattr(client, method)(url).status_code == 200


@pytest.mark.django_db
def test_it_gives_404_for_an_unknown_import_or_period(client, cast):
    client.force_login(cast["province"])
    url = reverse("sources:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("sources:period_imports", args=["1999"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", IMPORTERS)
def test_it_uploads_previews_and_confirms_end_to_end(client, cast, period, who):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    client.force_login(cast[who])

    response = post_file(client, csv_bytes("31498,X06,90,,", "31501,X06,,40,50"))

    assert response.status_code == 302
    source_import = SourceImport.objects.get()
    assert response["Location"] == reverse("sources:detail", args=[source_import.uuid])
    page = client.get(response["Location"])
    assert page.status_code == 200
    plan = page.context["plan"]
    assert (plan.changes, plan.discrepancies, plan.new_entries) == (2, 1, 1)
    rows = page.context["rows"]
    assert [(r.unit.code, r.self_rate, r.new, r.score_before, r.score_after) for r in rows] == [
        ("31498", "60%", "90%", "6,00", "9,00"),
        ("31501", "—", "40/50 (80%)", "—", "8,00"),
    ]
    assert rows[0].discrepancy and not rows[1].discrepancy
    assert "Phường 5" in page.content.decode()
    only = client.get(response["Location"], {"only": "discrepancies"})
    assert [r.unit.code for r in only.context["rows"]] == ["31498"]
    assert entry("31498", "X06").verified_inputs is None  # nothing yet

    confirmed = client.post(reverse("sources:confirm", args=[source_import.uuid]))

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("sources:period_imports", args=["2023"])
    assert entry("31498", "X06").verified_inputs == {"rate": "90"}
    assert entry("31498", "X06").verified_source == DVC
    listing = client.get(confirmed["Location"])
    assert list(listing.context["imports"]) == [source_import]
    record = client.get(reverse("sources:detail", args=[source_import.uuid]))
    assert record.status_code == 200 and "plan" not in record.context
    assert [row[2] for row in record.context["stored_rows"]] == ["31498", "31501"]


@pytest.mark.django_db
def test_it_accepts_an_xlsx_upload_too(client, cast):
    client.force_login(cast["province"])
    data = xlsx_bytes([["ma_don_vi", "ma_tieu_chi", "ty_le"], [31498, "X06", 88]])
    response = post_file(client, data, name="dvc.xlsx")
    assert response.status_code == 302
    assert SourceImport.objects.get().file_format == "xlsx"


@pytest.mark.django_db
def test_it_shows_every_line_of_a_bad_file_and_keeps_nothing(client, cast):
    client.force_login(cast["province"])
    response = post_file(client, csv_bytes("31498,X06,90,,", "NOPE,X06,90,,", "31501,X06,120,,"))
    assert response.status_code == 200
    assert response.context["problems"] == [
        "Dòng 3, cột unit_code: Mã đơn vị 'NOPE' không có trong danh sách đơn vị",
        "Dòng 4, cột rate: Tỷ lệ phải nằm trong khoảng 0–100 (nhận được 120)",
    ]
    assert "Dòng 3, cột unit_code" in response.content.decode()
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_hostile_xlsx_upload(client, cast):
    client.force_login(cast["province"])
    response = post_file(client, b"\x00\x01not a workbook" * 100, name="dvc.xlsx")
    assert response.status_code == 200
    assert response.context["problems"] == ["Tệp không phải là tệp Excel .xlsx hợp lệ"]
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_over_large_upload_in_the_form(client, cast, monkeypatch):
    monkeypatch.setattr(source_forms, "MAX_FILE_BYTES", 100)
    client.force_login(cast["province"])
    response = post_file(client, csv_bytes(*["31498,X06,90,,"] * 20))
    assert response.status_code == 200
    assert "Tệp quá lớn" in str(response.context["form"].errors["file"])
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
def test_it_does_not_offer_a_closed_period(client, cast, period):
    from thidua.periods.models import Period

    Period.objects.filter(pk=period.pk).update(state=Period.State.ARCHIVED)
    client.force_login(cast["province"])
    response = post_file(client, csv_bytes("31498,X06,90,,"))
    assert response.status_code == 200
    assert "period" in response.context["form"].errors


@pytest.mark.django_db
def test_it_redirects_an_htmx_upload_or_swaps_in_the_problems(client, cast):
    client.force_login(cast["province"])
    good = post_file(client, csv_bytes("31498,X06,90,,"), HTTP_HX_REQUEST="true")
    assert good.status_code == 200
    assert good["HX-Redirect"] == reverse("sources:detail", args=[SourceImport.objects.get().uuid])

    bad = post_file(client, csv_bytes("NOPE,X06,90,,"), HTTP_HX_REQUEST="true")
    assert bad.status_code == 200
    assert bad.templates[0].name == "sources/_upload_form.html"
    html = bad.content.decode()
    assert 'id="source-upload"' in html and "<html" not in html
    assert "Dòng 2, cột unit_code" in html


@pytest.mark.django_db
def test_it_shows_a_progress_bar_driven_by_a_static_script(client, cast):
    client.force_login(cast["province"])
    html = client.get(reverse("sources:upload")).content.decode()
    assert '<progress class="source-progress"' in html
    assert "sources/upload.js" in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert "Cổng DVC tỉnh" in html  # suggested from the criteria's data sources
    form = html.split('<form class="source-upload"')[1].split("</form>")[0]
    assert "onclick" not in form and "onsubmit" not in form and "<script" not in form


@pytest.mark.django_db
def test_it_keeps_the_record_of_a_discarded_import_and_changes_nothing(client, cast, pending):
    client.force_login(cast["admin"])
    response = client.post(reverse("sources:discard", args=[pending.uuid]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == SourceImport.Status.DISCARDED and pending.rows == []
    assert entry("31498", "X06") is None
    again = client.post(reverse("sources:confirm", args=[pending.uuid]))
    assert again.status_code == 302
    assert entry("31498", "X06") is None


@pytest.mark.django_db
def test_it_refuses_get_on_confirm_and_discard(client, cast, pending):
    client.force_login(cast["province"])
    assert client.get(reverse("sources:confirm", args=[pending.uuid])).status_code == 405
    assert client.get(reverse("sources:discard", args=[pending.uuid])).status_code == 405
