"""Evidence on S3-compatible object storage, against a real server process.

`.ci/run` starts moto's standalone S3 server and sets THIDUA_TEST_S3_ENDPOINT; `make test`
skips these only where no such server was given (and says so); with THIDUA_REQUIRE_S3 set
a missing endpoint fails instead.
"""

import hashlib
import os
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.assessments.cast import make_cast
from thidua.assessments.access import get_assessment_for_user
from thidua.evidence.services import store_evidence

ENDPOINT = os.environ.get("THIDUA_TEST_S3_ENDPOINT", "")
if not ENDPOINT and os.environ.get("THIDUA_REQUIRE_S3"):
    raise RuntimeError("THIDUA_REQUIRE_S3 is set but THIDUA_TEST_S3_ENDPOINT is not")
pytestmark = [
    pytest.mark.s3,
    pytest.mark.skipif(not ENDPOINT, reason="no S3 server (set THIDUA_TEST_S3_ENDPOINT)"),
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def bucket(monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"thidua-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": ENDPOINT,
                "region_name": "us-east-1",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client, name


@pytest.mark.django_db
def test_evidence_is_stored_in_the_bucket_and_downloaded_through_the_checked_view(
    client, units, period, bucket
):
    s3, name = bucket
    cast = make_cast()
    access = get_assessment_for_user(cast["editor"], "2023", "31498", create=True)
    content = PDF + b"s3"

    evidence = store_evidence(
        access=access,
        criterion_code="X01",
        uploaded_file=SimpleUploadedFile("kế hoạch.pdf", content, "application/pdf"),
        user=cast["editor"],
    )

    head = s3.head_object(Bucket=name, Key=evidence.file.name)
    assert head["ContentLength"] == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    client.force_login(cast["district"])
    response = client.get(reverse("evidence:download", args=[evidence.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    client.force_login(cast["other_district"])
    assert client.get(reverse("evidence:download", args=[evidence.uuid])).status_code == 404


@pytest.mark.django_db
def test_two_uploads_with_the_same_name_are_two_objects(units, period, bucket):
    s3, name = bucket
    cast = make_cast()
    access = get_assessment_for_user(cast["editor"], "2023", "31498", create=True)
    stored = [
        store_evidence(
            access=access,
            criterion_code="X01",
            uploaded_file=SimpleUploadedFile("a.pdf", PDF + bytes([i]), "application/pdf"),
            user=cast["editor"],
        )
        for i in range(2)
    ]
    assert stored[0].file.name != stored[1].file.name
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=name)["Contents"]}
    assert {e.file.name for e in stored} <= keys
    assert default_storage.exists(stored[0].file.name)


@pytest.mark.django_db
def test_the_health_check_reaches_the_bucket(client, bucket):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"]["status"] == "ok"
