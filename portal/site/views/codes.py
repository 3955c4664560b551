"""Sign-in with an SMS code and 忘记密码 (a new password with a code). The forms are in portal.site.code_forms."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from portal.core import second_factor
from portal.core.actions import user_reset_password
from portal.core.sessions import record_device
from portal.site.code_forms import CodeLoginForm, PasswordResetCodeForm
from portal.site.views import second_step
from portal.site.views.workbench import landing_url


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _next_url(request: HttpRequest) -> str:
    return _safe_next(request) or landing_url(request.user)


@never_cache
@sensitive_post_parameters("code")
def login_by_code(request: HttpRequest) -> HttpResponse:
    """短信验证码登录: the way out of the password lockout too (it counts codes, not passwords)."""
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    form = CodeLoginForm(request.POST or None, request=request)
    if request.method == "POST" and "send" in request.POST:
        form.send_code()
    elif request.method == "POST" and form.is_valid():
        user = form.user
        if second_factor.required(user):
            # Staff: a code to the phone is one factor; the password or the authenticator app must follow.
            return second_step.begin(request, user, first="sms", next_url=_safe_next(request))
        login(request, user, backend="portal.core.backends.PortalModelBackend")
        record_device(request)
        axes_reset(username=user.phone)  # the owner proved the number: the password lockout is lifted
        return redirect(_next_url(request))
    return render(request, "registration/login_code.html", {"form": form})


@never_cache
@sensitive_post_parameters("code", "new_password1", "new_password2")
def password_reset_by_code(request: HttpRequest) -> HttpResponse:
    """忘记密码: a code to the account's number and a new password; every session of the account ends."""
    form = PasswordResetCodeForm(request.POST or None, request=request)
    if request.method == "POST" and "send" in request.POST:
        form.send_code()
    elif request.method == "POST" and form.is_valid():
        user_reset_password(user=form.user, password=form.cleaned_data["new_password1"])
        axes_reset(username=form.user.phone)
        messages.success(request, _("Your password has been changed. Log in with the new password."))
        return redirect("login")
    return render(request, "registration/password_reset_code.html", {"form": form})
