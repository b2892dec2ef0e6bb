import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from thidua.assessments.demo import DEMO_PASSWORD, DEMO_UNITS
from thidua.assessments.models import Assessment
from thidua.assessments.scores import score_sheet


@pytest.mark.django_db
def test_the_demo_gives_every_role_an_account_and_varied_scores(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent: make run may run it every time

    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for username in ("quantri", "sotttt", "huyen941", "xa31498", "truong31498", "sonoivu"):
        assert username in out
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)

    assessments = Assessment.objects.filter(period__code="2023").select_related(
        "unit__level", "period"
    )
    assert assessments.count() == len(DEMO_UNITS) >= 12
    assert {a.unit.level.code for a in assessments} == {"tinh", "huyen", "xa"}
    totals = {score_sheet(a).self_total.total for a in assessments}
    assert len(totals) >= 10  # scores differ between units


@pytest.mark.django_db
def test_the_demo_refuses_to_run_without_debug(settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
