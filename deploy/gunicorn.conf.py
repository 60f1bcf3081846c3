"""gunicorn settings for `make serve` and deploy/hcc-web.service; each can be overridden by environment."""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# PDF rendering is CPU-bound, page views mostly wait on PostgreSQL: a few processes per core,
# two threads each. WEB_CONCURRENCY is the usual knob (Heroku, Render and gunicorn itself read it).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"

# A PDF register of a long period may take a while; nginx waits as long (deploy/nginx).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5

# Recycle a worker now and then, so memory held by a rare large render is returned.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# Load the app once, then fork: the workers share its memory (wsgi.py freezes it for the collector).
preload_app = True

# The app logs one line per request with its request id and user (tuson_hcc/core/requestlog.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the local proxy may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "hcc-tuson"
# Nothing uses gunicorn's control socket, and several instances on one machine would share its path.
control_socket_disable = True


def post_worker_init(worker):
    """Warm every request thread's PDF fonts after the fork (issue 14: the first receipt of a worker).

    wsgi.py warms the master before it forks, but each thread keeps its own Fontconfig/Pango
    set-up (documents/rendering.py), so the worker's threads warm theirs here, before the first
    request rather than during it.
    """
    import logging

    from tuson_hcc.documents.rendering import warm_up

    pool = getattr(worker, "tpool", None)  # gthread's pool of request threads, created before this hook
    try:
        if pool is None:
            warm_up()
            return
        # Submitted together, each warm-up starts a thread of its own while the others are busy.
        for future in [pool.submit(warm_up) for _ in range(worker.cfg.threads)]:
            future.result()
    except Exception:  # a worker that cannot warm up still serves; the first render pays instead
        logging.getLogger(__name__).exception("PDF warm-up failed in worker %s", worker.pid)
