"""Benchmark: a 1 GB evidence upload through the real upload view of a running gunicorn.

    measure(base_url, *, unit_code=None, criterion_code=None, size_mb=1024,
            server_pid=None, media_root=None, period_code=None) -> dict

Call it in a process where Django is set up with the settings of the server's database
(it creates a session for a unit editor, and deletes the evidence afterwards). Only
`base_url` is needed (e.g. "http://127.0.0.1:8765"): the server's pid is found from the
process listening on that port, the period is the latest open one, the unit the first
whose assessment is a draft with an editor (bench/generate.py's "bench-editor"; else a
unit editor is created), the criterion the unit level's first one.

What it does:
1. Writes a `size_mb` MB file under /tmp: an MP4 `ftyp` box then one `mdat` box (the
   content sniffing accepts it as video; THIDUA_EVIDENCE_MAX_VIDEO_MB allows 1 GB).
2. Copies it with `shutil.copyfile` into MEDIA_ROOT's filesystem, timed: the floor.
3. POSTs it as multipart/form-data to the evidence upload view with httpx, the body
   streamed from disk (the client never holds the file), while a thread samples the RSS
   of every process of the server (master and workers) every 50 ms.
4. Checks the evidence row exists with the right size and SHA-256, then deletes the row,
   its history and the stored file, and both temporary files.

Returns: `size_mb`, `upload_seconds`, `upload_mb_s`, `copy_seconds`, `copy_mb_s`,
`ratio` (upload time / copy time), `rss_growth_mb` (the largest growth of one server
process's RSS over its value before the upload), `rss_growth_total_mb` (of all server
processes together), `client_rss_growth_mb`, `samples`, `target_mb` (64) and
`meets_target` (growth under the target and the upload stored).

Standalone: `python -m bench.upload [--size-mb N]` with DATABASE_URL set: starts its own
gunicorn (bench.settings, one worker) on 127.0.0.1:8766, measures, stops it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

TARGET_MB = 64
SAMPLE_SECONDS = 0.05
CHUNK = 1024 * 1024
EDITOR = "bench-upload-editor"
ROOT = Path(__file__).resolve().parent.parent


def measure(
    base_url: str,
    *,
    unit_code: str | None = None,
    criterion_code: str | None = None,
    size_mb: int = 1024,
    server_pid: int | None = None,
    media_root: str | None = None,
    period_code: str | None = None,
) -> dict:
    import psutil
    from django.conf import settings

    media = Path(media_root or settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    _check_space(size_mb, media)
    pid = server_pid or server_pid_listening_on(base_url)
    period, unit, criterion, user = _target(period_code, unit_code, criterion_code)
    session, csrf = _session(user), secrets.token_hex(16)  # 32 characters: a CSRF secret
    url = f"{base_url.rstrip('/')}/periods/{period}/units/{unit}/criteria/{criterion}/evidence/"

    source = Path(tempfile.mkstemp(prefix="thidua-bench-", suffix=".mp4")[1])
    copy = media / f".bench-copy-{secrets.token_hex(8)}.mp4"
    try:
        digest = write_mp4(source, size_mb)
        started = time.perf_counter()
        shutil.copyfile(source, copy)
        copy_seconds = time.perf_counter() - started
        copy.unlink()

        sampler = RssSampler(pid)
        client = psutil.Process()
        client_before = client.memory_info().rss
        with sampler:
            started = time.perf_counter()
            status = _post(url, source, session=session, csrf=csrf)
            upload_seconds = time.perf_counter() - started
        client_growth = client.memory_info().rss - client_before
        stored = _stored_evidence(source.name, period, unit, criterion)
    finally:
        source.unlink(missing_ok=True)
        copy.unlink(missing_ok=True)
    ok = stored is not None and stored["size"] == size_mb * CHUNK and stored["sha256"] == digest
    if stored is not None:
        _delete_evidence(stored["pk"])
    size = size_mb * CHUNK / 2**20
    return {
        "size_mb": size_mb,
        "status": status,
        "stored": ok,
        "upload_seconds": round(upload_seconds, 2),
        "upload_mb_s": round(size / upload_seconds, 1),
        "copy_seconds": round(copy_seconds, 2),
        "copy_mb_s": round(size / copy_seconds, 1),
        "ratio": round(upload_seconds / copy_seconds, 2),
        "rss_growth_mb": round(sampler.growth / 2**20, 1),
        "rss_growth_total_mb": round(sampler.total_growth / 2**20, 1),
        "client_rss_growth_mb": round(client_growth / 2**20, 1),
        "samples": sampler.samples,
        "target_mb": TARGET_MB,
        "meets_target": ok and sampler.growth < TARGET_MB * 2**20,
    }


# -- the file --------------------------------------------------------------------------------


def write_mp4(path: Path, size_mb: int) -> str:
    """An MP4 of exactly size_mb MiB: `ftyp` (isom, mp41) then one `mdat` box; its SHA-256."""
    ftyp = struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00" + b"isommp41"
    total = size_mb * CHUNK
    head = ftyp + struct.pack(">I", total - len(ftyp)) + b"mdat"
    block = os.urandom(CHUNK)  # incompressible, written again and again
    digest = hashlib.sha256()
    with path.open("wb") as out:
        first = head + block[len(head) :]
        for index in range(size_mb):
            data = first if index == 0 else block
            out.write(data)
            digest.update(data)
    return digest.hexdigest()


def _check_space(size_mb: int, media: Path) -> None:
    for where, need in ((Path(tempfile.gettempdir()), 2), (media, 2)):
        free = shutil.disk_usage(where).free
        if free < need * size_mb * CHUNK + 2**30:
            raise RuntimeError(f"not enough free disk under {where} for a {size_mb} MB upload")


# -- the request -----------------------------------------------------------------------------


def _post(url: str, source: Path, *, session: str, csrf: str) -> int:
    import httpx
    from django.conf import settings

    cookies = {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf}
    headers = {"X-CSRFToken": csrf, "Referer": url}
    # httpx streams a file object of a multipart body in 64 KiB reads.
    with source.open("rb") as body, httpx.Client(cookies=cookies, timeout=600) as client:
        response = client.post(
            url,
            headers=headers,
            data={"doc_summary": "bench upload"},
            files={"file": (source.name, body, "video/mp4")},
        )
    if response.status_code not in (200, 302):
        raise RuntimeError(f"upload answered {response.status_code}: {response.text[:300]}")
    return response.status_code


class RssSampler:
    """Samples the RSS of a process and its children every 50 ms in a thread."""

    def __init__(self, pid: int):
        import psutil

        self.root = psutil.Process(pid)
        self.baseline = self._rss()
        self.peak = dict(self.baseline)
        self.total_peak = sum(self.baseline.values())
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> dict[int, int]:
        import psutil

        found = {}
        for process in [self.root, *self.root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                found[process.pid] = process.memory_info().rss
        return found

    def _run(self):
        while not self._stop.is_set():
            now = self._rss()
            for pid, rss in now.items():
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
            self.total_peak = max(self.total_peak, sum(now.values()))
            self.samples += 1
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        """The largest growth of one process (a worker started meanwhile counts from 0)."""
        return max(peak - self.baseline.get(pid, 0) for pid, peak in self.peak.items())

    @property
    def total_growth(self) -> int:
        return self.total_peak - sum(self.baseline.values())


def server_pid_listening_on(base_url: str) -> int:
    """The gunicorn master: of the processes listening on the port, the one whose parent
    does not listen too (workers inherit the socket)."""
    import psutil

    port = urlsplit(base_url).port or 80
    listening = set()
    for process in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error):
            for conn in process.net_connections(kind="tcp"):
                if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
                    listening.add(process.pid)
    roots = [pid for pid in listening if psutil.Process(pid).ppid() not in listening]
    if not roots:
        raise RuntimeError(f"no process listens on port {port}")
    return roots[0]


# -- the database side -----------------------------------------------------------------------


def _target(period_code, unit_code, criterion_code) -> tuple[str, str, str, object]:
    """(period code, unit code, criterion code, editor) of a draft assessment we may edit."""
    from django.contrib.auth.models import User

    from thidua.accounts.models import Membership, Role
    from thidua.assessments.models import Assessment
    from thidua.criteria.services import scoring_library
    from thidua.periods.models import Period
    from thidua.units.models import Unit

    periods = Period.objects.filter(state=Period.State.OPEN).order_by("-year")
    period = periods.get(code=period_code) if period_code else periods.first()
    if period is None:
        raise RuntimeError("no open period to upload evidence to")
    if unit_code:
        unit = Unit.objects.get(code=unit_code)
    else:
        drafts = Assessment.objects.filter(period=period, state=Assessment.State.DRAFT)
        editors = Membership.objects.filter(role=Role.UNIT_EDITOR, unit__isnull=False)
        unit = (
            Unit.objects.active()
            .filter(pk__in=drafts.values("unit_id"))
            .filter(pk__in=editors.values("unit_id"))
            .order_by("code")
            .first()
        ) or Unit.objects.active().exclude(
            pk__in=Assessment.objects.filter(period=period)
            .exclude(state=Assessment.State.DRAFT)
            .values("unit_id")
        ).order_by("code").first()
    membership = Membership.objects.filter(role=Role.UNIT_EDITOR, unit=unit).first()
    if membership is not None:
        user = membership.user
    else:
        user, _ = User.objects.get_or_create(username=EDITOR)
        Membership.objects.update_or_create(
            user=user, defaults={"role": Role.UNIT_EDITOR, "unit": unit}
        )
    if criterion_code is None:
        level = next(
            lv
            for lv in scoring_library(period.criteria_version).levels
            if lv.code == unit.level.code
        )
        criterion_code = level.criteria[0].code
    return period.code, unit.code, criterion_code, user


def _session(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _stored_evidence(name: str, period: str, unit: str, criterion: str) -> dict | None:
    from thidua.evidence.models import Evidence

    return (
        Evidence.objects.filter(
            assessment__period__code=period,
            assessment__unit__code=unit,
            criterion_code=criterion,
            original_name=name,
        )
        .order_by("-pk")
        .values("pk", "size", "sha256")
        .first()
    )


def _delete_evidence(pk: int) -> None:
    from thidua.evidence.models import Evidence

    evidence = Evidence.objects.get(pk=pk)
    storage, name = evidence.file.storage, evidence.file.name
    Evidence.history.filter(id=pk).delete()
    Evidence.objects.filter(pk=pk).delete()
    if name:
        storage.delete(name)


# -- standalone ------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure a 1 GB evidence upload.")
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--bind", default="127.0.0.1:8766")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("THIDUA_SECRET_KEY", "bench-only-not-secret")
    import django

    django.setup()
    with _gunicorn(args.bind) as process:
        result = measure(f"http://{args.bind}", size_mb=args.size_mb, server_pid=process.pid)
    print(json.dumps(result, indent=2))
    return 0 if result["meets_target"] else 1


@contextlib.contextmanager
def _gunicorn(bind: str):
    import httpx

    env = {**os.environ, "GUNICORN_BIND": bind, "GUNICORN_WORKERS": "1"}
    env["GUNICORN_TIMEOUT"] = "600"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--access-logfile",
        "/dev/null",
        "thidua.wsgi:application",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 — our own gunicorn
    try:
        for _ in range(120):
            try:
                httpx.get(f"http://{bind}/accounts/login/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not start")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
