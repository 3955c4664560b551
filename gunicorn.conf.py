"""gunicorn's settings for the portal: gunicorn reads ./gunicorn.conf.py by itself, and flags given on its command
line win over these.

Garbage collection. A portal process holds about 160,000 long-lived objects: code, URL patterns, compiled
templates, translation catalogues. Python's full collection walks every one of them, about 80 ms every few
dozen requests in each worker, and under load those pauses land in the slowest requests. So the application is
loaded once, in the master (`preload_app`), and frozen before each fork (`gc.freeze()`). Frozen objects are
left out of collections, and they stay shared between the workers instead of being copied as the collector
touches them. Each worker collects and freezes once more after its first requests, once the templates and
catalogues it loaded on first use are in memory. Reference counting still frees everything as usual.
"""

import gc
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
preload_app = True

WARM_REQUESTS = 100


def pre_fork(server, worker):
    gc.freeze()


def post_request(worker, req, environ, resp):
    worker.portal_requests = getattr(worker, "portal_requests", 0) + 1
    if worker.portal_requests == WARM_REQUESTS:
        gc.collect()
        gc.freeze()
