"""Sector assignments: what an administrator may assign, and the admin pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from thidua.reviews.access import is_reviewer, review_access
from thidua.reviews.models import ReviewComment, SectorAssignment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "code", "error_field"),
    [
        ("viewer", "X10", None),
        ("viewer", "H14", None),
        ("viewer", "Z99", "criterion_code"),
        ("province", "X10", "reviewer"),
        ("district", "X10", "reviewer"),
        ("editor", "X10", "reviewer"),
        ("outsider", "X10", "reviewer"),
    ],
)
def test_only_viewers_get_criteria_of_the_periods_set(cast, period, who, code, error_field):
    assignment = SectorAssignment(
        period=period, reviewer=cast[who], criterion_code=code, sector="Sở Công Thương"
    )
    if error_field is None:
        assignment.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            assignment.full_clean()
        assert list(error.value.message_dict) == [error_field]


@pytest.mark.django_db
def test_a_criterion_is_assigned_once_per_appraiser_and_period(cast, period):
    with pytest.raises(IntegrityError):
        SectorAssignment.objects.create(
            period=period, reviewer=cast["police"], criterion_code="X09", sector="Công an tỉnh"
        )


@pytest.mark.django_db
def test_an_assignment_turns_a_viewer_into_a_sector_appraiser_of_those_criteria_only(
    cast, period, commune
):
    assert not is_reviewer(cast["viewer"], period)
    SectorAssignment.objects.create(
        period=period, reviewer=cast["viewer"], criterion_code="X14", sector="Sở VHTT&DL"
    )
    access = review_access(cast["viewer"], commune)
    assert access.covered_codes == {"X14"}
    assert access.appraisable_codes == {"X14"}
    assert access.sectors == {"X14": "Sở VHTT&DL"}
    assert not (access.can_return or access.can_verify_district or access.can_finalize)
    assert not access.covers("")  # no comment on the whole assessment


@pytest.mark.django_db
def test_an_assignment_in_another_period_gives_nothing(cast, period, commune, criteria_version):
    from thidua.periods.services import create_period

    other = create_period(year=2024, criteria_version=criteria_version)
    SectorAssignment.objects.create(
        period=other, reviewer=cast["viewer"], criterion_code="X14", sector="Sở VHTT&DL"
    )
    assert not is_reviewer(cast["viewer"], period)


@pytest.mark.django_db
def test_the_admin_lists_assignments_and_comments_read_only(client, cast, commune):
    from thidua.reviews import services

    services.add_comment(commune, cast["province"], "X03", "Kiểm tra lại")
    cast["admin"].is_staff = cast["admin"].is_superuser = True
    cast["admin"].save()
    client.force_login(cast["admin"])
    assert client.get(reverse("admin:reviews_sectorassignment_changelist")).status_code == 200
    add = client.get(reverse("admin:reviews_sectorassignment_add")).content.decode()
    assert ">police<" in add and ">province<" not in add  # only viewers are offered
    assert client.get(reverse("admin:reviews_reviewcomment_changelist")).status_code == 200
    comment = ReviewComment.objects.get()
    change = reverse("admin:reviews_reviewcomment_change", args=[comment.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"text": "sửa"}).status_code == 403
    assert client.get(reverse("admin:reviews_reviewcomment_add")).status_code == 403
