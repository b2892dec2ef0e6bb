"""A small load client: C concurrent clients (threads), each with its own logged-in session
and keep-alive connection, each sending N GET requests to one URL; latencies per request.

Bounded: a fixed number of requests to a server on 127.0.0.1 that `bench.run` started.
"""

from __future__ import annotations

import gc
import statistics
import threading
import time
from dataclasses import dataclass

import httpx


@dataclass
class LoadResult:
    url: str
    clients: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def run_load(
    base_url: str,
    path: str,
    cookies: list[str],
    *,
    per_client: int,
    timeout: float = 120.0,
    cookie_name: str = "sessionid",
) -> LoadResult:
    """Each cookie is one client's session; all clients start together (a barrier)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(cookies))

    def client(session_key: str) -> None:
        mine, failed = [], []
        with httpx.Client(
            base_url=base_url, cookies={cookie_name: session_key}, timeout=timeout
        ) as http:
            barrier.wait()
            for _ in range(per_client):
                started = time.perf_counter()
                try:
                    response = http.get(path)
                    response.read()
                    if response.status_code != 200:
                        failed.append(f"{response.status_code}")
                except httpx.HTTPError as exc:
                    failed.append(type(exc).__name__)
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(key,)) for key in cookies]
    # This process holds Django and the dataset's objects: a garbage collection here would
    # stall all fifty clients at once and be counted as server latency. Off while measuring
    # (reference counting still frees the responses).
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        gc.enable()
    return LoadResult(
        url=path,
        clients=len(cookies),
        requests=len(latencies),
        errors=len(errors),
        p50_ms=statistics.median(latencies) * 1000 if latencies else float("nan"),
        p95_ms=percentile(latencies, 0.95) * 1000,
        seconds=seconds,
    )


def warm_up(base_url: str, path: str, session_key: str, count: int = 10) -> int:
    """A few sequential requests (every worker imports and caches); returns the last status."""
    status = 0
    with httpx.Client(base_url=base_url, cookies={"sessionid": session_key}, timeout=300) as http:
        for _ in range(count):
            status = http.get(path).status_code
    return status
