"""Every case of the hostile input corpus (corpus/manifest.yaml), through the real entry point.

A refused case must show a clear Vietnamese message (the phrases the manifest lists) and
store nothing: no evidence row or file, no saved input, no pending import, no changed unit.
A neutralised case must be stored or shown in its harmless form.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
import uuid
from pathlib import Path

import openpyxl
import pytest
import time_machine
import yaml
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import escape
from openpyxl.utils.escape import unescape

from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.submission import submit_assessment
from thidua.evidence.models import Evidence
from thidua.explanations.models import Explanation
from thidua.periods.models import Period
from thidua.reviews.models import ReviewComment
from thidua.sources.models import SourceImport
from thidua.units.models import Unit

from ..assessments.cast import make_cast
from ..assessments.fill import fill_assessment
from ..explanations.stages import IN_WINDOW, UNTIL, finalized, move_period

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
FILES = CORPUS / "files"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
ENTRIES = {"evidence_upload", "workbook_import", "source_import", "units_import"}
ENTRIES |= {"text_field", "export"}
COMMUNE, PERIOD = "31498", "2023"
ON_TIME = datetime.datetime.fromisoformat("2023-12-10 09:00:00+07:00")


def cases_of(entry):
    return [pytest.param(case, id=case["id"]) for case in CASES if case["entry"] == entry]


def text_of(spec) -> str:
    """A payload or name: literal, or {repeat, times, suffix} for the overlong ones."""
    if isinstance(spec, str):
        return spec
    return spec["repeat"] * spec["times"] + spec.get("suffix", "")


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def assert_message(text: str, case) -> None:
    for phrase in case["message"]:
        assert phrase in text, f"{case['id']}: {phrase!r} not in the page"


def multipart(fields: dict, file_field: str, name: str, content: bytes):
    """A multipart body sending `name` exactly as given: the test client would strip paths
    from it before the server ever saw them."""
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        )
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{quoted}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    body = "".join(parts).encode() + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def root(settings, tmp_path):
    """MEDIA_ROOT is root/media: a name climbing out of it would land in root."""
    settings.MEDIA_ROOT = tmp_path / "root" / "media"
    return tmp_path / "root"


def stored_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def cast(units, period):
    return make_cast()


# -- the manifest itself -------------------------------------------------------------------


def test_the_manifest_has_at_least_thirty_well_formed_cases():
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 30
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert case["entry"] in ENTRIES, case["id"]
        assert case["expect"] in ("refused", "neutralised"), case["id"]
        assert case["attack"].strip(), case["id"]
        if case["expect"] == "refused":
            assert case["message"], case["id"]
        else:
            assert case["neutralised"], case["id"]


def test_every_file_named_exists_and_every_file_is_named():
    named = {case["file"] for case in CASES if "file" in case}
    present = {p.name for p in FILES.iterdir()}
    assert named - present == set()
    assert present - named == set()
    generated = [case["id"] for case in CASES if "generate" in case]
    assert len(generated) <= 2


def test_the_files_are_small():
    assert all(p.stat().st_size < 32 * 1024 for p in FILES.iterdir())


# -- evidence uploads ----------------------------------------------------------------------


def evidence_content(case, settings) -> tuple[str, bytes]:
    if "generate" in case:
        spec = case["generate"]
        assert spec["kind"] == "pdf_padded"
        size = settings.THIDUA_EVIDENCE_MAX_BYTES + spec["bytes_over_limit"]
        head = (FILES / "valid.pdf").read_bytes()
        return spec["name"], head + b"\n%" + b"0" * (size - len(head) - 2)
    name = text_of(case["upload_name"]) if "upload_name" in case else case["file"]
    return name, (FILES / case["file"]).read_bytes()


def upload_evidence(client, user, name, content, **fields):
    client.force_login(user)
    body, content_type = multipart(fields, "file", name, content)
    url = reverse("evidence:upload", args=[PERIOD, COMMUNE, "X03"])
    return client.post(url, body, content_type=content_type, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("case", cases_of("evidence_upload"))
def test_evidence_upload(client, cast, root, settings, case):
    get_assessment_for_user(cast["editor"], PERIOD, COMMUNE, create=True)
    name, content = evidence_content(case, settings)

    response = upload_evidence(client, cast["editor"], name, content)

    assert response.status_code == 200
    if case["expect"] == "refused":
        assert_message(page_text(response), case)
        assert 'role="alert"' in response.content.decode()
        assert not Evidence.objects.exists()
        assert stored_files(root) == []
        return
    evidence = Evidence.objects.get()
    assert re.fullmatch(r"evidence/2023/31498/[0-9a-f]{32}\.\w+", evidence.file.name)
    assert stored_files(root) == [f"media/{evidence.file.name}"]
    expected = case["neutralised"]
    if isinstance(expected, dict):
        if "original_name" in expected:
            assert evidence.original_name == expected["original_name"]
        if "original_name_max_length" in expected:
            assert 100 < len(evidence.original_name) <= expected["original_name_max_length"]
            assert evidence.original_name.endswith(expected["original_name_endswith"])
    else:
        assert_served_harmlessly(client, evidence)


def assert_served_harmlessly(client, evidence):
    assert evidence.content_type == "image/jpeg"
    url = reverse("evidence:download", args=[evidence.uuid])
    for query, disposition in (("", "attachment"), ("?inline=1", "inline")):
        response = client.get(url + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
        assert "sandbox" in directives
        assert response["Content-Disposition"].startswith(disposition)


# -- the self-assessment Excel import ------------------------------------------------------


def saved_state(assessment):
    assessment.refresh_from_db()
    entries = list(CriterionEntry.objects.values())
    return model_to_dict(assessment), entries, CriterionEntry.history.count()


@pytest.mark.parametrize("case", cases_of("workbook_import"))
def test_workbook_import(client, cast, root, case):
    access = get_assessment_for_user(cast["editor"], PERIOD, COMMUNE, create=True)
    before = saved_state(access.assessment)
    client.force_login(cast["editor"])
    content = (FILES / case["file"]).read_bytes()

    body, content_type = multipart({}, "workbook", case["file"], content)
    url = reverse("assessments:workbook_import", args=[PERIOD, COMMUNE])
    response = client.post(url, body, content_type=content_type, follow=True)

    assert response.status_code == 200
    assert_message(page_text(response), case)
    assert saved_state(access.assessment) == before
    assert stored_files(root) == []


# -- source-data import --------------------------------------------------------------------


@pytest.mark.parametrize("case", cases_of("source_import"))
def test_source_import(client, cast, root, case):
    client.force_login(cast["province"])
    content = (FILES / case["file"]).read_bytes()

    body, content_type = multipart({"period": PERIOD, "source": ""}, "file", case["file"], content)
    response = client.post(reverse("sources:upload"), body, content_type=content_type)

    assert response.status_code == 200
    assert_message(page_text(response), case)
    assert not SourceImport.objects.exists()
    assert not CriterionEntry.objects.exists()


# -- units import --------------------------------------------------------------------------


def units_file(case, tmp_path) -> Path:
    if "generate" not in case:
        return FILES / case["file"]
    spec = case["generate"]
    assert spec["kind"] == "units_csv_huge_field"
    path = tmp_path / "huge.csv"
    header = "code,name,level,kind,parent_code\n"
    path.write_text(header + '31498,"' + "5" * spec["chars"] + "\n", encoding="utf-8")
    return path


def all_units():
    return list(Unit.objects.order_by("code").values())


@pytest.mark.parametrize("case", cases_of("units_import"))
def test_units_import(client, cast, period, tmp_path, case):
    before = all_units()
    path = units_file(case, tmp_path)

    if case["expect"] == "refused":
        with pytest.raises(CommandError) as refused:
            call_command("import_units", str(path), stdout=io.StringIO())
        assert "Không nhập đơn vị nào" in str(refused.value)
        assert_message(str(refused.value), case)
        assert all_units() == before
        return

    call_command("import_units", str(path), stdout=io.StringIO())
    unit = Unit.objects.get(code=COMMUNE)
    assert unit.name.startswith("<script>alert(1)</script>")
    assessment = Assessment.objects.create(period=period, unit=unit)
    fill_assessment(assessment, cast["editor"])
    assert_escaped_name(client, cast, unit.name)


def assert_escaped_name(client, cast, name):
    pages = [
        (cast["province"], reverse("results:ranking", args=[PERIOD, "xa"])),
        (cast["editor"], reverse("assessments:detail", args=[PERIOD, COMMUNE])),
        (cast["province"], reverse("results:dashboard", args=[PERIOD])),
    ]
    for user, url in pages:
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body, url
        assert "<img src=x" not in body, url
    assert escape(name) in client.get(pages[0][1]).content.decode()
    client.force_login(cast["editor"])
    assert escape(name) in client.get(pages[1][1]).content.decode()
    client.force_login(cast["province"])
    dashboard = client.get(pages[2][1]).content.decode()
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in dashboard


# -- free-text fields ----------------------------------------------------------------------


def submitted_commune(cast, period) -> Assessment:
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code=COMMUNE))
    fill_assessment(assessment, cast["editor"])
    with time_machine.travel(ON_TIME, tick=False):
        submit_assessment(assessment=assessment, user=cast["head"])
    return assessment


def post_review_comment(client, cast, period, payload):
    submitted_commune(cast, period)
    client.force_login(cast["province"])
    url = reverse("reviews:decide", args=[PERIOD, COMMUNE, "X03", "comment"])
    response = client.post(url, {"cm-X03-text": payload}, follow=True)
    shown = reverse("reviews:unit", args=[PERIOD, COMMUNE])
    return response, ReviewComment.objects.all(), [(cast["province"], shown)]


def post_explanation(client, cast, period, payload):
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code=COMMUNE))
    finalized(assessment, cast["editor"])
    move_period(period, Period.State.PUBLISHED, explanation_until=UNTIL)
    with time_machine.travel(IN_WINDOW, tick=False):
        client.force_login(cast["editor"])
        url = reverse("explanations:file", args=[PERIOD, COMMUNE, "X03"])
        response = client.post(url, {"text": payload}, follow=True)
    stored = Explanation.objects.all()
    pages = [
        (cast["province"], reverse("explanations:detail", args=[PERIOD, e.uuid])) for e in stored
    ]
    return response, stored, pages


def post_evidence_summary(client, cast, period, payload):
    get_assessment_for_user(cast["editor"], PERIOD, COMMUNE, create=True)
    client.force_login(cast["editor"])
    url = reverse("evidence:upload", args=[PERIOD, COMMUNE, "X03"])
    fields = {"doc_number": "15/BC-UBND", "doc_date": "2023-11-20", "doc_summary": payload}
    response = client.post(url, fields, HTTP_HX_REQUEST="true")
    shown = reverse("assessments:detail", args=[PERIOD, COMMUNE])
    return response, Evidence.objects.all(), [(cast["editor"], shown)]


TEXT_FIELDS = {
    "review_comment": post_review_comment,
    "explanation": post_explanation,
    "evidence_summary": post_evidence_summary,
}


@pytest.mark.parametrize("case", cases_of("text_field"))
def test_text_field(client, cast, period, root, case):
    payload = text_of(case["payload"])

    response, stored, pages = TEXT_FIELDS[case["field"]](client, cast, period, payload)

    assert response.status_code == 200
    if case["expect"] == "refused":
        assert_message(page_text(response), case)
        assert not stored.exists()
        return
    assert [item for item in stored if payload in str(model_to_dict(item).values())]
    pages.append((None, response))
    for user, target in pages:
        if user is None:
            body = target.content.decode()
        else:
            client.force_login(user)
            body = client.get(target).content.decode()
        assert "<script>alert(1)" not in body
        assert escape(payload) in body or escape(payload).replace("&#x27;", "&#39;") in body


# -- exports -------------------------------------------------------------------------------


def rename_commune(via: str, name: str, tmp_path) -> None:
    if via == "database":
        Unit.objects.filter(code=COMMUNE).update(name=name)
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "level", "kind", "parent_code"])
    writer.writerow([COMMUNE, name, "commune", "phuong", "941"])
    path = tmp_path / "units.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    call_command("import_units", str(path), stdout=io.StringIO())
    assert Unit.objects.get(code=COMMUNE).name == name


@pytest.mark.parametrize("case", cases_of("export"))
def test_export(client, cast, period, tmp_path, case):
    payload = case["payload"]
    rename_commune(case["via"], payload, tmp_path)
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code=COMMUNE))
    fill_assessment(assessment, cast["editor"])

    if case.get("target") == "offline_workbook":
        client.force_login(cast["editor"])
        url = reverse("assessments:workbook_export", args=[PERIOD, COMMUNE])
    else:
        client.force_login(cast["province"])
        url = reverse("exports:ranking_xlsx", args=[PERIOD, "xa"])
    response = client.get(url)

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        # XlsxWriter writes control characters as Excel reads them (\r as _x000D_);
        # openpyxl leaves that escape in the value it reads.
        if isinstance(cell.value, str) and unescape(cell.value).startswith(payload)
    ]
    assert cells, f"{case['id']}: the unit's name is not in the export"
    for cell in cells:
        assert cell.data_type == "s", f"{cell.coordinate} would be a formula"
        if case.get("target") != "offline_workbook":
            assert cell.quotePrefix, f"{cell.coordinate} lacks Excel's quote prefix"
