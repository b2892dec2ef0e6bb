"""The criterion panels' evidence lists are cached by their content (issue 6): the page must
show exactly what the uncached template shows, after any change, with the request's token."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from thidua.evidence.models import Evidence
from thidua.evidence.services import remove_evidence, store_evidence

pytestmark = pytest.mark.django_db

DETAIL = reverse("assessments:detail", args=["2023", "31498"])


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def evidence_section(html, code="X03"):
    match = re.search(rf'<section class="evidence" id="evidence-{code}".*?</section>', html, re.S)
    assert match
    return match.group(0)


def cite(access, user, number):
    return store_evidence(
        access=access,
        criterion_code="X03",
        uploaded_file=None,
        user=user,
        citation={"doc_number": number, "doc_date": datetime.date(2023, 3, 5)},
    )


def test_every_change_of_the_evidence_shows_at_once(client, cast, editor_access):
    client.force_login(cast["editor"])
    first = cite(editor_access, cast["editor"], "1/KH-UBND")
    assert "1/KH-UBND" in evidence_section(client.get(DETAIL).content.decode())

    second = cite(editor_access, cast["editor"], "2/KH-UBND")
    section = evidence_section(client.get(DETAIL).content.decode())
    assert "1/KH-UBND" in section and "2/KH-UBND" in section

    Evidence.objects.filter(pk=second.pk).update(doc_issuer="Sở Nội vụ")
    assert "Sở Nội vụ" in evidence_section(client.get(DETAIL).content.decode())

    User.objects.filter(pk=cast["editor"].pk).update(first_name="Mới", last_name="Tên")
    assert "Mới Tên" in evidence_section(client.get(DETAIL).content.decode())

    remove_evidence(access=editor_access, evidence=first, user=cast["editor"], reason="Nhầm")
    section = evidence_section(client.get(DETAIL).content.decode())
    assert "1/KH-UBND" not in section and "2/KH-UBND" in section


def test_who_may_edit_is_part_of_the_fragment(client, cast, editor_access):
    cite(editor_access, cast["editor"], "1/KH-UBND")
    client.force_login(cast["editor"])
    assert "evidence-upload" in evidence_section(client.get(DETAIL).content.decode())
    client.force_login(cast["district"])
    section = evidence_section(client.get(DETAIL).content.decode())
    assert "1/KH-UBND" in section
    assert "evidence-upload" not in section and "evidence-remove" not in section


def test_a_cached_fragment_carries_the_requests_own_csrf_token(client, cast, editor_access):
    cite(editor_access, cast["editor"], "1/KH-UBND")
    client.force_login(cast["editor"])
    tokens = []
    for _ in range(2):  # the second page is served from the cache
        html = client.get(DETAIL).content.decode()
        section = evidence_section(html)
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', section)
        assert len(found) == 2  # the removal and the upload forms
        assert "standin" not in html
        tokens.append(found)
    # A masked token per response: each page's fragments got that page's token.
    assert tokens[0] != tokens[1]
    assert all(len(token) == 64 for found in tokens for token in found)
