import pytest
from django.conf import settings as django_settings

from thidua.criteria.services import load_library, read_library_file


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run with DEBUG off but without `collectstatic`: no manifest to look names up in.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def library_data():
    return read_library_file(django_settings.THIDUA_DEFAULT_LIBRARY)


@pytest.fixture
def criteria_version(db, library_data):
    return load_library(library_data)


@pytest.fixture
def units(db):
    from thidua.units.defaults import ensure_default_levels
    from thidua.units.importing import import_units
    from thidua.units.models import Level, UnitKind

    ensure_default_levels(Level, UnitKind)

    path = django_settings.BASE_DIR / "data" / "soc-trang-units-2023.csv"
    import_units(path.read_text(encoding="utf-8"))


@pytest.fixture
def period(criteria_version):
    from thidua.periods.services import create_period

    return create_period(year=2023, criteria_version=criteria_version)
