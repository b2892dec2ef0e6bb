"""What a user may see when the server fails: our Vietnamese page, and nothing of the inside."""

from django.conf import settings

HEADINGS = {
    500: "Hệ thống đang gặp sự cố",
    503: "Hệ thống đang bảo trì, vui lòng thử lại sau",
}
# Pieces of a debug page, an exception or the configuration that must never reach a user.
LEAKS = (
    "Traceback",
    'File "',
    "Error",  # any exception class name: OperationalError, RuntimeError…
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "DATABASES",
    "SECRET_KEY",
    "postgres://",
    "sqlite",
)


def assert_clean_error_page(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert HEADINGS[status] in html
    assert '<html lang="vi">' in html
    for leak in (*LEAKS, settings.SECRET_KEY, str(settings.BASE_DIR)):
        assert leak not in html, leak
    if status == 503:
        assert int(response["Retry-After"]) > 0
    return html
