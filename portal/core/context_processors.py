"""Template context shared by every page."""

from django.conf import settings

from portal.core.notify import unread_count

ELDER_COOKIE = "elder"


def elder_mode(request) -> bool:
    """长辈模式 is on when this device asked for it, or when the signed-in account did."""
    cookie = request.COOKIES.get(ELDER_COOKIE)
    if cookie in ("0", "1"):
        return cookie == "1"
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.elder_mode)


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
    return {"SITE_NAME": settings.SITE_NAME, "unread_count": unread, "elder": elder_mode(request)}
