"""The appointment opened from the SMS link, without signing in: see it, or cancel it. Only that appointment,
only these two things; a forged link is a 404, an expired or used one says that it no longer works."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.core.confirm import confirm_first, confirm_page
from portal.core.requests import error_text
from portal.core.tokens import BadToken
from services.checkin.qr import checkin_qr
from services.hall import actions
from services.hall.links import LinkGone, booking_of_link
from services.hall.models import Booking


def _gone(request: HttpRequest, *, forged: bool) -> HttpResponse:
    return render(request, "services/hall/link_gone.html", {"forged": forged}, status=404 if forged else 410)


@never_cache
def booking_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = booking_of_link(token)
    except BadToken:
        return _gone(request, forged=True)
    except LinkGone:
        return _gone(request, forged=False)
    qr = None
    if booking.desk == Booking.Desk.BOOKED and booking.date >= timezone.localdate():
        qr = checkin_qr(booking)
    return render(request, "services/hall/link_booking.html", {"booking": booking, "token": token, "qr": qr})


@never_cache
@confirm_first
def booking_link_cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = booking_of_link(token)
    except BadToken:
        return _gone(request, forged=True)
    except LinkGone:
        return _gone(request, forged=False)
    back = reverse("services:booking_link", args=[token])
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Cancel the appointment?"),
            what=_("Your place will be given to someone else. To come later you will need to book again."),
            details=[
                (_("Booking code"), booking.code),
                (_("Service"), booking.item.name),
                (_("Time"), f"{booking.slot.local_start:%Y-%m-%d %H:%M}"),
            ],
            button=_("Yes, cancel the appointment"),
            back=back,
            problem=""
            if booking.can_change
            else _("It is too late to change this appointment online; please call the hall."),
        )
    try:
        actions.booking_cancel_by_link(booking=booking)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("The appointment %(code)s is cancelled.") % {"code": booking.code})
    return render(request, "services/hall/link_gone.html", {"forged": False, "cancelled": True})
