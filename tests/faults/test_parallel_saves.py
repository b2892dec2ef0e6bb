"""Fifty people save the same criterion at the same instant (issue 6): no save is lost
silently. From one loaded revision exactly one wins and every other is told who saved and
when; saves that retry from the fresh revision all land, one revision each.

PostgreSQL only: SQLite serialises writers on the whole file, so there is no race to lose.
"""

import threading
from http.cookies import SimpleCookie
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import LiveServerThread
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from tests.assessments.cast import make_user
from thidua.accounts.models import Role
from thidua.assessments.models import Assessment, CriterionEntry
from thidua.assessments.services import EditConflict, save_self_inputs
from thidua.units.models import Unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SAVERS = 50
CODE = "X03"  # a commune's rate criterion: any value 0–100 is valid


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL")


@pytest.fixture
def editors(units, period):
    return [make_user(f"editor{i:02}", Role.UNIT_EDITOR, "31498") for i in range(SAVERS)]


@pytest.fixture
def assessment(editors, period):
    """The commune's draft with X03 saved once: every saver loads revision 1."""
    assessment = Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))
    save_self_inputs(
        assessment=assessment, criterion_code=CODE, inputs={"rate": "1"}, user=editors[0]
    )
    return assessment


def value_of(index: int) -> dict:
    return {"rate": str(index + 50)}  # 50..99: each saver's own, valid value


def run_at_once(work):
    """Run work(index) in SAVERS threads released together; each uses its own connection."""
    barrier = threading.Barrier(SAVERS, timeout=60)
    results, errors = [None] * SAVERS, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a saver never finished"
    assert errors == []
    return results


def history_of(assessment):
    return CriterionEntry.history.filter(assessment_id=assessment.pk, criterion_code=CODE).order_by(
        "revision"
    )


def test_from_one_revision_exactly_one_save_wins_and_every_loser_is_told_who_and_when(
    assessment, editors
):
    def save(index):
        try:
            save_self_inputs(
                assessment=assessment,
                criterion_code=CODE,
                inputs=value_of(index),
                user=editors[index],
                expected_revision=1,
            )
        except EditConflict as exc:
            return ("lost", exc.entry)
        return ("won", None)

    recorded_before = history_of(assessment).count()

    outcomes = run_at_once(save)

    winners = [i for i, (outcome, _) in enumerate(outcomes) if outcome == "won"]
    losers = [entry for outcome, entry in outcomes if outcome == "lost"]
    assert len(winners) == 1 and len(losers) == SAVERS - 1
    winner = winners[0]
    stored = CriterionEntry.objects.get(assessment=assessment, criterion_code=CODE)
    assert stored.self_inputs == value_of(winner)
    assert stored.revision == 2
    assert stored.updated_by == editors[winner]
    # Each loser learns the winner's name, the time of the winning save and its revision.
    for entry in losers:
        assert (entry.updated_by, entry.updated_at, entry.revision) == (
            editors[winner],
            stored.updated_at,
            2,
        )
    records = list(history_of(assessment))
    assert len(records) == recorded_before + 1  # exactly one new history record
    assert records[-1].revision == 2
    assert records[-1].self_inputs == value_of(winner)
    assert records[-1].history_user == editors[winner]


def test_savers_who_reload_and_retry_all_land_one_revision_each(assessment, editors):
    def save_until_saved(index):
        attempts = 0
        while True:
            attempts += 1
            revision = CriterionEntry.objects.get(
                assessment=assessment, criterion_code=CODE
            ).revision
            try:
                return save_self_inputs(
                    assessment=assessment,
                    criterion_code=CODE,
                    inputs=value_of(index),
                    user=editors[index],
                    expected_revision=revision,
                ).revision
            except EditConflict:
                assert attempts <= SAVERS, "a saver kept losing: the lock lets nobody through"

    recorded_before = history_of(assessment).count()

    landed = run_at_once(save_until_saved)

    assert sorted(landed) == list(range(2, SAVERS + 2))  # consecutive, none shared
    stored = CriterionEntry.objects.get(assessment=assessment, criterion_code=CODE)
    assert stored.revision == SAVERS + 1
    records = list(history_of(assessment))[recorded_before:]
    assert [r.revision for r in records] == list(range(2, SAVERS + 2))
    # Every saver's value is in the history exactly once, at the revision it was told.
    by_value = {r.self_inputs["rate"]: r for r in records}
    assert len(by_value) == SAVERS
    for index in range(SAVERS):
        record = by_value[value_of(index)["rate"]]
        assert record.revision == landed[index]
        assert record.history_user == editors[index]
    assert stored.self_inputs == records[-1].self_inputs


class WideBacklogServer(ThreadedWSGIServer):
    # Django's live server listens with a backlog of 10: 50 simultaneous connections would
    # be reset by the kernel before the server could accept them.
    request_queue_size = SAVERS * 2


class WideLiveServerThread(LiveServerThread):
    server_class = WideBacklogServer


@pytest.fixture
def server_url():
    """A live server (the real WSGI handler, one thread and connection per request)."""
    thread = WideLiveServerThread("127.0.0.1", static_handler=lambda app: app)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def csrf_token(url: str, cookie: str) -> str:
    """The CSRF cookie the assessment page sets, as a browser would receive it."""
    with urlopen(Request(url, headers={"Cookie": cookie}), timeout=60) as response:  # noqa: S310
        assert response.status == 200
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie"):
            jar.load(header)
    return jar[settings.CSRF_COOKIE_NAME].value


def test_fifty_concurrent_posts_to_the_save_view_give_one_save_and_49_conflict_messages(
    server_url, assessment, editors
):
    base = f"{server_url}/periods/2023/units/31498/"
    sessions = [f"{settings.SESSION_COOKIE_NAME}={session_cookie(u)}" for u in editors]
    tokens = [csrf_token(base, cookie) for cookie in sessions]
    recorded_before = history_of(assessment).count()

    def post(index):
        token = tokens[index]
        body = f"{CODE}-rate={value_of(index)['rate']}&{CODE}-revision=1".encode()
        request = Request(  # noqa: S310 (an http:// URL of the test server)
            f"{base}criteria/{CODE}/save/",
            data=body,
            method="POST",
            headers={
                "Cookie": f"{sessions[index]}; {settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.read().decode()

    responses = run_at_once(post)

    assert [status for status, _ in responses] == [200] * SAVERS
    saved = [i for i, (_, html) in enumerate(responses) if 'class="saved"' in html]
    refused = [html for _, html in responses if 'class="conflict"' in html]
    assert len(saved) == 1 and len(refused) == SAVERS - 1
    winner = saved[0]
    stored = CriterionEntry.objects.get(assessment=assessment, criterion_code=CODE)
    assert (stored.self_inputs, stored.revision) == (value_of(winner), 2)
    assert stored.updated_by == editors[winner]
    assert history_of(assessment).count() == recorded_before + 1
    with translation.override("vi"):
        headline = gettext("Not saved: someone else changed this criterion.")
    when = date_format(timezone.localtime(stored.updated_at), "H:i:s d/m/Y")
    for html in refused:
        assert headline in html
        assert editors[winner].get_full_name() in html  # who
        assert when in html  # and when
