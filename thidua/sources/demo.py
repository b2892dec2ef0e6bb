"""Demo data: the example export of the public-service portal (Cổng DVC tỉnh), imported.

The file is docs/examples/cong-dvc-2023.csv, the example of docs/source-data-format.md:
rates of T03, T08, T14 (provincial units), H08 (districts), X06 and X12 (communes) of the
demo units, some as rates and some as counts, a few far enough from what the units
reported to be flagged, and one criterion (X12 of Phường 5) the unit never filled.
"""

from __future__ import annotations

from django.conf import settings

from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.sources.models import SourceImport
from thidua.sources.services import applied_import, import_source_file

DEMO_SOURCE = "Cổng DVC tỉnh"
DEMO_FILE = settings.BASE_DIR / "docs" / "examples" / "cong-dvc-2023.csv"


def import_demo_source_data(period: Period, user) -> SourceImport:
    """Import the example file once (idempotent: an applied import of it is left alone).

    Meant to run before the demo review finalizes assessments; on a demo database
    reviewed earlier, the rows of finalized units are left out rather than refused.
    """
    existing = applied_import(period, DEMO_SOURCE)
    if existing is not None:
        return existing
    finalized = set(
        Assessment.objects.filter(period=period, state=Assessment.State.FINALIZED).values_list(
            "unit__code", flat=True
        )
    )
    header, *rows = DEMO_FILE.read_text(encoding="utf-8").splitlines()
    kept = [row for row in rows if row.split(",", 1)[0] not in finalized]
    return import_source_file(
        period=period,
        data="\n".join([header, *kept, ""]).encode("utf-8"),
        filename=DEMO_FILE.name,
        label=DEMO_SOURCE,
        user=user,
    )
