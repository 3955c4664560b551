"""Staff taking a report from any channel (phone, 12345, group chat, home visit, patrol, counter): the likely
duplicates it is offered to merge into, and the figures by channel."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from portal.core.access import scope_to_staff, staff_required
from portal.core.replica import reads_replica
from portal.core.requests import form_errors
from residents.models import Resident
from services.hall import actions
from services.hall.models import Case

MERGE_OFFERED = 5


def channel_of(data: dict) -> dict:
    """The channel fields of a staff intake form, as `case_file` takes them (none on a resident's own form)."""
    return {key: data[key] for key in ("source", "ticket", "ticket_deadline") if data.get(key) not in (None, "")}


def merge_or_duplicates(request: HttpRequest, form, resident: Resident) -> tuple[HttpResponse | None, list[Case]]:
    """A staff report with a place: the open cases it may repeat. With `merge_into` one of them, the report is added
    to it (the response goes there); otherwise the page offers them, and `file_anyway` files it as a new case."""
    data = form.cleaned_data
    if "file_anyway" in request.POST:
        return None, []
    found = list(
        actions.likely_duplicates(community_id=resident.community_id, kind=data["kind"], location=data["location"])[
            :MERGE_OFFERED
        ]
    )
    target = request.POST.get("merge_into")
    if not target:
        return None, found
    case = next((c for c in found if str(c.pk) == target), None)
    if case is None:
        form.add_error(None, _("That case is no longer open for this place: file the report as a new case."))
        return None, found
    text = f"{data['title']}: {data['description']}"
    if data.get("ticket"):
        text += " " + _("12345 ticket %(ticket)s") % {"ticket": data["ticket"]}
    try:
        actions.case_add_report(case=case, by=request.user, source=data["source"], caller=resident.name, text=text)
    except ValidationError as exc:
        form_errors(form, exc)
        return None, found
    messages.success(request, _("Added to case %(number)s as another report of it.") % {"number": case.number})
    return redirect("services:case", case.pk), found


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=pgettext_lazy("time span of a report", "Period"),
        coerce=int,
        choices=[
            (30, gettext_lazy("last 30 days")),
            (90, gettext_lazy("last 90 days")),
            (365, gettext_lazy("last year")),
        ],
        initial=90,
        required=False,
    )


@reads_replica
@staff_required("services.view_case")
@require_safe
def channels(request: HttpRequest) -> HttpResponse:
    """How reports came in, by channel: how many, how many still open, median hours until taken up and until
    closed, and the share done by the deadline."""
    form = PeriodForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 90
    figures = actions.figures_by_channel(scope_to_staff(Case.objects.all(), request.user), days=days)
    return render(
        request,
        "services/hall/channels.html",
        {"form": form, "days": days, "figures": figures, "total": sum(f.received for f in figures)},
    )
