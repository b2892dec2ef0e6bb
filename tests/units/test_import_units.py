import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from thidua.units.defaults import ensure_default_levels
from thidua.units.importing import UnitImportError, import_units
from thidua.units.models import Level, Unit, UnitKind


@pytest.fixture(autouse=True)
def levels(db):
    ensure_default_levels(Level, UnitKind)


UNITS_CSV = settings.BASE_DIR / "data" / "soc-trang-units-2023.csv"
HEADER = "code,name,level,kind,parent_code\n"


@pytest.mark.django_db
def test_it_imports_the_154_soc_trang_units_with_communes_under_their_districts():
    call_command("import_units", UNITS_CSV)

    assert Unit.objects.count() == 154
    assert Unit.objects.filter(level__code="tinh").count() == 34
    assert Unit.objects.filter(level__code="huyen").count() == 11
    communes = Unit.objects.filter(level__code="xa").select_related("parent__level")
    assert communes.count() == 109
    assert all(c.parent is not None and c.parent.level.code == "huyen" for c in communes)
    assert Unit.objects.get(code="943").children.count() == 13
    assert Unit.objects.get(code="31498").parent.code == "941"
    assert Unit.objects.get(code="31498").kind.code == "phuong"


@pytest.mark.django_db
def test_it_updates_by_code_on_reimport_without_duplicates():
    import_units(UNITS_CSV.read_text(encoding="utf-8"))
    text = UNITS_CSV.read_text(encoding="utf-8").replace("Sở Nội vụ,", "Sở Nội vụ tỉnh Sóc Trăng,")

    report = import_units(text)

    assert Unit.objects.count() == 154
    assert report.updated == ["SO-NV"]
    assert len(report.unchanged) == 153
    assert Unit.objects.get(code="SO-NV").name == "Sở Nội vụ tỉnh Sóc Trăng"


@pytest.mark.django_db
def test_it_reports_every_bad_row_with_its_line_number_and_writes_nothing():
    text = HEADER + (
        "941,Thành phố Sóc Trăng,district,thanh_pho,\n"  # line 2: fine
        "31498,Phường 5,commune,phuong,\n"  # line 3: commune without parent
        "X1,Xã Một,commune,xa,999\n"  # line 4: unknown parent
        "941,Trùng mã,district,huyen,\n"  # line 5: duplicate code
        "SO-A,Sở A,province_unit,khong_co,\n"  # line 6: unknown kind
        "SO-B,,nowhere,so,\n"  # line 7: empty name, unknown level
    )
    with pytest.raises(UnitImportError) as caught:
        import_units(text)

    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "Dòng 3",
        "Dòng 4",
        "Dòng 5",
        "Dòng 6",
        "Dòng 7",
    ]
    assert "parent_code" in problems[0]
    assert "'999' không tồn tại" in problems[1]
    assert "trùng với dòng 2" in problems[2]
    assert "loại 'khong_co'" in problems[3]
    assert "'name' không được để trống" in problems[4] and "cấp 'nowhere'" in problems[4]
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_it_leaves_existing_units_untouched_when_a_file_is_bad():
    import_units(UNITS_CSV.read_text(encoding="utf-8"))
    text = HEADER + "SO-NV,Tên mới,province_unit,so,\n31498,Phường 5,commune,phuong,942x\n"

    with pytest.raises(CommandError, match="Dòng 3"):
        bad = settings.BASE_DIR / "var" / "bad-units.csv"
        bad.parent.mkdir(exist_ok=True)
        bad.write_text(text, encoding="utf-8")
        call_command("import_units", bad)

    assert Unit.objects.get(code="SO-NV").name == "Sở Nội vụ"
    assert Unit.objects.count() == 154


@pytest.mark.django_db
def test_it_refuses_a_file_with_the_wrong_header():
    with pytest.raises(UnitImportError, match="Dòng 1"):
        import_units("ma,ten\n1,2\n")
    assert Unit.objects.count() == 0
