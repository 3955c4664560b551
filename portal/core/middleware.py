"""Session bookkeeping: when a session was last used (every few minutes, not every request), and the staff idle
timeout. The device is recorded once, at login (portal.core.sessions.record_device)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.csrf import get_token

from portal.core.pagecache import CSRF_MARK

TOUCH_EVERY = 300  # seconds: how stale "last seen" may get before the session row is written again


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            last = request.session.get("_last")
            if last is not None:
                now = int(time.time())
                if user.is_staff and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                    # Staff sessions end after a quiet spell: the admin holds other people's data.
                    logout(request)
                elif now - last >= TOUCH_EVERY:
                    request.session["_last"] = now
        return self.get_response(request)


class CsrfHoleMiddleware:
    """Fill the CSRF markers of `{% csrf_hole %}` (and of pages from the page cache) with this request's token.
    Sits after CsrfViewMiddleware in MIDDLEWARE, so that the token it hands out also gets its cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and CSRF_MARK in response.content
        ):
            response.content = response.content.replace(CSRF_MARK, get_token(request).encode())
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
