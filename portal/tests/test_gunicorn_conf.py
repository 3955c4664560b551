"""gunicorn.conf.py: the application is loaded once and frozen out of the garbage collector before each fork, and
each worker freezes again once warm."""

import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def conf():
    gc.unfreeze()
    yield runpy.run_path(str(CONF))
    gc.unfreeze()


def test_preloaded_with_a_worker_count_for_the_cores(conf, monkeypatch):
    assert conf["preload_app"] is True
    assert conf["workers"] >= 3
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    assert runpy.run_path(str(CONF))["workers"] == 7


def test_frozen_before_each_fork(conf):
    conf["pre_fork"](server=None, worker=None)
    assert gc.get_freeze_count() > 0


def test_a_worker_freezes_once_after_its_first_requests(conf):
    worker = SimpleNamespace()
    for _ in range(conf["WARM_REQUESTS"] - 1):
        conf["post_request"](worker, None, {}, None)
    assert gc.get_freeze_count() == 0
    conf["post_request"](worker, None, {}, None)
    frozen = gc.get_freeze_count()
    assert frozen > 0
    gc.unfreeze()
    conf["post_request"](worker, None, {}, None)  # once only
    assert gc.get_freeze_count() == 0
