"""deploy/gunicorn.conf.py, loaded as gunicorn loads it."""

import gc
import runpy

from django.conf import settings


def test_a_worker_freezes_the_loaded_application_out_of_garbage_collection():
    config = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] >= 1 and config["max_requests"] > 0
    gc.unfreeze()
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000  # Django, thidua and every view module
    finally:
        gc.unfreeze()
