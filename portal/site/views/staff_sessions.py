"""The district administrator sees every live staff session (who, where from, on what device, last seen) and can
end any of them: a lost phone, a colleague who left, a sign-in nobody recognises (等保 2.0: administrators of a system
holding personal data watch and control its staff sessions)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from portal.core.access import staff_required
from portal.core.audit import audit
from portal.core.confirm import confirm_first, confirm_page
from portal.core.models import Session
from portal.site.views.account import device_token


def _live_staff_sessions():
    return (
        Session.objects.filter(user__is_staff=True, user__is_active=True, expire_date__gt=timezone.now())
        .select_related("user__community")
        .order_by("-last_seen")
    )


@staff_required("portal.view_all_communities")
@require_safe
def staff_sessions(request: HttpRequest) -> HttpResponse:
    rows = list(_live_staff_sessions()[:500])
    for row in rows:
        row.device = device_token(row.session_key)
    return render(request, "portal/staff_sessions.html", {"rows": rows, "current": request.session.session_key})


@staff_required("portal.view_all_communities")
@confirm_first
def staff_session_end(request: HttpRequest, device: str) -> HttpResponse:
    """End one staff session, named by its device token (never the session key in a URL). A GET asks first."""
    session = next((s for s in _live_staff_sessions() if device_token(s.session_key) == device), None)
    if session is None:
        raise Http404
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("End this staff session?"),
            what=_("%(name)s will have to sign in again on that device.") % {"name": session.user.name},
            details=[
                (_("Staff member"), session.user.name),
                (pgettext("login session", "Device"), session.user_agent or _("Unknown device")),
                (pgettext("network", "Address"), session.ip or "—"),
            ],
            button=_("Yes, end it"),
            back=reverse("portal:staff_sessions"),
        )
    user = session.user
    session.delete()
    audit(actor=request.user, action="staff_session_end", obj=user, summary=f"ip {session.ip or '-'}")
    messages.success(request, _("The session of %(name)s has ended.") % {"name": user.name})
    return redirect("portal:staff_sessions")
