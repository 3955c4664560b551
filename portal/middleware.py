"""Session bookkeeping: which device a session is on, when it was last used, and the staff idle timeout."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

TOUCH_EVERY = 300  # seconds: how stale "last seen" may get before the session row is written again


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            last = session.get("_last", now)
            if user.is_staff and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                # Staff sessions end after a quiet spell: the admin holds other people's data.
                logout(request)
            else:
                if "_ua" not in session:
                    session["_ua"] = request.META.get("HTTP_USER_AGENT", "")[:200]
                    session["_ip"] = request.META.get("REMOTE_ADDR")
                if now - last >= TOUCH_EVERY or "_last" not in session:
                    session["_last"] = now
        return self.get_response(request)
