"""我的 → 家人代办 (family proxies): the grants I gave and those I received; grant one to a family member found by
mobile number; revoke (either side). The rules live in residents.proxies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.core.confirm import confirm_first, confirm_page
from portal.core.requests import error_text, form_errors
from residents.forms import ProxyGrantForm
from residents.models_proxies import ProxyGrant
from residents.proxies import grantee_by_phone, may_revoke, proxy_grant, proxy_revoke


@login_required
def proxies(request: HttpRequest) -> HttpResponse:
    """The grants I gave (as a resident) and those I hold (as someone's proxy), and the form to grant one."""
    user = request.user
    resident = getattr(user, "resident", None)
    form = ProxyGrantForm(request.POST or None) if resident is not None else None
    if request.method == "POST":
        if form is None:  # only a resident in the register can let someone act for them
            messages.info(request, _("Only residents linked to a household can let someone act for them."))
            return redirect("portal:proxies")
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = proxy_grant(
                    grantor=resident,
                    grantee=grantee_by_phone(data["phone"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    rights=form.rights(),
                    relation=data["relation"],
                    by=user,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("%(name)s can now act for you (代办).") % {"name": grant.grantee.name})
                return redirect("portal:proxies")
    given = (
        ProxyGrant.objects.filter(grantor=resident).select_related("grantee").order_by("-created_at")[:30]
        if resident is not None
        else []
    )
    received = ProxyGrant.objects.filter(grantee=user).select_related("grantor").order_by("-created_at")[:30]
    return render(request, "portal/proxies.html", {"form": form, "given": given, "received": received})


@login_required
@confirm_first
def proxy_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what revoking means; POST: revoke (the resident, the proxy, or counter staff of the community)."""
    grant = get_object_or_404(ProxyGrant.objects.select_related("grantor__user", "grantee"), pk=pk)
    if not may_revoke(grant, request.user):
        raise Http404  # somebody else's grant does not exist for this user
    own = request.user.pk in (grant.grantee_id, grant.grantor.user_id)
    back = reverse("portal:proxies") if own else reverse("services:desk_proxies", args=[grant.grantor_id])
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("End this family proxy?"),
            what=_("From now on %(proxy)s can no longer act for %(resident)s. Both are told.")
            % {"proxy": grant.grantee.name, "resident": grant.grantor.name},
            details=[
                (pgettext("proxy", "Resident"), grant.grantor.name),
                (_("Family member"), grant.grantee.name),
                (_("Period"), f"{grant.starts_on:%Y-%m-%d} – {grant.ends_on:%Y-%m-%d}"),
            ],
            button=_("Yes, end it"),
            back=back,
            problem=_("This proxy has already been revoked.") if grant.revoked_at else "",
        )
    try:
        proxy_revoke(grant=grant, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The family proxy has ended."))
    return redirect(back)
