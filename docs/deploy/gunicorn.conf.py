"""Gunicorn configuration of the mentoring registry (docs/deployment.md).

Start: ``gunicorn -c /srv/mentoring/docs/deploy/gunicorn.conf.py mentoring_site.wsgi``.
Every value can be changed through the environment without editing this file; the web
benchmark (bench/web.py) runs with this file too.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


# Behind nginx on the same host; nginx holds slow clients, so sync workers suffice.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
# Sync workers: about one per core plus one; 2 cores → 3 (the benchmark measures 2).
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
# Nothing makes a person wait more than 5 s (issue 9); 30 s only kills a stuck worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): a guard
# against slow leaks in libraries. 0 turns it off (the benchmark's memory check does).
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Logs to stdout/stderr: journald keeps them on the server (docs/deployment.md, 152-ФЗ).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: off
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No query strings in the access log: they may carry search text (personal data).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# nginx on the same host sets X-Forwarded-Proto; trust it only from loopback.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "mentoring"
