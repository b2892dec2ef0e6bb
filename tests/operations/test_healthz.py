import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_reports_ok_when_the_database_and_storage_answer(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"


@pytest.mark.django_db
def test_it_reports_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "error"}
    assert "refused" not in response.content.decode()


@pytest.mark.django_db
def test_it_reports_503_when_the_storage_fails(client, monkeypatch):
    def broken_exists(self, name):
        raise OSError("bucket unreachable")

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage.exists", broken_exists)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"status": "error"}
