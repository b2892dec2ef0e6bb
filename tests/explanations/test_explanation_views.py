import pytest
import time_machine
from django.urls import reverse

from thidua.explanations.models import Explanation
from thidua.explanations.services import answer_explanation, file_explanation
from thidua.periods.models import Period

from ..evidence import samples
from .stages import IN_WINDOW, TOO_LATE, move_period

pytestmark = pytest.mark.django_db

ROLES = [
    "editor",
    "head",
    "other_editor",
    "other_head",
    "district",
    "other_district",
    "province",
    "awards",
    "viewer",
    "admin",
    "outsider",
]


@pytest.fixture(autouse=True)
def _in_the_window():
    with time_machine.travel(IN_WINDOW, tick=False):
        yield


@pytest.fixture
def explanation(cast, assessment):
    return file_explanation(
        assessment=assessment,
        criterion_code="X03",
        text="Tỉ lệ thực tế là 75%.",
        user=cast["editor"],
        files=[samples.upload("bao-cao.pdf", samples.pdf())],
    )


def file_url(code="X03", unit="31498"):
    return reverse("explanations:file", args=["2023", unit, code])


def detail_url(explanation):
    return reverse("explanations:detail", args=["2023", explanation.uuid])


def login(client, cast, who):
    if who != "anonymous":
        client.force_login(cast[who])


def assert_status(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


FILE_STATUS = {
    "editor": 302,
    "head": 302,
    "other_editor": 404,
    "other_head": 404,
    "district": 403,
    "other_district": 404,
    "province": 403,
    "awards": 403,
    "viewer": 403,
    "admin": 403,
    "outsider": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize(("who", "expected"), FILE_STATUS.items())
def test_filing_per_role(client, cast, assessment, who, expected):
    login(client, cast, who)

    response = client.post(file_url(), {"text": "Tỉ lệ thực tế là 75%."})

    assert_status(response, expected)
    assert Explanation.objects.exists() is (expected == 302)


def test_the_unit_files_with_files_and_returns_to_the_criterion(client, cast, assessment):
    client.force_login(cast["editor"])

    response = client.post(
        file_url(),
        {
            "text": "Tỉ lệ thực tế là 75%.",
            "files": [
                samples.upload("bao-cao.pdf", samples.pdf()),
                samples.upload("anh.png", samples.png()),
            ],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", args=["2023", "31498"]) + (
        "#crit-X03"
    )
    explanation = Explanation.objects.get()
    assert sorted(a.original_name for a in explanation.attachments.all()) == [
        "anh.png",
        "bao-cao.pdf",
    ]


def test_a_refusal_is_a_message_on_the_assessment_page(client, cast, assessment):
    with time_machine.travel(TOO_LATE, tick=False):
        client.force_login(cast["editor"])  # sessions last 10 hours
        response = client.post(file_url(), {"text": "Muộn"}, follow=True)
    assert "Đã hết thời hạn giải trình (10/01/2024)." in response.content.decode()
    assert not Explanation.objects.exists()


def test_the_assessment_page_offers_the_form_in_the_window(client, cast, assessment):
    page = reverse("assessments:detail", args=["2023", "31498"])
    client.force_login(cast["editor"])
    html = client.get(page).content.decode()
    assert html.count('action="/explanations/2023/units/31498/criteria/') > 10
    assert file_url("X03") in html

    client.force_login(cast["district"])
    assert file_url("X03") not in client.get(page).content.decode()

    with time_machine.travel(TOO_LATE, tick=False):
        client.force_login(cast["editor"])
        assert file_url("X03") not in client.get(page).content.decode()


def test_the_assessment_page_shows_the_explanation_and_its_answer(
    client, cast, assessment, explanation
):
    answer_explanation(
        explanation=explanation,
        user=cast["province"],
        accept=True,
        reason="Đúng theo báo cáo.",
        verified_inputs={"rate": "75"},
    )
    page = reverse("assessments:detail", args=["2023", "31498"])
    move_period(assessment.period, Period.State.FINAL, explanation_until=None)
    client.force_login(cast["head"])

    html = client.get(page).content.decode()

    assert "Tỉ lệ thực tế là 75%." in html
    assert "Đúng theo báo cáo." in html
    assert "bao-cao.pdf" in html
    assert file_url("X04") not in html


def test_nothing_about_explanations_before_the_results_are_published(client, cast, assessment):
    move_period(assessment.period, Period.State.REVIEWING)
    client.force_login(cast["editor"])
    html = client.get(reverse("assessments:detail", args=["2023", "31498"])).content.decode()
    assert 'class="explanation"' not in html


LIST_STATUS = dict.fromkeys(ROLES, 403) | {"province": 200, "admin": 200, "anonymous": "login"}


@pytest.mark.parametrize(("who", "expected"), LIST_STATUS.items())
def test_the_list_per_role(client, cast, explanation, who, expected):
    login(client, cast, who)
    response = client.get(reverse("explanations:list", args=["2023"]))
    assert_status(response, expected)
    if expected == 200:
        assert "Phường 5" in response.content.decode()


def test_the_list_filters_pending(client, cast, explanation, assessment):
    other = file_explanation(
        assessment=assessment, criterion_code="X04", text="Đã gửi đủ.", user=cast["head"]
    )
    answer_explanation(explanation=other, user=cast["province"], accept=False, reason="Không")
    client.force_login(cast["province"])

    html = client.get(reverse("explanations:list", args=["2023"]) + "?status=pending")

    content = html.content.decode()
    assert detail_url(explanation) in content
    assert detail_url(other) not in content


DETAIL_STATUS = {
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
    "anonymous": "login",
}


@pytest.mark.parametrize(("who", "expected"), DETAIL_STATUS.items())
def test_the_detail_page_per_role(client, cast, explanation, who, expected):
    login(client, cast, who)
    response = client.get(detail_url(explanation))
    assert_status(response, expected)
    if expected == 200:
        assert ('name="decision"' in response.content.decode()) is (who == "province")


ANSWER_STATUS = {who: (403 if code == 200 else code) for who, code in DETAIL_STATUS.items()}
ANSWER_STATUS["province"] = 302


@pytest.mark.parametrize(("who", "expected"), ANSWER_STATUS.items())
def test_answering_per_role(client, cast, explanation, who, expected):
    login(client, cast, who)
    response = client.post(detail_url(explanation), {"decision": "reject", "answer": "Không đủ"})
    assert_status(response, expected)
    explanation.refresh_from_db()
    assert explanation.is_pending is (expected != 302)


def test_accepting_through_the_page_sets_the_new_inputs(client, cast, explanation):
    client.force_login(cast["province"])

    response = client.post(
        detail_url(explanation),
        {"decision": "accept", "answer": "Đúng 75%.", "X03-rate": "75"},
    )

    assert response.status_code == 302
    explanation.refresh_from_db()
    assert explanation.status == Explanation.Status.ACCEPTED
    assert explanation.verified_inputs == {"rate": "75"}


def test_the_page_shows_why_an_answer_is_refused(client, cast, explanation):
    client.force_login(cast["province"])

    rejected = client.post(detail_url(explanation), {"decision": "reject", "answer": " "})
    invalid = client.post(
        detail_url(explanation), {"decision": "accept", "answer": "x", "X03-rate": "abc"}
    )
    no_reason = client.post(detail_url(explanation), {"decision": "accept", "X03-rate": "75"})

    assert rejected.status_code == invalid.status_code == no_reason.status_code == 200
    assert 'class="field-error"' in rejected.content.decode()
    assert "Số liệu thẩm định mới chưa hợp lệ." in invalid.content.decode()
    assert "cần ghi lý do" in no_reason.content.decode()
    explanation.refresh_from_db()
    assert explanation.is_pending


def test_an_answered_explanation_cannot_be_answered_again_through_the_page(
    client, cast, explanation
):
    answer_explanation(explanation=explanation, user=cast["province"], accept=False, reason="Không")
    client.force_login(cast["province"])
    assert client.get(detail_url(explanation)).status_code == 200
    assert (
        client.post(detail_url(explanation), {"decision": "reject", "answer": "x"}).status_code
        == 403
    )


ATTACHMENT_STATUS = {who: (404 if code == 404 else code) for who, code in DETAIL_STATUS.items()}


@pytest.mark.parametrize(("who", "expected"), ATTACHMENT_STATUS.items())
def test_attachments_are_downloaded_within_scope(client, cast, explanation, who, expected):
    attachment = explanation.attachments.get()
    login(client, cast, who)
    response = client.get(reverse("explanations:attachment", args=["2023", attachment.uuid]))
    assert_status(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content) == samples.pdf()
        assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_period_or_explanation_is_404(client, cast, explanation):
    client.force_login(cast["province"])
    assert (
        client.get(reverse("explanations:detail", args=["2024", explanation.uuid])).status_code
        == 404
    )
    assert client.get(reverse("explanations:list", args=["1999"])).status_code == 404
