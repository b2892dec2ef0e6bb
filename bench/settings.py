"""thidua's settings for the benchmarks: production-like (DEBUG off) over plain HTTP on
127.0.0.1, plus a trivial view to compare page latencies with (see bench/urls.py)."""

from thidua.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# No TLS in front of the benchmark server: no redirect to https, cookies over http.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
