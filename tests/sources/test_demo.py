"""The demo imports the documented example file (docs/examples/cong-dvc-2023.csv)."""

import pytest
from django.contrib.auth.models import User

from thidua.assessments.demo import DEMO_UNITS, create_demo_users, fill_demo_assessments
from thidua.assessments.models import Assessment
from thidua.sources.demo import DEMO_FILE, DEMO_SOURCE, import_demo_source_data
from thidua.sources.models import SourceImport

from .helpers import entry


@pytest.mark.django_db
def test_it_imports_the_example_file_once_for_the_demo(units, period):
    create_demo_users()
    admin = User.objects.get(username="quantri")
    fill_demo_assessments(period, admin)
    reviewer = User.objects.get(username="sotttt")

    applied = import_demo_source_data(period, reviewer)

    assert applied.status == SourceImport.Status.APPLIED and applied.source == DEMO_SOURCE
    rows = DEMO_FILE.read_text(encoding="utf-8").strip().splitlines()
    assert applied.row_count == len(rows) - 1 >= 25
    codes = {code for _, _, _, code, _ in applied.rows}
    assert codes == {"T03", "T08", "T14", "H08", "X06", "X12"}
    assert applied.discrepancy_count >= 3  # the demo shows flagged units
    assert entry("SO-TTTT", "T08").verified_source == DEMO_SOURCE
    never_filled = entry("31498", "X12")
    assert never_filled.self_inputs is None and never_filled.verified_source == DEMO_SOURCE
    # The demo's units only: no assessment is created for a unit outside the demo.
    assert Assessment.objects.filter(period=period).count() == len(DEMO_UNITS)
    assert import_demo_source_data(period, reviewer) == applied
    assert SourceImport.objects.count() == 1


@pytest.mark.django_db
def test_it_leaves_out_units_finalized_on_a_demo_database_reviewed_earlier(units, period):
    create_demo_users()
    fill_demo_assessments(period, User.objects.get(username="quantri"))
    Assessment.objects.filter(unit__code="SO-TTTT").update(state=Assessment.State.FINALIZED)
    applied = import_demo_source_data(period, User.objects.get(username="sotttt"))
    assert "SO-TTTT" not in {unit_code for _, _, unit_code, _, _ in applied.rows}
    assert entry("SO-TTTT", "T08").verified_inputs is None
