"""manage.py import_source_data: the same services, a Vietnamese report, non-zero on errors."""

import pytest
from django.core.management import CommandError, call_command

from thidua.sources.models import SourceImport

from ..assessments.cast import make_cast
from .helpers import DVC, csv_bytes, entry, self_report


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "dvc.csv"
    path.write_bytes(csv_bytes("31498,X06,90,,", "31501,X06,,40,50"))
    return path


@pytest.mark.django_db
def test_it_imports_a_file_and_reports_in_vietnamese(cast, period, good_file, capsys):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    call_command("import_source_data", "2023", str(good_file), source=DVC, user="province")
    out = capsys.readouterr().out
    assert "Đã nhập 2 dòng số liệu “Cổng DVC tỉnh”" in out
    assert "2 giá trị thẩm định thay đổi, 1 chênh lệch" in out
    applied = SourceImport.objects.get()
    assert applied.status == SourceImport.Status.APPLIED
    assert applied.uploaded_by == cast["province"] == applied.decided_by
    assert entry("31498", "X06").verified_inputs == {"rate": "90"}


@pytest.mark.django_db
def test_it_records_the_system_when_no_user_is_given(cast, good_file):
    call_command("import_source_data", "2023", str(good_file), source=DVC)
    assert SourceImport.objects.get().uploaded_by is None
    assert entry("31498", "X06").history.first().history_user is None


@pytest.mark.django_db
def test_it_reports_discrepancies_on_a_dry_run_and_writes_nothing(cast, period, good_file, capsys):
    self_report("31498", "X06", {"rate": "60"}, period, cast["editor"])
    call_command("import_source_data", "2023", str(good_file), source=DVC, dry_run=True)
    out = capsys.readouterr().out
    assert "Số dòng: 2" in out
    assert "Chênh lệch với số liệu tự báo cáo (hơn 5 điểm %): 1" in out
    assert "Dòng 2: 31498 X06 tự báo cáo 60%, nguồn 90%" in out
    assert "không có gì được ghi" in out
    assert not SourceImport.objects.exists()
    assert entry("31498", "X06").verified_inputs is None


@pytest.mark.django_db
def test_it_lists_every_bad_line_and_exits_non_zero(cast, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("31498,X06,90,,", "NOPE,X06,90,,", "31501,X03,,5,3"))
    with pytest.raises(CommandError, match="2 lỗi; không có gì thay đổi"):
        call_command("import_source_data", "2023", str(path), source=DVC)
    err = capsys.readouterr().err
    assert "Dòng 3, cột unit_code: Mã đơn vị 'NOPE'" in err
    assert "Dòng 4, cột numerator: Tử số không được lớn hơn mẫu số (5 > 3)" in err
    assert not SourceImport.objects.exists()
    assert entry("31498", "X06") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["1999"], {"source": DVC}, "Không có kỳ đánh giá"),
        (["2023"], {"source": DVC, "user": "nobody"}, "Không có người dùng"),
        (["2023"], {"source": DVC, "user": "editor"}, "không được nhập số liệu nguồn"),
        (["2023"], {"source": DVC, "user": "district"}, "không được nhập số liệu nguồn"),
    ],
)
def test_it_refuses_a_wrong_period_or_user(cast, good_file, args, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_source_data", *args, str(good_file), **options)
    assert not SourceImport.objects.exists()


@pytest.mark.django_db
def test_it_fails_on_a_missing_file(cast, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_source_data", "2023", str(tmp_path / "none.csv"), source=DVC)
