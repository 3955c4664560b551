"""The staff scan page (a counter PC, or a tablet at the door): a USB or camera scanner types the resident's QR
code into the field (or staff type the booking code) and the resident is checked in by their station's own
action. The result stays on the page, and the field is ready for the next one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.core.confirm import confirm_first
from portal.core.tokens import looks_like_token
from services.checkin.forms import ScanForm
from services.checkin.kinds import KINDS, may_scan, seat_of_token
from services.hall.actions import booking_check_in


@login_required
@confirm_first
def scan(request: HttpRequest) -> HttpResponse:
    if not may_scan(request.user):
        raise PermissionDenied
    form = ScanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = _check_in(form.cleaned_data["code"], request.user)
        except ValidationError as exc:
            form.add_error("code", exc)  # every reason is about the code scanned or typed
        else:
            messages.success(request, done)
            return redirect("services:scan")
    kinds = [kind.label for kind in KINDS.values() if request.user.has_perm(kind.perm)]
    return render(request, "services/checkin/scan.html", {"form": form, "kinds": kinds})


def _check_in(text: str, user) -> str:
    """What was checked in, as one line for the page; ValidationError with the reason."""
    if not looks_like_token(text):
        # A booking code typed by hand, as at the counter desk (the desk's own action).
        hall = KINDS["h"]
        if not user.has_perm(hall.perm):
            raise ValidationError(_("This is not a valid check-in code."), code="invalid")
        booking = booking_check_in(community_id=user.community_id, code=text, by=user)
        return f"{booking.resident.name} · {hall.what(booking)} · " + _("number %(ticket)s") % {
            "ticket": booking.ticket
        }
    kind, obj = seat_of_token(text, user=user)
    result = kind.check_in(obj, user)
    return f"{obj.resident.name} · {kind.what(obj)} · {result}"
