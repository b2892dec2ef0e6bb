"""gunicorn settings for thidua (read with `gunicorn -c deploy/gunicorn.conf.py thidua.wsgi`).

Every value can be overridden by an environment variable of the same meaning.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers: thidua's requests are short and CPU-bound (scoring); 2 × cores + 1.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Long enough for a large evidence upload streamed through nginx; nginx buffers the body.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then to bound memory growth of long-lived processes.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Behind nginx on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '{"remote":"%(h)s","request":"%(r)s","status":%(s)s,"bytes":%(B)s,"ms":%(M)s}'


def post_worker_init(worker):
    """Once the worker has loaded Django and thidua, exclude those objects (about 170,000)
    from garbage collection: a full collection otherwise walks them all, a 90 ms pause (far
    more on a busy machine) that lands on whichever request happens to trigger it. They
    live as long as the worker anyway."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — import every view module before freezing
    gc.freeze()
