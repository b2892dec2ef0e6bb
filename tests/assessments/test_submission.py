import datetime

import pytest
import time_machine
from django.urls import reverse

from thidua.assessments.models import Assessment
from thidua.assessments.submission import SubmissionRefused, submit_assessment
from thidua.periods.models import Extension
from thidua.units.models import Unit

from .cast import make_cast
from .fill import fill_assessment

ON_TIME = datetime.datetime.fromisoformat("2023-12-10 09:00:00+07:00")


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def assessment(cast, period):
    return Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))


@pytest.fixture
def other_assessment(cast, period):
    return Assessment.objects.create(period=period, unit=Unit.objects.get(code="31501"))


def submit_url(unit_code="31498"):
    return reverse("assessments:submit", args=["2023", unit_code])


@pytest.mark.django_db
@time_machine.travel(ON_TIME, tick=False)
def test_the_head_submits_a_complete_assessment_which_becomes_read_only(client, cast, assessment):
    fill_assessment(assessment, cast["editor"])
    client.force_login(cast["head"])

    response = client.post(submit_url())

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.submitted_by == cast["head"]
    assert assessment.submitted_late is False
    client.force_login(cast["editor"])
    save = reverse("assessments:save", args=["2023", "31498", "X03"])
    assert client.post(save, {"X03-rate": "10"}).status_code == 403


@pytest.mark.django_db
@time_machine.travel(ON_TIME, tick=False)
def test_an_editor_cannot_submit(client, cast, assessment):
    fill_assessment(assessment, cast["editor"])
    client.force_login(cast["editor"])
    assert client.post(submit_url()).status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["district", "province", "viewer", "admin"])
@time_machine.travel(ON_TIME, tick=False)
def test_reviewers_and_others_cannot_submit_for_the_unit(client, cast, assessment, who):
    fill_assessment(assessment, cast["editor"])
    client.force_login(cast[who])
    assert client.post(submit_url()).status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT


@pytest.mark.django_db
@time_machine.travel(ON_TIME, tick=False)
def test_it_lists_what_is_missing_and_refuses(cast, assessment):
    fill_assessment(assessment, cast["editor"], skip={"X03"})
    assessment.evidence.filter(criterion_code="X05").delete()

    with pytest.raises(SubmissionRefused) as refused:
        submit_assessment(assessment=assessment, user=cast["head"])

    assert "X03: chưa nhập đủ số liệu, chưa có tài liệu minh chứng" in refused.value.problems
    assert "X05: chưa có tài liệu minh chứng" in refused.value.problems
    assert len(refused.value.problems) == 2
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("2023-12-15 23:59:59+07:00", True),
        ("2023-12-16 00:00:00+07:00", False),
    ],
)
def test_the_deadline_is_the_end_of_15_december_in_ho_chi_minh(cast, assessment, moment, accepted):
    fill_assessment(assessment, cast["editor"])
    with time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False):
        if accepted:
            submit_assessment(assessment=assessment, user=cast["head"])
        else:
            with pytest.raises(SubmissionRefused, match="quá hạn"):
                submit_assessment(assessment=assessment, user=cast["head"])
    assessment.refresh_from_db()
    assert (assessment.state == Assessment.State.SUBMITTED) is accepted


@pytest.mark.django_db
def test_an_extension_lets_exactly_that_unit_submit_late(
    cast, period, assessment, other_assessment
):
    fill_assessment(assessment, cast["editor"])
    fill_assessment(other_assessment, cast["other_editor"])
    Extension.objects.create(
        period=period,
        unit=assessment.unit,
        until=datetime.date(2023, 12, 22),
        reason="Mất điện kéo dài, hệ thống QLVB ngừng hoạt động 5 ngày",
        granted_by=cast["admin"],
    )

    with time_machine.travel(datetime.datetime.fromisoformat("2023-12-20 10:00+07:00")):
        submit_assessment(assessment=assessment, user=cast["head"])
        with pytest.raises(SubmissionRefused, match="quá hạn"):
            submit_assessment(assessment=other_assessment, user=cast["other_head"])

    assessment.refresh_from_db()
    other_assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.submitted_late is True
    assert other_assessment.state == Assessment.State.DRAFT


@pytest.mark.django_db
@time_machine.travel(ON_TIME, tick=False)
def test_the_history_shows_who_changed_what_from_what_to_what(client, cast, assessment):
    from thidua.assessments.services import save_self_inputs

    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "40"}, user=cast["editor"]
    )
    save_self_inputs(
        assessment=assessment, criterion_code="X03", inputs={"rate": "55"}, user=cast["head"]
    )
    client.force_login(cast["district"])

    html = client.get(reverse("assessments:history", args=["2023", "31498"])).content.decode()

    assert "Tiêu chí X03" in html
    assert "Head" in html and "Editor" in html
    assert '{"rate": "40"}' in html.replace("&quot;", '"')
    assert '{"rate": "55"}' in html.replace("&quot;", '"')


@pytest.mark.django_db(transaction=True)
@time_machine.travel(ON_TIME, tick=False)
def test_reviewers_of_the_commune_are_mailed_when_it_submits(cast, assessment, mailoutbox):
    for who in ("district", "other_district", "province"):
        cast[who].email = f"{who}@soctrang.gov.vn"
        cast[who].save()
    fill_assessment(assessment, cast["editor"])

    submit_assessment(assessment=assessment, user=cast["head"])

    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["district@soctrang.gov.vn", "province@soctrang.gov.vn"]
    assert "Phường 5" in mailoutbox[0].subject
