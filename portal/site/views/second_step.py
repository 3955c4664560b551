"""The second step of a staff sign-in (两步验证), staff's own page to set up an authenticator app and recovery codes,
and the district administrator's reset. The rules are portal.core.second_factor's.

A first factor that passes (the password, or an SMS code) does not sign a member of staff in: the session only
remembers who is half-way (`PENDING`: the account, the first factor, the address to go on to) for
`PENDING_SECONDS`. Nothing reads that as a user — `request.user` stays anonymous, so every staff page, the admin and
the API still send them to sign in. Django's `login()` runs only once the second factor passes; it gives the session
a new key. After a password the second factor is an SMS code to the account's number, a code of the authenticator
app or a recovery code; after an SMS code it is the password or the app (an SMS code and a recovery code are both
things one holds, never the two factors together).
"""

from __future__ import annotations

import time

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.core import second_factor
from portal.core.access import staff_required
from portal.core.codes import Purpose, Refusal, check_code, request_code, seconds_valid
from portal.core.confirm import confirm_first, confirm_page
from portal.core.models import User, mask_phone
from portal.core.qr import qr_data_uri
from portal.core.requests import paginate
from portal.core.sessions import record_device
from portal.site.code_forms import client_ip
from portal.site.second_step_forms import STEP_FORMS, TotpSetupForm
from portal.site.views.workbench import landing_url

PENDING = "_second_step"
SETUP = "_totp_setup"  # the key being set up, until a code from the app confirms it
PENDING_SECONDS = 10 * 60

METHOD_NAMES = {
    "sms": gettext_lazy("SMS code"),
    "totp": gettext_lazy("Authenticator app"),
    "recovery": gettext_lazy("Recovery code"),
    "password": pgettext_lazy("second step", "Password"),
}


def begin(request: HttpRequest, user: User, *, first: str, next_url: str = "") -> HttpResponse:
    """A first factor passed for an account that needs a second: remember it in the session, sign nobody in."""
    request.session[PENDING] = {
        "user": user.pk,
        "first": first,
        "backend": getattr(user, "backend", "portal.core.backends.PortalModelBackend"),
        "at": int(time.time()),
        "next": next_url,
    }
    return redirect("login_second")


def _pending(request: HttpRequest) -> tuple[User, dict] | None:
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or int(time.time()) - int(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    return (user, data) if user is not None else None


def methods_for(user: User, first: str) -> list[str]:
    """The second factors that may follow `first` for this account, the usual one first."""
    app = ["totp"] if second_factor.has_totp(user) else []
    if first == "sms":
        return [*app, "password"]
    return [*app, "sms", "recovery"]


def _check(request: HttpRequest, user: User, method: str, data: dict) -> Refusal | None:
    if method == "totp":
        return second_factor.check_totp(user, data["code"])
    if method == "recovery":
        return second_factor.check_recovery_code(user, data["code"])
    refusal = second_factor.locked(user)
    if refusal is not None:
        return refusal
    if method == "sms":
        refusal = check_code(phone=user.phone, purpose=Purpose.SECOND_STEP, code=data["code"])
        if refusal is not None and refusal.reason in ("wrong", "tries"):
            counted = second_factor.note_failure(user)
            return counted if counted.reason == "locked" else refusal
    else:  # the password, through the backends: the password lockout (axes) counts it too
        same = authenticate(request, username=user.phone, password=data["password"])
        if same is None or same.pk != user.pk:
            counted = second_factor.note_failure(user, "password")
            if counted.reason == "locked":
                return counted
            return Refusal("wrong", _("The password is wrong.") + " " + str(counted.message), "password")
    if refusal is None:
        second_factor.note_success(user)
    return refusal


def _finish(request: HttpRequest, user: User, data: dict, method: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    login(request, user, backend=data["backend"])  # a new session key
    record_device(request)
    if data["first"] == "sms" or method == "password":
        axes_reset(username=user.phone)  # the owner proved the number and the password: the lockout is lifted
    if not second_factor.has_totp(user):
        messages.info(
            request,
            _("Set up an authenticator app (我的 → 两步验证): it works without signal and costs no SMS."),
        )
    elif method == "recovery":
        messages.warning(
            request,
            _("You signed in with a recovery code; %(n)s are left. Make new ones on 我的 → 两步验证.")
            % {"n": second_factor.recovery_codes_left(user)},
        )
    return redirect(data["next"] or landing_url(user))


@never_cache
@sensitive_post_parameters("code", "password")
@require_http_methods(["GET", "POST"])
def login_second(request: HttpRequest) -> HttpResponse:
    """两步验证: the second factor of a staff sign-in, after the password or an SMS code."""
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Please sign in again: the second step waits 10 minutes at most."))
        return redirect("login")
    user, data = pending
    methods = methods_for(user, data["first"])
    method = request.POST.get("method") or request.GET.get("method") or methods[0]
    if method not in methods:
        method = methods[0]
    posted = request.method == "POST"
    form = STEP_FORMS[method](request.POST if posted else None)
    sent = False
    if posted and "send" in request.POST and method == "sms":
        refusal = second_factor.locked(user) or request_code(
            phone=user.phone, purpose=Purpose.SECOND_STEP, ip=client_ip(request)
        )
        form = STEP_FORMS[method]()
        if refusal is not None:
            form.refuse(refusal)
        sent = refusal is None
    elif posted and form.is_valid():
        refusal = _check(request, user, method, form.cleaned_data)
        if refusal is None:
            return _finish(request, user, data, method)
        form.refuse(refusal)
    context = {
        "form": form,
        "method": method,
        "others": [(name, METHOD_NAMES[name]) for name in methods if name != method],
        "method_name": METHOD_NAMES[method],
        "masked_phone": mask_phone(user.phone),
        "sent": sent,
        "minutes": seconds_valid() // 60,
        "first": data["first"],
    }
    return render(request, "registration/login_second.html", context)


# ----- 我的 → 两步验证: the staff member's own page


def _setup_context(request: HttpRequest, user: User, form=None) -> dict:
    secret = request.session.get(SETUP)
    if not secret:
        secret = request.session[SETUP] = second_factor.new_secret()
    uri = second_factor.provisioning_uri(user, secret)
    return {
        "setup": True,
        "qr": qr_data_uri(uri, box_size=6, border=4),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "form": form or TotpSetupForm(),
    }


@never_cache
@sensitive_post_parameters("code")
@staff_required()
@require_http_methods(["GET", "POST"])
def second_factor_page(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator app, and make new recovery codes; each shown once."""
    user = request.user
    if not user.is_staff:
        return redirect("portal:my")
    context = {
        "has_totp": second_factor.has_totp(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "masked_phone": mask_phone(user.phone),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "confirm":
        form = TotpSetupForm(request.POST)
        secret = request.session.get(SETUP)
        if form.is_valid() and not secret:
            form.refuse(Refusal("none", _("The setup has timed out. Scan the new QR code below."), "code"))
        elif form.is_valid():
            refusal = second_factor.confirm_totp(user, secret, form.cleaned_data["code"])
            if refusal is None:
                request.session.pop(SETUP, None)
                codes = second_factor.issue_recovery_codes(user)
                messages.success(request, _("The authenticator app is set up. Sign in with its codes from now on."))
                return render(request, "portal/second_factor_codes.html", {"codes": codes})
            form.refuse(refusal)
        context.update(_setup_context(request, user, form))
    elif action == "recovery":
        codes = second_factor.issue_recovery_codes(user)
        return render(request, "portal/second_factor_codes.html", {"codes": codes})
    elif not context["has_totp"] or request.GET.get("setup"):
        if request.GET.get("setup"):
            request.session.pop(SETUP, None)  # "set up a new app": a new key
        context.update(_setup_context(request, user))
    return render(request, "portal/second_factor.html", context)


# ----- the district administrator


@staff_required("portal.view_all_communities", "portal.change_user")
@require_http_methods(["GET"])
def second_factor_staff(request: HttpRequest) -> HttpResponse:
    """Every active member of staff with their second factor: the app set up or not, recovery codes left, paused."""
    rows = (
        User.objects.filter(is_staff=True, is_active=True)
        .select_related("community", "second_factor")
        .annotate(codes_left=Count("recovery_codes", filter=Q(recovery_codes__used_at__isnull=True)))
        .order_by("community__name", "name", "pk")
    )
    query = (request.GET.get("q") or "").strip()[:50]
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(phone__endswith=query))
    page, now = paginate(request, rows, 50), timezone.now()
    for row in page:
        factor = getattr(row, "second_factor", None)
        row.has_app = bool(factor and factor.has_totp)
        row.paused = bool(factor and factor.locked_until and factor.locked_until > now)
    return render(request, "portal/second_factor_staff.html", {"page": page, "q": query})


@staff_required("portal.view_all_communities", "portal.change_user")
@confirm_first
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget a staff member's authenticator app and recovery codes (a lost phone); audited. A GET asks first."""
    member = get_object_or_404(User, pk=pk, is_staff=True)
    back = reverse("portal:second_factor_staff")
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Reset this staff member's second factor?"),
            what=_(
                "%(name)s's authenticator app and recovery codes stop working. Until they set up a new app, their "
                "second step is an SMS code to %(phone)s."
            )
            % {"name": member.name, "phone": mask_phone(member.phone)},
            details=[(_("Staff member"), member.name), (_("Community"), str(member.community or "—"))],
            button=_("Yes, reset it"),
            back=back,
        )
    second_factor.reset(member, by=request.user)
    messages.success(request, _("The second factor of %(name)s has been reset.") % {"name": member.name})
    return redirect(back)
