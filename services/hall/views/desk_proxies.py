"""The counter sets up a family proxy (子女代办) for a resident who cannot do it online, recording how the resident
consented (a signed form, in person) and who recorded it; it also lists and ends the resident's grants."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.core.access import staff_object, staff_required
from portal.core.requests import form_errors
from residents.forms import CounterProxyGrantForm
from residents.models import Resident
from residents.models_proxies import ProxyGrant
from residents.proxies import STAFF_PERM, grantee_by_phone, proxy_grant


@staff_required(STAFF_PERM)
def desk_proxies(request: HttpRequest, pk: int) -> HttpResponse:
    resident = staff_object(Resident.objects.current().select_related("user"), request.user, pk=pk)
    form = CounterProxyGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = proxy_grant(
                grantor=resident,
                grantee=grantee_by_phone(data["phone"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                rights=form.rights(),
                relation=data["relation"],
                consent=data["consent"],
                by=request.user,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(proxy)s can now act for %(resident)s (代办).")
                % {"proxy": grant.grantee.name, "resident": resident.name},
            )
            return redirect("services:desk_proxies", resident.pk)
    grants = (
        ProxyGrant.objects.filter(grantor=resident)
        .select_related("grantee", "consent_recorded_by")
        .order_by("-created_at")[:30]
    )
    return render(request, "services/hall/desk_proxies.html", {"resident": resident, "form": form, "grants": grants})
