import pytest
from django.core.management import call_command

from thidua.assessments.models import Assessment
from thidua.reviews.models import ReviewComment, SectorAssignment


@pytest.mark.django_db
def test_the_demo_has_a_period_in_review_with_returned_verified_and_finalized_work(
    settings, capsys
):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent

    in_2023 = Assessment.objects.filter(period__code="2023")
    states = dict(in_2023.values_list("unit__code", "state"))
    assert states["31507"] == Assessment.State.VERIFIED
    assert states["SO-TTTT"] == Assessment.State.FINALIZED
    assert states["31501"] == Assessment.State.DRAFT  # returned, with comments
    assert states["VP-UBND"] == Assessment.State.SUBMITTED
    assert states["31498"] == Assessment.State.DRAFT  # still the unit's to fill
    assert (
        ReviewComment.objects.filter(
            assessment__period__code="2023", assessment__unit__code="31501"
        ).count()
        == 3
    )
    assert SectorAssignment.objects.filter(reviewer__username="congan").count() == 5
    assert "congan" in capsys.readouterr().out
