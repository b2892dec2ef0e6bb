"""Pause Python's cyclic garbage collector while a step builds 100 000s of objects.

Reading, planning and writing a 100 000-row import, or building and writing a 10 000-unit
ranking for an export, allocates millions of tuples, dicts and Fractions that stay alive
until the step ends. Each allocation burst triggers a collection that walks every live
container again; measured on the benchmark (issue 6) that was about
half of the Python time of upload, preview and confirm. None of these objects form cycles
to reclaim, so collecting during the step only costs. Reference counting still frees
everything as usual; the collector runs again as soon as the step ends.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Usable as a decorator. Nested or concurrent uses are safe: only the use that turned
    the collector off turns it back on (another thread may then collect earlier, no harm)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
