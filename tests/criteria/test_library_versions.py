import copy

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from thidua import scoring
from thidua.criteria.models import CriteriaSet, CriteriaSetVersion, Criterion
from thidua.criteria.services import (
    LibraryAlreadyLoaded,
    copy_version,
    load_library,
    publish_version,
    scoring_library,
)


@pytest.mark.django_db
def test_it_loads_the_2435_library_with_16_15_14_criteria(capsys):
    call_command("load_library", settings.THIDUA_DEFAULT_LIBRARY)

    version = CriteriaSetVersion.objects.get()
    assert version.status == CriteriaSetVersion.Status.PUBLISHED
    assert version.decision == "2435/QĐ-UBND"
    counts = {level.code: level.criteria.count() for level in version.levels.all()}
    assert counts == {"tinh": 16, "huyen": 15, "xa": 14}
    for level in version.levels.all():
        assert sum(c.points for c in level.criteria.all()) == 100
    unconfirmed = set(
        Criterion.objects.filter(points_confirmed=False).values_list("code", flat=True)
    )
    assert {"T01", "T06", "T07", "T09", "T10", "T13", "T15", "T16"} <= unconfirmed
    assert {"T02", "T03", "T04", "H02", "X03"}.isdisjoint(unconfirmed)
    assert all(c.source_note for c in Criterion.objects.filter(points_confirmed=False))
    assert "tinh: 16" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_refuses_to_load_the_same_version_twice_unless_asked_if_absent(library_data):
    load_library(library_data)
    with pytest.raises(LibraryAlreadyLoaded):
        load_library(library_data)
    with pytest.raises(CommandError, match="đã được nạp"):
        call_command("load_library", settings.THIDUA_DEFAULT_LIBRARY)
    call_command("load_library", settings.THIDUA_DEFAULT_LIBRARY, "--if-absent")
    assert CriteriaSetVersion.objects.count() == 1


@pytest.mark.django_db
def test_it_writes_nothing_from_a_library_that_does_not_validate(library_data, tmp_path):
    broken = copy.deepcopy(library_data)
    broken["levels"][1]["criteria"][3]["points"] = 9  # H04: the level now totals 99
    broken["levels"][2]["criteria"][0]["kind"] = "no_such_kind"

    with pytest.raises(scoring.LibraryError) as caught:
        load_library(broken)

    text = "\n".join(caught.value.problems)
    assert "huyen" in text and "99" in text
    assert "X01" in text and "no_such_kind" in text
    assert CriteriaSet.objects.count() == 0
    assert Criterion.objects.count() == 0


@pytest.mark.django_db
def test_a_published_version_cannot_be_changed(criteria_version):
    criterion = Criterion.objects.get(level__version=criteria_version, code="T01")
    criterion.points = 9
    with pytest.raises(ValidationError):
        criterion.save()
    with pytest.raises(ValidationError):
        criterion.delete()
    criterion.refresh_from_db()
    assert criterion.points == 8


@pytest.mark.django_db
def test_a_new_version_starts_as_an_editable_copy_and_publishes_only_if_valid(criteria_version):
    draft = copy_version(criteria_version, "2024.1", 2024)
    assert draft.status == CriteriaSetVersion.Status.DRAFT
    assert draft.copied_from == criteria_version
    assert Criterion.objects.filter(level__version=draft).count() == 45

    # An administrator confirms T01 at 9 points: the level no longer totals 100.
    t01 = Criterion.objects.get(level__version=draft, code="T01")
    t01.points = 9
    t01.points_confirmed = True
    t01.save()
    with pytest.raises(scoring.LibraryError, match="tinh"):
        publish_version(draft)
    draft.refresh_from_db()
    assert draft.status == CriteriaSetVersion.Status.DRAFT

    # ... and lowers T16 to 4, restoring the total.
    t16 = Criterion.objects.get(level__version=draft, code="T16")
    t16.points = 4
    t16.save()
    publish_version(draft)
    draft.refresh_from_db()
    assert draft.status == CriteriaSetVersion.Status.PUBLISHED
    library = scoring_library(draft)
    assert next(c for c in library.levels[0].criteria if c.code == "T01").points == 9
    # The original stays as it was.
    assert Criterion.objects.get(level__version=criteria_version, code="T01").points == 8
