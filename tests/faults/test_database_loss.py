"""The database going away mid-request (issue 6): a clean Vietnamese error page, never a
traceback; the next request works again; /healthz says 503.

Everywhere: the database's errors are injected below the ORM. On PostgreSQL the server
really drops the connection (pg_terminate_backend) or cannot be reached at all, and
requests go through Django's real WSGI handler, which replaces broken connections between
requests exactly as under gunicorn.
"""

import logging
import time
import wsgiref.util

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.template import loader
from django.test import Client

from ..assessments.cast import make_user
from .pages import LEAKS, assert_clean_error_page

DETAIL = "/periods/2023/units/31498/"


def fail_queries_on(table: str, error: Exception):
    """An execute wrapper: every query naming `table` fails with `error`."""

    def wrapper(execute, sql, params, many, context):
        if table in sql:
            raise error
        return execute(sql, params, many, context)

    return wrapper


def fail_every_query(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_error_pages_render_without_a_database_and_show_nothing_of_the_inside(template):
    with connection.execute_wrapper(fail_every_query):
        html = loader.get_template(template).render()

    assert '<html lang="vi">' in html
    assert "thử lại" in html  # what the user should do
    assert "error-page.css" in html  # styled without inline CSS (the CSP forbids it)
    for leak in (*LEAKS, settings.SECRET_KEY):
        assert leak not in html, leak


@pytest.fixture
def editor(units, period):
    return make_user("editor", "unit_editor", "31498")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
    ids=["operational", "interface"],
)
def test_a_page_whose_queries_fail_mid_request_gives_the_maintenance_page_then_recovers(
    editor, error, caplog
):
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    # The session and the user load; then the database goes away.
    with (
        connection.execute_wrapper(fail_queries_on("assessments_", error)),
        caplog.at_level(logging.ERROR, logger="django.request"),
    ):
        response = client.get(DETAIL)

    assert_clean_error_page(response, 503)
    assert response["Cache-Control"] == "no-store"
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].exc_info[1] is error  # the operators see what happened
    assert client.get(DETAIL).status_code == 200


@pytest.mark.django_db
def test_any_other_crash_gives_the_plain_500_page(editor, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM settings")

    monkeypatch.setattr("thidua.assessments.views.score_sheet", crash)
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    assert_clean_error_page(client.get(DETAIL), 500)


@pytest.mark.django_db
def test_healthz_answers_503_json_when_every_query_fails(client):
    with connection.execute_wrapper(fail_every_query):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {"status": "error"}
    assert "refused" not in response.content.decode()


# PostgreSQL: the server really drops or refuses the connection.


def wsgi_get(path: str, cookie: str = "") -> tuple[int, dict, str]:
    """One request through Django's real WSGI handler, as gunicorn makes it.

    Unlike the test client, closing the response sends `request_finished`, which closes a
    connection that failed so the next request opens a new one.
    """
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_COOKIE": cookie}
    wsgiref.util.setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response).decode()
    finally:
        response.close()
    return started["status"], started["headers"], body


class WsgiResponse:
    """Enough of a test-client response for `assert_clean_error_page`."""

    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.content = status, headers, body.encode()

    def __getitem__(self, name):
        return self.headers[name]


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def terminate(pid: int) -> None:
    """Kill a server process from another connection and wait until it is gone."""
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params["dbname"],
        user=params.get("user"),
        host=params.get("host"),
        port=params.get("port"),
        password=params.get("password"),
        autocommit=True,
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        for _ in range(100):
            gone = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if gone.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still running")


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs a PostgreSQL server to kill or make unreachable")


@pytest.fixture
def editor_cookie(editor):
    client = Client()
    client.force_login(editor)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_server_killing_the_connection_mid_request_gives_the_maintenance_page(
    postgres, editor_cookie, monkeypatch
):
    from thidua.assessments import views

    real_score_sheet = views.score_sheet
    killed = []

    def score_sheet_after_the_server_dies(assessment, *args, **kwargs):
        # The request has read the session, the user and the assessment by now.
        killed.append(backend_pid())
        terminate(killed[-1])
        return real_score_sheet(assessment, *args, **kwargs)

    monkeypatch.setattr(views, "score_sheet", score_sheet_after_the_server_dies)
    status, headers, body = wsgi_get(DETAIL, editor_cookie)
    monkeypatch.undo()

    assert killed
    assert_clean_error_page(WsgiResponse(status, headers, body), 503)
    # Django dropped the dead connection at the end of the request; the next one reconnects.
    assert wsgi_get(DETAIL, editor_cookie)[0] == 200
    assert backend_pid() != killed[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_between_requests_is_replaced_before_the_next_one(
    postgres, editor_cookie
):
    assert wsgi_get(DETAIL, editor_cookie)[0] == 200
    kept = backend_pid()  # persistent connection (CONN_MAX_AGE), kept for the next request

    terminate(kept)  # a database restart or failover overnight

    assert wsgi_get(DETAIL, editor_cookie)[0] == 200  # the health check reconnected
    assert backend_pid() != kept


@pytest.fixture
def database_unreachable(postgres, editor_cookie):
    """The server stops answering: connections go to a port where nothing listens.

    Yields a function that brings the server back.
    """
    real_port = connection.settings_dict["PORT"]

    def connect_to(port):
        connection.close()
        connection.settings_dict["PORT"] = port

    connect_to("1")  # privileged, never a PostgreSQL server
    yield lambda: connect_to(real_port)
    connect_to(real_port)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_while_the_server_is_unreachable_pages_say_maintenance_and_healthz_says_503(
    postgres, editor_cookie, database_unreachable
):
    status, headers, body = wsgi_get(DETAIL, editor_cookie)
    assert_clean_error_page(WsgiResponse(status, headers, body), 503)

    status, headers, body = wsgi_get("/healthz")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert '"database": {"status": "error"}' in body
    assert "refused" not in body and "port" not in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_when_the_server_is_back_the_next_request_works(
    postgres, editor_cookie, database_unreachable
):
    assert wsgi_get("/healthz")[0] == 503

    database_unreachable()  # the server is back

    assert wsgi_get("/healthz")[0] == 200
    assert wsgi_get(DETAIL, editor_cookie)[0] == 200
