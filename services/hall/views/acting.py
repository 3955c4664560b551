"""Whom a page acts for: the signed-in resident, or (代办) the resident a member of staff chose with ?for=<id>."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.core.access import require_perm, staff_object
from residents.models import Resident

ACT_FOR_PERM = "services.book_on_behalf"


class NoSubject(Exception):
    """Nobody to act for: the response sends the user where they can choose (or explains why not)."""

    def __init__(self, response: HttpResponse):
        self.response = response


def subject_of(request: HttpRequest) -> tuple[Resident, bool]:
    """Whom the user acts for, and whether on someone's behalf: themselves (a resident), or with ?for=<id> a resident
    of their community (staff holding services.book_on_behalf: 403 without it, 404 for another community's)."""
    resident_id = request.POST.get("for") or request.GET.get("for")
    user = request.user
    if resident_id:
        require_perm(user, ACT_FOR_PERM)
        try:
            pk = int(resident_id)
        except ValueError as exc:
            raise Http404 from exc
        return staff_object(Resident.objects.current().select_related("user"), user, pk=pk), True
    resident = getattr(user, "resident", None)
    if resident is not None:
        return resident, False
    if user.has_perm(ACT_FOR_PERM):
        messages.info(request, _("Choose the resident you are acting for."))
        raise NoSubject(redirect("services:desk_residents"))
    messages.warning(
        request, _("Your account is not linked to a household yet; the community office will confirm it soon.")
    )
    raise NoSubject(redirect("portal:my"))


def for_query(resident: Resident, acting: bool) -> str:
    """The ?for= to keep on the next page's links while acting for someone."""
    return f"?{urlencode({'for': resident.pk})}" if acting else ""
