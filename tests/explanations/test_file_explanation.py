import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from thidua.assessments.models import Assessment
from thidua.explanations.models import Explanation, ExplanationAttachment
from thidua.explanations.services import ExplanationRefused, file_explanation
from thidua.periods.models import Period
from thidua.units.models import Unit

from ..evidence import samples
from .stages import IN_WINDOW, LAST_MOMENT, TOO_LATE, finalized, move_period

pytestmark = pytest.mark.django_db


def explain(assessment, user, code="X03", files=(), text="Số liệu đã được Sở Nội vụ xác nhận."):
    return file_explanation(
        assessment=assessment, criterion_code=code, text=text, user=user, files=files
    )


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@time_machine.travel(IN_WINDOW, tick=False)
def test_it_files_an_explanation_with_its_files(cast, assessment, settings):
    content = samples.pdf()

    explanation = explain(
        assessment, cast["editor"], files=[samples.upload("Báo cáo Sở Nội vụ.pdf", content)]
    )

    assert explanation.status == Explanation.Status.PENDING
    assert explanation.filed_by == cast["editor"]
    attachment = explanation.attachments.get()
    assert attachment.original_name == "Báo cáo Sở Nội vụ.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.file.name.startswith("explanations/2023/31498/")
    assert attachment.file.read() == content
    assert explanation.history.get().history_user == cast["editor"]


@time_machine.travel(IN_WINDOW, tick=False)
def test_the_head_may_explain_too(cast, assessment):
    assert explain(assessment, cast["head"]).filed_by == cast["head"]


@time_machine.travel(IN_WINDOW, tick=False)
def test_a_criterion_is_explained_only_once(cast, assessment):
    explain(assessment, cast["editor"])

    with pytest.raises(ExplanationRefused, match="mỗi tiêu chí một lần"):
        explain(assessment, cast["head"], text="Bổ sung thêm")

    explain(assessment, cast["head"], code="X04")
    assert sorted(assessment.explanations.values_list("criterion_code", flat=True)) == [
        "X03",
        "X04",
    ]


@pytest.mark.parametrize(
    "who", ["other_editor", "other_head", "district", "province", "admin", "viewer", "outsider"]
)
@time_machine.travel(IN_WINDOW, tick=False)
def test_only_the_units_own_staff_may_explain(cast, assessment, who):
    with pytest.raises(PermissionDenied):
        explain(assessment, cast[who])
    assert not Explanation.objects.exists()


@pytest.mark.parametrize(("moment", "accepted"), [(LAST_MOMENT, True), (TOO_LATE, False)])
def test_the_window_ends_with_the_day_of_explanation_until(cast, assessment, moment, accepted):
    with time_machine.travel(moment, tick=False):
        if accepted:
            explain(assessment, cast["editor"])
        else:
            with pytest.raises(ExplanationRefused, match=r"hết thời hạn giải trình \(10/01/2024\)"):
                explain(assessment, cast["editor"])
    assert Explanation.objects.exists() is accepted


@pytest.mark.parametrize(
    "state",
    [Period.State.OPEN, Period.State.REVIEWING, Period.State.FINAL, Period.State.ARCHIVED],
)
@time_machine.travel(IN_WINDOW, tick=False)
def test_only_while_preliminary_results_are_published(cast, assessment, period, state):
    move_period(period, state, explanation_until=period.explanation_until)

    with pytest.raises(ExplanationRefused, match="kết quả sơ bộ"):
        explain(assessment, cast["editor"])


@time_machine.travel(IN_WINDOW, tick=False)
def test_a_unit_without_a_finalized_result_has_nothing_to_explain(cast, assessment):
    other = Assessment.objects.create(period=assessment.period, unit=Unit.objects.get(code="31501"))

    with pytest.raises(ExplanationRefused, match="đã được thẩm định và chốt"):
        explain(other, cast["other_editor"])


@time_machine.travel(IN_WINDOW, tick=False)
def test_it_refuses_a_criterion_of_another_level_and_an_empty_text(cast, assessment):
    with pytest.raises(ExplanationRefused, match="T01 không thuộc"):
        explain(assessment, cast["editor"], code="T01")
    with pytest.raises(ExplanationRefused, match="nội dung giải trình"):
        explain(assessment, cast["editor"], text="   ")


@time_machine.travel(IN_WINDOW, tick=False)
def test_a_refused_file_stores_nothing(cast, assessment, settings):
    files = [
        samples.upload("bao-cao.pdf", samples.pdf()),
        samples.upload("bao-cao.pdf.exe", b"MZ\x90\x00" + b"\x00" * 64),
    ]

    with pytest.raises(ExplanationRefused, match=r"bao-cao\.pdf\.exe"):
        explain(assessment, cast["editor"], files=files)

    assert not Explanation.objects.exists()
    assert not ExplanationAttachment.objects.exists()
    assert stored_files(settings) == []


@time_machine.travel(IN_WINDOW, tick=False)
def test_files_already_stored_are_removed_when_the_filing_fails(cast, assessment, settings):
    explain(assessment, cast["editor"])

    with pytest.raises(ExplanationRefused):
        explain(assessment, cast["head"], files=[samples.upload("a.png", samples.png())])

    assert stored_files(settings) == []


@time_machine.travel(IN_WINDOW, tick=False)
def test_a_finalized_assessment_of_another_unit_is_explained_by_its_own_staff(cast, assessment):
    other = finalized(
        Assessment.objects.create(period=assessment.period, unit=Unit.objects.get(code="31501")),
        cast["other_editor"],
    )
    with pytest.raises(PermissionDenied):
        explain(other, cast["editor"])
    assert explain(other, cast["other_head"]).assessment == other
