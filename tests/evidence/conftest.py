import pytest

from thidua.assessments.access import get_assessment_for_user

from ..assessments.cast import make_cast


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def media_files(settings):
    def files():
        root = settings.MEDIA_ROOT
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    return files


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def editor_access(cast):
    """What the commune's editor may do with the commune's assessment (created on demand)."""
    return get_assessment_for_user(cast["editor"], "2023", "31498", create=True)
