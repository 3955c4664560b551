"""Template context shared by every page."""

from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        # One cheap indexed count; the badge in the navigation bar.
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"SITE_NAME": settings.SITE_NAME, "unread_count": unread}
