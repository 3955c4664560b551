"""What a signed-in page no longer asks Redis or the database for, and why it is still right.

- Entries whose key names all they are built from live in each process's memory beside Redis (SettledCache).
- A request reads the model generations once (portal.core.pagecache), and sees the ones it moves on itself.
- The signed-in account is read through the cache (portal.core.backends) and forgotten when it changes.
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.urls import reverse

from portal.core import pagecache
from portal.core.account_cache import user_key
from portal.core.cache import SettledCache

pytestmark = pytest.mark.django_db


def test_a_settled_entry_is_read_from_memory_and_shared_through_redis():
    here = caches["settled"]
    there = SettledCache(None, {"OPTIONS": {"SHARED": "default"}})  # another process
    here.set("fragment:v1", {"html": "<p>一</p>"}, 60)
    cache.delete("settled:" + here.make_key("fragment:v1"))  # Redis loses it (evicted, restarted)
    assert here.get("fragment:v1") == {"html": "<p>一</p>"}  # this process still has its copy
    assert there.get("fragment:v1") is None  # the other one must build it again
    there.set("fragment:v2", ["a"], 60)
    assert here.get("fragment:v2") == ["a"]  # built elsewhere, read through Redis


def test_a_copy_ends_when_the_shared_entry_does():
    here = caches["settled"]
    there = SettledCache(None, {"OPTIONS": {"SHARED": "default"}})
    here.set("short", "x", 1)
    assert there.get("short") == "x"  # the other process took a copy, with the entry's own end
    time.sleep(1.1)
    assert there.get("short") is None and here.get("short") is None


def test_a_copy_changed_by_its_reader_is_not_the_next_readers():
    here = caches["settled"]
    here.set("days", [{"free": 3}], 60)
    first = here.get("days")
    first[0]["free"] = 0
    assert here.get("days") == [{"free": 3}]


def test_clearing_the_cache_clears_the_copies():
    here = caches["settled"]
    here.set("k", "v", 60)
    cache.clear()
    assert here.get("k") is None


def test_a_request_reads_the_generations_once_and_sees_its_own_changes():
    request_started.send(sender=None)
    try:
        before = pagecache.version(("site.Notice",))
        assert pagecache.version(("site.Notice",)) == before
        from portal.site.models import Notice  # noqa: F401 - a watched model

        pagecache.bump(type("Sender", (), {"_meta": type("M", (), {"label": "site.Notice"})}))
        assert pagecache.version(("site.Notice",)) != before  # moved on by this request: read again
    finally:
        request_finished.send(sender=None)


def test_another_process_moving_a_generation_on_is_seen_by_the_next_request():
    request_started.send(sender=None)
    before = pagecache.version(("site.Notice",))
    cache.set(pagecache.generation_key("site.Notice"), time.time_ns(), None)  # another process
    assert pagecache.version(("site.Notice",)) == before  # this request keeps what it read
    request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert pagecache.version(("site.Notice",)) != before
    finally:
        request_finished.send(sender=None)


def test_the_account_is_read_through_the_cache_and_forgotten_when_it_changes(
    client, resident_user, django_assert_num_queries
):
    client.force_login(resident_user)
    client.get(reverse("bare"))
    assert cache.get(user_key(resident_user.pk)) is not None
    with django_assert_num_queries(0):
        client.get(reverse("bare"))
    resident_user.name = "新名字"
    resident_user.save()
    assert cache.get(user_key(resident_user.pk)) is None
    assert "新名字" in client.get(reverse("portal:my")).content.decode()


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("portal:my")).status_code == 200
    resident_user.is_active = False
    resident_user.save(update_fields=["is_active"])
    response = client.get(reverse("portal:my"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_ends_the_other_sessions_at_once(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("portal:my")).status_code == 200
    resident_user.set_password("another-long-passphrase-9")
    resident_user.save()
    assert client.get(reverse("portal:my")).status_code == 302
