import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from thidua.evidence.services import store_evidence

from . import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x-Strong-Pass-1")


def test_the_admin_lists_evidence_read_only_and_links_to_the_guarded_download(
    client, cast, editor_access, superuser
):
    evidence = store_evidence(
        access=editor_access,
        criterion_code="X03",
        uploaded_file=samples.upload("Kế hoạch.pdf", samples.pdf()),
        user=cast["editor"],
    )
    client.force_login(superuser)

    changelist = client.get(
        reverse("admin:evidence_evidence_changelist") + "?removed_at__isnull=True"
    )
    assert changelist.status_code == 200
    assert "Kế hoạch.pdf" in changelist.content.decode()

    change = client.get(reverse("admin:evidence_evidence_change", args=[evidence.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert reverse("evidence:download", args=[evidence.uuid]) in html
    assert "/media/" not in html
    assert 'name="_save"' not in html

    assert client.get(reverse("admin:evidence_evidence_add")).status_code == 403
    delete = reverse("admin:evidence_evidence_delete", args=[evidence.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert (
        client.get(reverse("admin:evidence_evidence_history", args=[evidence.pk])).status_code
        == 200
    )
