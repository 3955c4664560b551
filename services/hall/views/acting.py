"""Whom a page acts for: the signed-in resident, or (代办) with ?for=<id> the resident a member of staff chose, or a
resident who made the user their family proxy (residents.proxies) for what the page does. One notion of acting
for someone: the same ?for=, the same "由 X 代办" on the record, whoever acts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.core.access import require_perm, staff_object
from residents.models import Resident
from residents.models_proxies import Right
from residents.proxies import proxy_subject, proxy_subjects

ACT_FOR_PERM = "services.book_on_behalf"


class NoSubject(Exception):
    """Nobody to act for: the response sends the user where they can choose (or explains why not)."""

    def __init__(self, response: HttpResponse):
        self.response = response


def subject_of(request: HttpRequest, right: str = Right.BOOK) -> tuple[Resident, bool]:
    """Whom the user acts for, and whether on someone's behalf: themselves (a resident), or with ?for=<id> a resident
    who granted them `right` as their family proxy (checked now: a lapsed grant no longer works), or a resident of
    their community (staff holding services.book_on_behalf: 403 without it, 404 for another community's)."""
    resident_id = request.POST.get("for") or request.GET.get("for")
    user = request.user
    if resident_id:
        try:
            pk = int(resident_id)
        except ValueError as exc:
            raise Http404 from exc
        granted = proxy_subject(user, pk, right)
        if granted is not None:
            return granted, True
        require_perm(user, ACT_FOR_PERM)
        return staff_object(Resident.objects.current().select_related("user"), user, pk=pk), True
    resident = getattr(user, "resident", None)
    if resident is not None:
        return resident, False
    if proxy_subjects(user, right):
        messages.info(request, _("Choose whom you are acting for."))
        raise NoSubject(redirect("portal:proxies"))
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


def for_whom(request: HttpRequest, resident: Resident, right: str = Right.BOOK) -> list[dict]:
    """The choices "for myself / for 妈妈 (name)" for a family proxy: each with its ?for= and whether it is the
    current one. Empty for anyone who acts for nobody (the page shows no choice)."""
    others = proxy_subjects(request.user, right)
    if not others:
        return []
    own = getattr(request.user, "resident", None)
    rows = []
    if own is not None:
        rows.append({"resident": own, "query": "", "current": own.pk == resident.pk, "self": True})
    for other in others:
        rows.append({"resident": other, "query": for_query(other, True), "current": other.pk == resident.pk})
    return rows
