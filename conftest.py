"""Suite-wide fixtures: two communities and a user of every role in each."""

import os
import sys

import pytest

from portal.core import roles
from portal.tests.factories import PASSWORD, UserFactory
from residents.tests.factories import CommunityFactory, ResidentFactory


def pytest_addoption(parser):
    parser.addoption(
        "--sequences-from",
        type=int,
        default=0,
        metavar="N",
        help="Before the first test, move every sequence of the test database (PostgreSQL) to at least N, as many "
        "earlier runs on a reused database would have: a test that derives a bounded value from a primary key fails.",
    )


WORLD = "shared_world"  # tests/security/conftest.py: the seeded world a worker builds once


def pytest_collection_modifyitems(session, config, items):
    """The tests of the shared seeded world run last (xdist hands each worker its tests in this order), so that a
    worker builds the world once and no other test runs inside its transaction."""
    items.sort(key=lambda item: WORLD in getattr(item, "fixturenames", ()))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that does not use the shared world never sees it: the world is rolled back first (and rebuilt if a
    world test comes later)."""
    if WORLD not in getattr(item, "fixturenames", ()):
        security = sys.modules.get("tests.security.conftest")  # loaded only when its tests are collected
        for holder in security.SHARED if security else ():
            holder.drop()


def pytest_configure(config):
    # With CI=true a missing PostgreSQL or Redis is a failure, never a skip.
    os.environ.setdefault("CI", "")


@pytest.fixture(scope="session", autouse=True)
def _sequences_advanced(request):
    """With --sequences-from=N: every sequence of the test database starts at N or later (see pytest_addoption)."""
    start = request.config.getoption("sequences_from")
    if not start:
        return
    request.getfixturevalue("django_db_setup")
    from django.db import connection

    with request.getfixturevalue("django_db_blocker").unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(format('%%I.%%I', schemaname, sequencename), least(%s, max_value)) FROM pg_sequences "
                "WHERE coalesce(last_value, 0) < %s",
                [start, start],
            )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (page fragments, counts, lockout counters)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language: a request in English must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def community(db):
    return CommunityFactory(name="南环东路社区", slug="nanhuan")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="北环社区", slug="beihuan")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    """make_user(role, community) → a user of that role working or living in that community."""

    def make(role=roles.RESIDENT, community=None, **kwargs):
        user = UserFactory(role=role, community=community, **kwargs)
        if role == roles.RESIDENT and community is not None:
            ResidentFactory(community=community, user=user, name=user.name, phone=user.phone)
        return user

    return make


@pytest.fixture
def resident_user(make_user, community):
    return make_user(roles.RESIDENT, community)


@pytest.fixture
def hall_staff(make_user, community):
    return make_user(roles.HALL_STAFF, community)


@pytest.fixture
def other_hall_staff(make_user, other_community):
    return make_user(roles.HALL_STAFF, other_community)


@pytest.fixture
def district_admin(make_user):
    return make_user(roles.DISTRICT_ADMIN, None)


@pytest.fixture
def services_required(settings):
    """Skip (locally) or fail (CI=true, already refused by test_settings) when PostgreSQL/Redis are not up."""
    from portal.test_settings import SERVICES_UP

    if not all(SERVICES_UP.values()):
        pytest.skip("PostgreSQL and Redis are not running here")


def spawn_worker(queue: str, settings, log_path, **extra_env):
    """Start a real Celery worker process (solo pool) on `queue`, on the real Redis broker and the test database;
    return it once it is ready. `extra_env` overrides the worker's environment (e.g. SMS_BACKEND)."""
    import subprocess
    import sys
    import time

    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SMS_BACKEND": "portal.core.sms.ConsoleBackend",
        **extra_env,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=open(log_path, "a"),  # noqa: SIM115 - the worker owns the file
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready" not in log_path.read_text() and time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited: {log_path.read_text()}")
        time.sleep(0.2)
    proc.log = log_path
    return proc


@pytest.fixture
def celery_worker_process(services_required, transactional_db, settings, tmp_path):
    """A real Celery worker (separate process, solo pool) on the real Redis broker and the test database.

    Yields (queue, process); send tasks there with `.apply_async(queue=...)`.
    """
    import subprocess
    import uuid

    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    proc = spawn_worker(queue, settings, tmp_path / "worker.log")
    try:
        yield queue, proc
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def sms_code(django_capture_on_commit_callbacks):
    """sms_code(client, url, phone) → the code that the "Get code" button of the form at `url` sent to `phone`
    (settings.SMS_BACKEND is the MemoryBackend in tests)."""
    import re

    from portal.core.sms import MemoryBackend

    def get(client, url, phone, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"phone": phone, "send": "1"}, **extra)
        texts = [m["text"] for m in MemoryBackend.outbox if m["phone"] == phone]
        assert texts, f"no SMS to {phone}"
        return re.search(r"\b(\d{6})\b", texts[-1]).group(1)

    return get
