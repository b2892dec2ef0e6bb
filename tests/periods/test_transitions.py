import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.assessments.cast import make_cast
from tests.explanations.stages import finalized, move_period
from thidua.assessments.models import Assessment
from thidua.explanations.models import Explanation
from thidua.periods import transitions
from thidua.periods.models import Extension, Period
from thidua.periods.transitions import TransitionRefused
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db

AFTER_DEADLINE = datetime.datetime.fromisoformat("2023-12-20 09:00:00+07:00")
BEFORE_DEADLINE = datetime.datetime.fromisoformat("2023-12-10 09:00:00+07:00")
UNTIL = datetime.date(2023, 12, 30)
AFTER_WINDOW = datetime.datetime.fromisoformat("2023-12-31 09:00:00+07:00")

MANAGERS = ["province", "admin"]
OTHERS = ["editor", "head", "district", "awards", "viewer", "outsider"]


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def phuong5(cast, period):
    return Assessment.objects.create(period=period, unit=Unit.objects.get(code="31498"))


def call(name, period, user, **kwargs):
    """Call a transition with the arguments it needs to succeed when its conditions hold."""
    until = kwargs.pop("until", UNTIL)
    if name == "publish_preliminary":
        return transitions.publish_preliminary(period, user, until, **kwargs)
    return getattr(transitions, name)(period, user, **kwargs)


def last_change(period):
    # Not `history.first()`: the period was created at the real time, after the travelled one.
    return period.history.order_by("-history_id").first()


STEPS = [
    ("start_review", Period.State.OPEN, Period.State.REVIEWING, AFTER_DEADLINE),
    ("publish_preliminary", Period.State.REVIEWING, Period.State.PUBLISHED, AFTER_DEADLINE),
    ("finalize_period", Period.State.PUBLISHED, Period.State.FINAL, AFTER_WINDOW),
    ("archive", Period.State.FINAL, Period.State.ARCHIVED, AFTER_WINDOW),
]


@pytest.mark.parametrize("who", MANAGERS)
@pytest.mark.parametrize(("name", "source", "target", "moment"), STEPS)
def test_managers_make_every_allowed_change(cast, period, who, name, source, target, moment):
    move_period(period, source, explanation_until=UNTIL if source == "published" else None)
    with time_machine.travel(moment, tick=False):
        call(name, period, cast[who])
    period.refresh_from_db()
    assert period.state == target
    record = last_change(period)
    assert record.state == target
    assert record.history_user == cast[who]
    assert record.history_change_reason == name


@pytest.mark.parametrize("who", OTHERS)
@pytest.mark.parametrize(("name", "source", "target", "moment"), STEPS)
def test_nobody_else_changes_the_period(cast, period, who, name, source, target, moment):
    move_period(period, source, explanation_until=UNTIL if source == "published" else None)
    with time_machine.travel(moment, tick=False), pytest.raises(PermissionDenied):
        call(name, period, cast[who])
    period.refresh_from_db()
    assert period.state == source


INVALID = [
    (name, state) for name, source, _, _ in STEPS for state in Period.State if state != source
]


@pytest.mark.parametrize(("name", "state"), INVALID)
@time_machine.travel(AFTER_WINDOW, tick=False)
def test_every_other_change_is_refused_with_a_message(cast, period, name, state):
    move_period(period, state, explanation_until=UNTIL)

    with pytest.raises(TransitionRefused, match=r"^Không thể .*đang ở trạng thái «") as refused:
        call(name, period, cast["province"], until=datetime.date(2024, 1, 10))

    assert "chỉ chuyển được từ trạng thái «" in refused.value.message
    period.refresh_from_db()
    assert period.state == state


# start_review ---------------------------------------------------------------------------


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_review_before_the_deadline_needs_force_and_a_reason(cast, period):
    with pytest.raises(TransitionRefused, match="cần xác nhận") as refused:
        transitions.start_review(period, cast["province"])
    assert refused.value.problems == [
        "Hạn nộp (15/12/2023) chưa qua: đơn vị vẫn có thể nộp bản tự đánh giá."
    ]
    with pytest.raises(TransitionRefused, match="cần ghi lý do"):
        transitions.start_review(period, cast["province"], force=True, reason="  ")

    transitions.start_review(
        period, cast["province"], force=True, reason="Mọi đơn vị đã nộp trước hạn"
    )

    assert period.state == Period.State.REVIEWING
    assert last_change(period).history_change_reason == (
        "start_review: Mọi đơn vị đã nộp trước hạn"
    )


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_a_running_extension_also_holds_the_review_back(cast, period):
    Extension.objects.create(
        period=period,
        unit=Unit.objects.get(code="31498"),
        until=datetime.date(2023, 12, 22),
        reason="Mất điện",
        granted_by=cast["admin"],
    )
    with pytest.raises(TransitionRefused) as refused:
        transitions.start_review(period, cast["admin"])
    assert refused.value.problems == [
        "Phường 5 (Thành phố Sóc Trăng) được gia hạn nộp đến 22/12/2023."
    ]


# publish_preliminary --------------------------------------------------------------------


@time_machine.travel(AFTER_DEADLINE, tick=False)
@pytest.mark.parametrize(
    ("until", "message"),
    [
        (None, "Cần chọn hạn cuối nhận giải trình."),
        (datetime.date(2023, 12, 19), "Hạn cuối nhận giải trình (19/12/2023) đã qua"),
    ],
)
def test_publishing_needs_an_explanation_window_from_today(cast, period, until, message):
    move_period(period, Period.State.REVIEWING)
    with pytest.raises(TransitionRefused) as refused:
        transitions.publish_preliminary(period, cast["province"], until)
    assert refused.value.problems[0].startswith(message)
    transitions.publish_preliminary(period, cast["province"], datetime.date(2023, 12, 20))
    assert period.explanation_until == datetime.date(2023, 12, 20)


@time_machine.travel(AFTER_DEADLINE, tick=False)
@pytest.mark.parametrize("state", [Assessment.State.SUBMITTED, Assessment.State.VERIFIED])
def test_publishing_waits_for_every_submitted_assessment_to_be_finalized(
    cast, period, phuong5, state
):
    Assessment.objects.filter(pk=phuong5.pk).update(state=state)
    Assessment.objects.create(period=period, unit=Unit.objects.get(code="31501"))  # a draft
    move_period(period, Period.State.REVIEWING)

    with pytest.raises(TransitionRefused) as refused:
        transitions.publish_preliminary(period, cast["province"], UNTIL)

    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith(
        "Phường 5 (Thành phố Sóc Trăng): bản đánh giá chưa được chốt"
    )
    period.refresh_from_db()
    assert period.state == Period.State.REVIEWING


@pytest.mark.django_db(transaction=True)
@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_publishing_mails_each_unit_its_preliminary_total_and_the_deadline(
    cast, period, phuong5, mailoutbox
):
    cast["editor"].email = "editor@soctrang.gov.vn"
    cast["editor"].save()
    cast["other_editor"].email = "other@soctrang.gov.vn"
    cast["other_editor"].save()
    finalized(phuong5, cast["editor"])
    Assessment.objects.create(period=period, unit=Unit.objects.get(code="31501"))  # never sent
    move_period(period, Period.State.REVIEWING)

    transitions.publish_preliminary(period, cast["province"], UNTIL)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["editor@soctrang.gov.vn"]
    assert "Kết quả sơ bộ" in mail.subject
    assert "Tổng điểm sơ bộ của Phường 5 (Thành phố Sóc Trăng):" in mail.body
    assert "đến hết ngày 30/12/2023" in mail.body


# finalize_period ------------------------------------------------------------------------


@pytest.fixture
def published(cast, period, phuong5):
    finalized(phuong5, cast["editor"])
    return move_period(period, Period.State.PUBLISHED, explanation_until=UNTIL)


def test_finalizing_waits_for_every_explanation_to_be_answered(cast, published, phuong5):
    explanation = Explanation.objects.create(
        assessment=phuong5, criterion_code="X03", text="75%", filed_by=cast["editor"]
    )
    with time_machine.travel(AFTER_WINDOW, tick=False):
        with pytest.raises(TransitionRefused) as refused:
            transitions.finalize_period(published, cast["province"], force=True, reason="Gấp")
        assert refused.value.problems == [
            "Phường 5 (Thành phố Sóc Trăng) · X03: giải trình chưa được trả lời."
        ]
        Explanation.objects.filter(pk=explanation.pk).update(status=Explanation.Status.REJECTED)
        transitions.finalize_period(published, cast["province"])
    assert published.state == Period.State.FINAL


@time_machine.travel(datetime.datetime.fromisoformat("2023-12-30 23:00:00+07:00"), tick=False)
def test_finalizing_inside_the_window_needs_force_and_a_reason(cast, published):
    with pytest.raises(TransitionRefused, match="cần xác nhận") as refused:
        transitions.finalize_period(published, cast["province"])
    assert "đến hết ngày 30/12/2023" in refused.value.problems[0]
    with pytest.raises(TransitionRefused, match="cần ghi lý do"):
        transitions.finalize_period(published, cast["province"], force=True)

    transitions.finalize_period(
        published, cast["province"], force=True, reason="Các đơn vị xác nhận không giải trình"
    )

    assert published.state == Period.State.FINAL
    assert "Các đơn vị xác nhận" in last_change(published).history_change_reason


@pytest.mark.django_db(transaction=True)
@time_machine.travel(AFTER_WINDOW, tick=False)
def test_finalizing_mails_each_unit_its_final_total(cast, published, mailoutbox):
    Unit.objects.filter(code="31498").update(email="phuong5@soctrang.gov.vn")

    transitions.finalize_period(published, cast["admin"])

    assert [m.to for m in mailoutbox] == [["phuong5@soctrang.gov.vn"]]
    assert "Kết quả chính thức" in mailoutbox[0].subject
    assert "Tổng điểm của Phường 5 (Thành phố Sóc Trăng):" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_a_refused_change_mails_nobody(cast, period, phuong5, mailoutbox):
    Unit.objects.filter(code="31498").update(email="phuong5@soctrang.gov.vn")
    finalized(phuong5, cast["editor"])
    move_period(period, Period.State.REVIEWING)
    with pytest.raises(TransitionRefused):
        transitions.publish_preliminary(period, cast["province"], datetime.date(2023, 12, 1))
    assert mailoutbox == []


# The management page --------------------------------------------------------------------

PAGE_STATUS = dict.fromkeys([*OTHERS, "other_editor", "other_district"], 403)
PAGE_STATUS |= {"province": 200, "admin": 200, "anonymous": "login"}


def login(client, cast, who):
    if who != "anonymous":
        client.force_login(cast[who])


def check(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), PAGE_STATUS.items())
@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_the_management_page_per_role(client, cast, period, who, expected):
    login(client, cast, who)
    response = client.get(reverse("explanations:period", args=["2023"]))
    check(response, expected)
    if expected == 200:
        html = response.content.decode()
        assert reverse("explanations:transition", args=["2023", "start_review"]) in html


TRANSITION_STATUS = {who: (302 if code == 200 else code) for who, code in PAGE_STATUS.items()}


@pytest.mark.parametrize(("who", "expected"), TRANSITION_STATUS.items())
@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_the_transition_endpoint_per_role(client, cast, period, who, expected):
    login(client, cast, who)
    response = client.post(reverse("explanations:transition", args=["2023", "start_review"]))
    check(response, expected)
    period.refresh_from_db()
    assert (period.state == Period.State.REVIEWING) is (expected == 302)


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_the_page_lists_what_stands_in_the_way(client, cast, period, phuong5):
    Assessment.objects.filter(pk=phuong5.pk).update(state=Assessment.State.SUBMITTED)
    move_period(period, Period.State.REVIEWING)
    client.force_login(cast["province"])

    html = client.get(reverse("explanations:period", args=["2023"])).content.decode()

    assert "Phường 5 (Thành phố Sóc Trăng): bản đánh giá chưa được chốt" in html
    assert reverse("explanations:transition", args=["2023", "publish_preliminary"]) not in html


@time_machine.travel(AFTER_DEADLINE, tick=False)
def test_publishing_through_the_page(client, cast, period):
    move_period(period, Period.State.REVIEWING)
    client.force_login(cast["province"])
    url = reverse("explanations:transition", args=["2023", "publish_preliminary"])

    refused = client.post(url, {"explanation_until": "2023-12-01"}, follow=True)
    assert "Hạn cuối nhận giải trình (01/12/2023) đã qua" in refused.content.decode()
    client.post(url, {"explanation_until": "2023-12-30"})

    period.refresh_from_db()
    assert period.state == Period.State.PUBLISHED
    assert period.explanation_until == UNTIL


@time_machine.travel(BEFORE_DEADLINE, tick=False)
def test_forcing_through_the_page(client, cast, period):
    client.force_login(cast["admin"])
    url = reverse("explanations:transition", args=["2023", "start_review"])

    client.post(url, {"force": "on"})
    period.refresh_from_db()
    assert period.state == Period.State.OPEN

    client.post(url, {"force": "on", "reason": "Đủ bản đánh giá"})
    period.refresh_from_db()
    assert period.state == Period.State.REVIEWING


def test_unknown_period_or_change_is_404(client, cast, period):
    client.force_login(cast["province"])
    assert client.get(reverse("explanations:period", args=["1999"])).status_code == 404
    assert (
        client.post(reverse("explanations:transition", args=["2023", "reopen"])).status_code == 404
    )
