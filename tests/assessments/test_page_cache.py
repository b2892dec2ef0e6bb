"""The assessment page's content is cached under a digest of everything it shows (see
thidua.assessments.page_cache): a reload with nothing changed is served from the cache, and
every change the page shows — whichever path makes it, even one behind the services — gives
a fresh page. The digest is PostgreSQL's; elsewhere the page is rendered each time, with the
same HTML."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.evidence import samples
from thidua.assessments.access import get_assessment_for_user
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.page_cache import CSRF_STANDIN, content_key
from thidua.assessments.services import save_self_inputs
from thidua.evidence.models import Evidence
from thidua.evidence.services import remove_evidence, store_evidence
from thidua.periods.models import Extension, Period
from thidua.reviews.models import ReviewComment

from .cast import make_cast

URL = reverse("assessments:detail", args=["2023", "31498"])
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
postgres_only = pytest.mark.postgres


@pytest.fixture(autouse=True)
def empty_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def assessment(cast, period):
    saved = save_self_inputs(
        assessment=Assessment.objects.create(period=period, unit_id=_unit_id("31498")),
        criterion_code="X03",
        inputs={"rate": "45"},
        user=cast["editor"],
    )
    return saved.assessment


def _unit_id(code):
    from thidua.units.models import Unit

    return Unit.objects.get(code=code).pk


def page(client, user=None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


def panel(html: str, code: str) -> str:
    return re.search(rf'<article [^>]*id="crit-{code}".*?</article>', html, re.S).group(0)


# -- on every database --------------------------------------------------------------------


@pytest.mark.django_db
def test_every_form_gets_the_requests_own_valid_token(client, cast, assessment):
    first, second = page(client, cast["editor"]), page(client)
    assert CSRF_STANDIN not in first and CSRF_STANDIN not in second
    content_tokens = set(TOKEN.findall(panel(second, "X03")))
    assert len(content_tokens) == 1  # one masked token for every form of the content
    assert content_tokens != set(TOKEN.findall(panel(first, "X03")))  # fresh each request
    assert without_tokens(first) == without_tokens(second)
    checked = type(client)(enforce_csrf_checks=True)
    checked.force_login(cast["editor"])
    html = checked.get(URL).content.decode()
    (token,) = set(TOKEN.findall(panel(html, "X03")))
    response = checked.post(
        reverse("assessments:save", args=["2023", "31498", "X03"]),
        {"X03-rate": "50", "X03-revision": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # accepted: the token in the cached content is valid
    assert CriterionEntry.objects.get(criterion_code="X03").self_inputs == {"rate": "50"}


@pytest.mark.django_db
def test_the_cached_page_is_the_page_rendered_afresh(client, cast, assessment, settings):
    cached = page(client, cast["editor"])
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert without_tokens(page(client)) == without_tokens(cached)


# -- PostgreSQL: the cache itself --------------------------------------------------------


@postgres_only
@pytest.mark.django_db
def test_a_reload_with_nothing_changed_is_served_from_the_cache(client, cast, assessment):
    page(client, cast["editor"])
    with CaptureQueriesContext(connection) as cold:
        cache.clear()
        page(client)
    with CaptureQueriesContext(connection) as warm:
        page(client)
    assert len(warm) < len(cold) - 3  # no entries, evidence, comments, due dates… read


@postgres_only
@pytest.mark.django_db
def test_saved_inputs_and_changes_behind_the_services_give_a_fresh_page(client, cast, assessment):
    before = panel(page(client, cast["editor"]), "X03")
    save_self_inputs(
        assessment=assessment,
        criterion_code="X03",
        inputs={"rate": "30"},
        user=cast["head"],
        expected_revision=1,
    )
    after = panel(page(client), "X03")
    assert after != before and 'value="30"' in after
    # Straight in the database (as a source import's bulk UPDATE writes): still seen.
    CriterionEntry.objects.filter(assessment=assessment, criterion_code="X03").update(
        self_inputs={"rate": "12"}
    )
    assert 'value="12"' in panel(page(client), "X03")


@postgres_only
@pytest.mark.django_db
def test_evidence_added_and_removed_gives_a_fresh_page(client, cast, assessment):
    assert "Biên bản kiểm tra.pdf" not in page(client, cast["editor"])
    access = get_assessment_for_user(cast["editor"], "2023", "31498")
    evidence = store_evidence(
        access=access,
        criterion_code="X03",
        uploaded_file=samples.upload("Biên bản kiểm tra.pdf", samples.pdf(), "application/pdf"),
        user=cast["editor"],
    )
    assert "Biên bản kiểm tra.pdf" in panel(page(client), "X03")
    remove_evidence(access=access, evidence=evidence, user=cast["editor"], reason="Nhầm tệp")
    assert "Biên bản kiểm tra.pdf" not in panel(page(client), "X03")
    assert Evidence.objects.filter(removed_at__isnull=False).count() == 1


@postgres_only
@pytest.mark.django_db
def test_comments_names_and_state_give_a_fresh_page(client, cast, assessment):
    page(client, cast["editor"])
    comment = ReviewComment.objects.create(
        assessment=assessment, criterion_code="X03", author=cast["district"], text="Bổ sung số liệu"
    )
    html = panel(page(client), "X03")
    assert "Bổ sung số liệu" in html and "District" in html
    cast["district"].first_name = "Nguyễn Văn"
    cast["district"].save()
    assert "Nguyễn Văn" in panel(page(client), "X03")  # the author's new name
    comment.resolved_by, comment.resolved_at = cast["district"], timezone.now()
    comment.save()
    assert 'class="comment resolved"' in panel(page(client), "X03")
    assert "<fieldset disabled>" not in panel(page(client), "X03")
    Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.SUBMITTED)
    assert "<fieldset disabled>" in panel(page(client), "X03")  # read-only once submitted


@postgres_only
@pytest.mark.django_db
def test_deadlines_extensions_and_the_day_give_a_fresh_page(client, cast, assessment, period):
    deadline = period.submission_deadline
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(9))), tick=False
    ):
        assert "hôm nay là ngày cuối cùng" in page(client, cast["editor"])
        Extension.objects.create(
            period=period,
            unit_id=_unit_id("31498"),
            until=deadline + datetime.timedelta(days=5),
            reason="Bão",
            granted_by=cast["admin"],
        )
        extended = (deadline + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
        assert extended in page(client)
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(9)))
        - datetime.timedelta(days=3),
        tick=False,
    ):
        Extension.objects.all().delete()
        html = page(client)
        assert extended not in html and "còn 3 ngày" in html
    Period.objects.filter(pk=period.pk).update(name="Kỳ thi đua đổi tên")
    assert "Kỳ thi đua đổi tên" in page(client, cast["editor"])


@postgres_only
@pytest.mark.django_db
def test_each_user_and_language_get_their_own_content(client, cast, assessment, settings):
    editor_html = page(client, cast["editor"])
    head_html = page(client, cast["head"])
    assert "submit-form" in head_html and "submit-form" not in editor_html
    editor = get_assessment_for_user(cast["editor"], "2023", "31498")
    head = get_assessment_for_user(cast["head"], "2023", "31498")

    class Request:
        def __init__(self, user):
            self.user = user

        def get_full_path(self):
            return URL

    assert content_key(Request(cast["editor"]), editor) != content_key(Request(cast["head"]), head)
    assert "Self-assessment" not in editor_html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Self-assessment" in page(client, cast["editor"])
