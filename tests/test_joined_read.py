"""JoinedRead: one prepared statement returning what `select_related` returns."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection

from tests.assessments.cast import make_user
from thidua.accounts.models import Role
from thidua.assessments.models import Assessment
from thidua.joined_read import JoinedRead
from thidua.units.models import Unit

RELATED = ["period__criteria_version", "unit__level", "unit__parent", "unit__kind"]


def values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def by_codes():
    return JoinedRead(Assessment, RELATED, where='"period"."code" = %s AND "unit"."code" = %s')


@pytest.fixture
def assessment(units, period):
    return Assessment.objects.create(
        period=period,
        unit=Unit.objects.get(code="31498"),
        score_cache={"v": 1, "criteria": {"X01": ["8", "scored"]}},
        self_total=Decimal("87.125"),
    )


@pytest.mark.django_db
def test_it_returns_the_instances_select_related_returns(assessment, django_assert_num_queries):
    expected = Assessment.objects.select_related(*RELATED).get(pk=assessment.pk)
    with django_assert_num_queries(1):
        found = by_codes().first(assessment.period.code, "31498")
        # Every related object came with the row: following them asks nothing.
        related = [
            found.period,
            found.period.criteria_version,
            found.unit,
            found.unit.level,
            found.unit.parent,
            found.unit.kind,
        ]
    assert values(found) == values(expected)
    assert found.score_cache == {"v": 1, "criteria": {"X01": ["8", "scored"]}}  # JSON, decoded
    assert found.self_total == Decimal("87.125")
    assert found.created_at.tzinfo is not None
    originals = [
        expected.period,
        expected.period.criteria_version,
        expected.unit,
        expected.unit.level,
        expected.unit.parent,
        expected.unit.kind,
    ]
    assert [values(item) for item in related] == [values(item) for item in originals]
    assert found.unit.parent.code == "941"
    assert not found._state.adding and found._state.db == "default"


@pytest.mark.django_db
def test_no_match_is_none(assessment):
    assert by_codes().first(assessment.period.code, "no-such-unit") is None


@pytest.mark.django_db
def test_a_missing_optional_relation_is_cached_as_none(units, django_assert_num_queries):
    province_unit = Unit.objects.filter(parent__isnull=True).first()
    read = JoinedRead(Unit, ["parent__level", "level"], where='"root"."code" = %s')
    with django_assert_num_queries(1):
        found = read.first(province_unit.code)
        assert found.parent is None
        assert found.level.pk == province_unit.level_id


@pytest.mark.django_db
def test_a_reverse_one_to_one_comes_both_ways_or_is_known_absent(units, django_assert_num_queries):
    with_membership = make_user("canbo", Role.UNIT_EDITOR, "31498")
    without = make_user("khach")
    read = JoinedRead(User, ["membership__unit__parent"], where='"root"."id" = %s')
    with django_assert_num_queries(2):
        user = read.first(with_membership.pk)
        assert user.membership.user is user  # both sides of the one-to-one are set
        assert user.membership.unit.parent.code == "941"
        lone = read.first(without.pk)
        with pytest.raises(User.membership.RelatedObjectDoesNotExist):
            lone.membership  # noqa: B018 — known absent, not looked up again


def test_it_refuses_relations_that_are_not_one_row():
    with pytest.raises(ValueError, match="entries"):
        JoinedRead(Assessment, ["entries"], where="TRUE")._statement  # noqa: B018


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_prepares_the_statement_once_per_connection(assessment):
    if connection.vendor != "postgresql":
        pytest.fail("the postgres suite runs on PostgreSQL (DATABASE_URL)")
    read = by_codes()
    for _ in range(6):  # psycopg prepares a statement from its fifth run on a connection
        assert read.first(assessment.period.code, "31498").pk == assessment.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "assessments_assessment" "root"%'],
        )
        assert cursor.fetchone()[0] == 1
