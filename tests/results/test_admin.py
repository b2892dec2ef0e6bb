"""Grade bands and the public switch in the administration."""

import pytest

from thidua.results.models import GradeBand, PublicResults


@pytest.mark.django_db
def test_grade_bands_are_configured_in_the_administration(client, cast, period):
    admin = cast["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/results/gradeband/add/",
        {"period": period.pk, "name": "Xuất sắc", "min_total": "90"},
    )
    assert response.status_code == 302
    assert GradeBand.objects.get(period=period).min_total == 90
    assert client.get("/admin/results/gradeband/").status_code == 200


@pytest.mark.django_db
def test_switching_the_public_page_in_the_administration_records_who(client, cast, period):
    admin = cast["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/results/publicresults/add/", {"period": period.pk, "enabled": "on"}
    )
    assert response.status_code == 302
    switch = PublicResults.objects.get(period=period)
    assert switch.enabled and switch.enabled_by == admin and switch.enabled_at
    assert client.get("/admin/results/publicresults/").status_code == 200
