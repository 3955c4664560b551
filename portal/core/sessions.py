"""Sessions that know whose they are, so a person can see and end their other sessions (我的 → 登录设备).

Stored in the database and read through the cache (Django's cached_db): a page view costs no session query.
Ending a session deletes its row, and the row's post_delete drops the cached copy with it, so a session ended
from 我的, by a phone or password change or by staff is over at once.
"""

from __future__ import annotations

import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import caches
from django.db.models import F
from django.db.models.signals import post_delete
from django.utils import timezone

from portal.core.account_cache import forget_user


class SessionStore(CachedDBStore):
    @classmethod
    def get_model_class(cls):
        return apps.get_model("portal", "Session")  # by name: the model module imports this one

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        obj.user_id = int(user_id) if user_id and str(user_id).isdecimal() else None
        obj.user_agent = (data.get("_ua") or "")[:200]
        obj.ip = data.get("_ip") or None
        obj.last_seen = timezone.now()
        return obj


def record_device(request) -> None:
    """Remember, in the session, the device and address it was opened from (shown on 我的 → 登录设备)."""
    request.session["_ua"] = request.META.get("HTTP_USER_AGENT", "")[:200]
    request.session["_ip"] = request.META.get("REMOTE_ADDR")
    request.session["_last"] = int(time.time())


def remember_sign_in(sender, request, user, **kwargs) -> None:
    """On every sign-in (password, code, admin): this one becomes the previous one, in one UPDATE."""
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    type(user)._default_manager.filter(pk=user.pk).update(
        previous_sign_in_at=F("signed_in_at"),
        previous_sign_in_from=F("signed_in_from"),
        signed_in_at=timezone.now(),
        signed_in_from=ip or None,
    )
    forget_user(user.pk)


def _drop_cached(sender, instance, **kwargs) -> None:
    caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + instance.session_key)


post_delete.connect(_drop_cached, sender="portal.Session", dispatch_uid="portal.core.sessions.drop_cached")
user_logged_in.connect(remember_sign_in, dispatch_uid="portal.core.sessions.remember_sign_in")
