"""Redis unreachable but alive (a network cut: the server keeps its data): what is ended or revoked meanwhile
stays ended once Redis answers again. The invalidations that could not reach it are owed and done first.

The portal reaches a private redis-server through a relay that the test cuts (every connection dropped, new ones
refused) and restores, while the server runs on with all its data.
"""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.urls import reverse

from portal.core import pagecache, roles
from portal.core.cache import ResilientRedisCache
from portal.core.models import Session
from tests.faults.servers import CuttableLink, redis_server

pytestmark = pytest.mark.services

OPTIONS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}


@contextlib.contextmanager
def unreachable(link):
    link.cut()
    try:
        yield
    finally:
        link.restore()


@pytest.fixture
def redis(tmp_path):
    """The link to a private redis-server (its `url`), which the test may cut."""
    with redis_server(tmp_path / "redis") as server:
        link = CuttableLink(server.port)
        link.restore()
        yield link
        link.cut()


@pytest.fixture
def portal_cache(redis, settings):
    settled = {"BACKEND": "portal.core.cache.SettledCache", "OPTIONS": {"SHARED": "default"}}
    settings.CACHES = {
        "default": {"BACKEND": "portal.core.cache.ResilientRedisCache", "LOCATION": redis.url, "OPTIONS": OPTIONS},
        "settled": settled,
        "template_fragments": settled,
    }
    yield caches["default"]


def test_a_delete_made_while_redis_is_away_is_done_when_it_answers(redis):
    cache = ResilientRedisCache(redis.url, {"OPTIONS": OPTIONS})
    other = ResilientRedisCache(redis.url, {"OPTIONS": OPTIONS})  # another process's view of the same Redis
    cache.set("session", "alive")
    cache.set("badge", 3)
    with unreachable(redis):
        assert cache.delete("session") is False
        cache.delete_many(["badge"])
        assert cache.get("session") is None  # a miss while away
    assert other.get("session") == "alive"  # Redis kept it: nobody has asked this process yet
    assert cache.get("anything") is None  # the first call settles what is owed
    assert other.get("session") is None and other.get("badge") is None


def test_a_generation_moved_on_while_redis_is_away_moves_on_when_it_answers(redis):
    cache = ResilientRedisCache(redis.url, {"OPTIONS": OPTIONS})
    cache.renew("gen")
    before = cache.get("gen")
    with unreachable(redis):
        cache.renew("gen")
    cache.set("unrelated", 1)
    assert cache.get("gen") > before


def test_a_session_ended_while_redis_is_away_does_not_come_back(client, portal_cache, redis, make_user, community):
    user = make_user(roles.RESIDENT, community)
    client.force_login(user)
    page = reverse("portal:my")
    assert client.get(page).status_code == 200  # the session is now cached in Redis
    with unreachable(redis):
        Session.objects.filter(user=user).delete()  # "end my other sessions", a password change, staff
    response = client.get(page)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_permission_revoked_while_redis_is_away_is_gone_when_it_answers(portal_cache, redis, make_user, community):
    user = make_user(roles.HALL_STAFF, community)
    fresh = lambda: get_user_model().objects.get(pk=user.pk)  # noqa: E731 - the user as the next request loads them
    assert fresh().has_perm("services.view_case")  # cached
    with unreachable(redis):
        user.groups.clear()
        assert not fresh().has_perm("services.view_case")  # read from the database meanwhile
    assert not fresh().has_perm("services.view_case")
    assert pagecache.version(("auth.Group",))  # the cache answers again
