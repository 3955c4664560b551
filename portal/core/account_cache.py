"""The keys under which a signed-in person's account and unread badge are cached, and how a copy is forgotten.

Read by the authentication backend (portal.core.backends: both in one round trip), kept up by the notifications
(portal.core.notify), the sign-in record (portal.core.sessions) and the account's own save signals.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction


def user_key(user_id) -> str:
    return f"account:v1:{user_id}"


def unread_key(user_id) -> str:
    return f"unread:{user_id}"


def forget_user(user_id) -> None:
    """Drop the cached account, now and once the change is visible to other requests."""
    if user_id is None:
        return
    key = user_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
