"""The review's state machine, through the services: every transition from every state, by
every role. `ok:<state>` moved the assessment; `refused` raised a Vietnamese message;
`forbidden` is a 403 (role); `404` is out of the caller's scope."""

import pytest
from django.db import transaction
from django.http import Http404

from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.reviews import services
from thidua.reviews.access import ReviewForbidden

State = Assessment.State

ACTIONS = {
    "return": lambda a, user: services.return_assessment(a, user, {"X03": "Thiếu minh chứng"}),
    "verify": services.verify_by_district,
    "finalize": services.finalize,
    "reopen": lambda a, user: services.reopen(a, user, "Số liệu VNeID được cập nhật"),
}

# (state the commune is in, action, who) → outcome
TABLE = [
    ("submitted", "return", "province", "ok:draft"),
    ("submitted", "return", "district", "ok:draft"),
    ("submitted", "return", "other_district", "404"),
    ("submitted", "return", "police", "forbidden"),
    ("submitted", "return", "admin", "forbidden"),
    ("submitted", "return", "head", "404"),
    ("submitted", "return", "awards", "404"),
    ("submitted", "verify", "district", "ok:verified"),
    ("submitted", "verify", "other_district", "404"),
    ("submitted", "verify", "province", "forbidden"),
    ("submitted", "verify", "police", "forbidden"),
    ("submitted", "verify", "admin", "forbidden"),
    ("submitted", "finalize", "province", "ok:finalized"),
    ("submitted", "finalize", "district", "forbidden"),
    ("submitted", "finalize", "police", "forbidden"),
    ("submitted", "finalize", "admin", "forbidden"),
    ("submitted", "finalize", "viewer", "404"),
    ("submitted", "reopen", "province", "refused"),
    ("submitted", "reopen", "district", "forbidden"),
    ("verified", "return", "province", "ok:draft"),
    ("verified", "return", "district", "refused"),
    ("verified", "verify", "district", "refused"),
    ("verified", "finalize", "province", "ok:finalized"),
    ("verified", "finalize", "district", "forbidden"),
    ("verified", "reopen", "province", "refused"),
    ("finalized", "return", "province", "refused"),
    ("finalized", "return", "district", "refused"),
    ("finalized", "verify", "district", "refused"),
    ("finalized", "finalize", "province", "refused"),
    ("finalized", "reopen", "province", "ok:submitted"),
    ("finalized", "reopen", "district", "forbidden"),
    ("finalized", "reopen", "police", "forbidden"),
    ("finalized", "reopen", "outsider", "404"),
    ("draft", "return", "province", "refused"),
    ("draft", "verify", "district", "refused"),
    ("draft", "finalize", "province", "refused"),
    ("draft", "reopen", "province", "refused"),
    ("returned", "return", "province", "refused"),
    ("returned", "verify", "district", "refused"),
    ("returned", "finalize", "province", "refused"),
]


@pytest.fixture
def decided(cast, commune):
    """The commune with a decision on every criterion (so verify and finalize may pass)."""
    services.accept_all_remaining(commune, cast["province"])
    return commune


def put_in(assessment, state):
    if state == "draft":
        Assessment.objects.filter(pk=assessment.pk).update(state=State.DRAFT, submitted_at=None)
    elif state == "returned":
        Assessment.objects.filter(pk=assessment.pk).update(state=State.DRAFT)
    else:
        Assessment.objects.filter(pk=assessment.pk).update(state=state)
    assessment.refresh_from_db()


def attempt(assessment, state, action, user) -> str:
    """The outcome of one transition attempt, in the table's words."""
    put_in(assessment, state)
    try:
        ACTIONS[action](assessment, user)
    except services.ReviewRefused:
        outcome = "refused"
    except ReviewForbidden:
        outcome = "forbidden"
    except Http404:
        outcome = "404"
    else:
        assessment.refresh_from_db()
        record = assessment.history.first()
        assert record.history_user == user
        assert record.history_change_reason.startswith(action)
        return f"ok:{assessment.state}"
    assessment.refresh_from_db()
    assert assessment.state == ("draft" if state == "returned" else state)
    return outcome


@pytest.mark.django_db
def test_it_allows_exactly_the_transitions_of_the_workflow(cast, decided):
    outcomes = {}
    for state, action, who, _ in TABLE:
        # Every attempt starts from the same decided commune: its changes are rolled back.
        with transaction.atomic():
            outcomes[state, action, who] = attempt(decided, state, action, cast[who])
            transaction.set_rollback(True)
    assert outcomes == {(state, action, who): outcome for state, action, who, outcome in TABLE}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "who", "outcome"),
    [("agency", "district", Http404), ("agency", "province", ReviewForbidden)],
)
def test_only_communes_are_verified_by_a_district(cast, agency, unit, who, outcome):
    with pytest.raises(outcome):
        services.verify_by_district(agency, cast[who])


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["verify", "finalize"])
def test_verify_and_finalize_need_a_decision_on_every_criterion(cast, commune, action):
    services.accept_criterion(commune, cast["district"], "X03")
    who = cast["district"] if action == "verify" else cast["province"]

    with pytest.raises(services.ReviewRefused) as refused:
        ACTIONS[action](commune, who)

    assert "X01: chưa thẩm định" in str(refused.value)
    assert "X03" not in str(refused.value)
    commune.refresh_from_db()
    assert commune.state == State.SUBMITTED


@pytest.mark.django_db
def test_finalizing_a_commune_the_district_has_not_verified_is_recorded(cast, decided):
    services.finalize(decided, cast["province"])
    assert "chưa được huyện xác minh" in decided.history.first().history_change_reason


@pytest.mark.django_db
def test_reopening_needs_a_reason(cast, decided):
    put_in(decided, "finalized")
    with pytest.raises(services.ReasonRequired):
        services.reopen(decided, cast["province"], "  ")
    decided.refresh_from_db()
    assert decided.state == State.FINALIZED


@pytest.mark.django_db
def test_a_return_needs_at_least_one_comment(cast, commune):
    with pytest.raises(services.ReviewRefused, match="ít nhất một ý kiến"):
        services.return_assessment(commune, cast["province"], {"X03": "  "}, "")
    commune.refresh_from_db()
    assert commune.state == State.SUBMITTED


@pytest.mark.django_db
def test_unresolved_comments_written_before_count_for_a_return(cast, commune):
    services.add_comment(commune, cast["district"], "X05", "Danh sách tài khoản chưa đủ")
    services.return_assessment(commune, cast["district"])
    commune.refresh_from_db()
    assert commune.state == State.DRAFT


@pytest.mark.django_db
def test_a_return_refuses_criteria_of_another_level(cast, commune):
    with pytest.raises(services.ReviewRefused, match="T01"):
        services.return_assessment(commune, cast["province"], {"T01": "?"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period_state", "action", "outcome"),
    [
        ("reviewing", "return", "refused"),
        ("reviewing", "finalize", "ok:finalized"),
        ("published", "finalize", "refused"),
        ("published", "return", "refused"),
        ("final", "finalize", "refused"),
    ],
)
def test_the_period_state_bounds_the_review(cast, decided, period, period_state, action, outcome):
    Period.objects.filter(pk=period.pk).update(state=period_state)
    decided.refresh_from_db()
    if outcome == "refused":
        with pytest.raises(services.ReviewRefused):
            ACTIONS[action](decided, cast["province"])
    else:
        ACTIONS[action](decided, cast["province"])
        decided.refresh_from_db()
        assert decided.state == outcome.removeprefix("ok:")
