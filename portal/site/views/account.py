"""我的 → account settings: login sessions, change of phone number, a download of my own data, the private
calendar feed."""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from portal.core import ical
from portal.core.audit import audit
from portal.core.codes import Purpose
from portal.core.confirm import confirm_first, confirm_page
from portal.core.models import CalendarFeed, Delivery, Session, User
from portal.core.plugins import app_modules
from portal.core.requests import form_errors
from portal.site.calendar_feed import calendar_feed_issue, calendar_feed_revoke, feed_entries
from portal.site.code_forms import CodeField, CodeFormMixin, clean_mobile_field
from portal.site.data_requests import DataRequestForm, data_request_file


class ChangePhoneForm(CodeFormMixin, forms.Form):
    """A new number, proved with an SMS code sent to it, and the current password."""

    purpose = Purpose.CHANGE_PHONE
    phone = forms.CharField(
        label=gettext_lazy("New mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    code = CodeField(label=gettext_lazy("SMS code sent to the new number"))
    password = forms.CharField(
        label=gettext_lazy("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("To protect your account, confirm it is you."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def number_for_code(self, phone: str) -> str:
        if phone == self.user.phone:
            raise ValidationError(_("This is already your mobile number."), code="same")
        return phone

    def clean_phone(self) -> str:
        return self.number_for_code(clean_mobile_field(self.cleaned_data["phone"]))

    def clean(self) -> dict:
        cleaned = super().clean()
        phone = cleaned.get("phone")
        if self.check_the_code(phone) and User.objects.filter(phone=phone).exists():
            self.add_error("phone", ValidationError(_("This mobile number is already registered."), code="taken"))
        return cleaned

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is wrong."), code="password")
        return password


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Where am I logged in? Lists this account's live sessions; the others can be ended."""
    rows = list(Session.objects.filter(user=request.user, expire_date__gt=timezone.now()).order_by("-last_seen"))
    for row in rows:
        row.device = device_token(row.session_key)
    return render(request, "portal/sessions.html", {"rows": rows, "current": request.session.session_key})


def device_token(session_key: str) -> str:
    """A session named in a link (?device=): a digest, never the session key itself (URLs end up in logs)."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


@login_required
@confirm_first
def sessions_end(request: HttpRequest) -> HttpResponse:
    """End one other session (`key`) or every other session; the current one stays. A GET asks first: every
    other session, or the one `?device=` names."""
    others = Session.objects.filter(user=request.user).exclude(session_key=request.session.session_key)
    if request.method != "POST":
        return _sessions_end_ask(request, others.filter(expire_date__gt=timezone.now()))
    key = request.POST.get("key")
    if key:
        others = others.filter(session_key=key)
    ended, _unused = others.delete()
    messages.success(request, _("%(n)s other session(s) ended.") % {"n": ended})
    return redirect("portal:sessions")


def _sessions_end_ask(request: HttpRequest, live) -> HttpResponse:
    device = request.GET.get("device", "")
    if device:
        session = next((s for s in live if device_token(s.session_key) == device), None)
        return confirm_page(
            request,
            title=_("Log out on that device?"),
            what=_("Whoever uses that device will have to log in again."),
            details=[(pgettext("login session", "Device"), session.user_agent or _("Unknown device"))]
            if session
            else [],
            button=_("Yes, log out there"),
            back=reverse("portal:sessions"),
            fields={"key": session.session_key} if session else None,
            problem="" if session else _("That device is no longer logged in."),
        )
    count = live.count()
    return confirm_page(
        request,
        title=_("Log out everywhere else?"),
        what=_("Every other phone or computer logged in to your account will have to log in again; this one stays."),
        details=[(_("Other devices"), str(count))],
        button=_("Yes, log out everywhere else"),
        back=reverse("portal:sessions"),
        problem="" if count else _("You are not logged in anywhere else."),
    )


@login_required
def change_phone(request: HttpRequest) -> HttpResponse:
    """Change the login number: a code sent to the new number and the password; other sessions end."""
    form = ChangePhoneForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and "send" in request.POST:
        form.send_code()
    elif request.method == "POST" and form.is_valid():
        user = request.user
        user.phone = form.cleaned_data["phone"]
        user.save(update_fields=["phone"])
        Session.objects.filter(user=user).exclude(session_key=request.session.session_key).delete()
        audit(actor=user, action="change_phone", obj=user, summary="phone changed by its owner")
        messages.success(request, _("Your mobile number has been changed. Use it to log in from now on."))
        return redirect("portal:my")
    return render(request, "portal/change_phone.html", {"form": form})


def user_data(user: User) -> dict:
    """Everything the portal holds about `user`: the portal's own records plus each app's `privacy` module."""
    data = {
        "account": {
            "phone": user.phone,
            "name": user.name,
            "email": user.email,
            "community": user.community.name if user.community_id else None,
            "registered_address": user.registered_address,
            "date_joined": user.date_joined,
            "elder_mode": user.elder_mode,
            "language": user.language,
        },
        # How the portal reaches me: the inbox always, a copy by SMS and e-mail to the number and address above.
        "notification_settings": {
            "inbox": True,
            "sms": bool(user.phone),
            "email": bool(user.email),
            "language": user.language,
        },
        "notifications": list(user.notifications.values("title", "body", "url", "created_at", "read_at")),
        "messages_sent": list(
            Delivery.objects.filter(notification__recipient=user)
            .order_by("pk")
            .values("channel", "status", "sent_at", "notification__title")
        ),
        "login_sessions": list(
            Session.objects.filter(user=user).order_by("-last_seen").values("user_agent", "ip", "last_seen")
        ),
    }
    for app_config, module in app_modules("privacy"):
        exporter = getattr(module, "export_user_data", None)
        if exporter is not None:
            data[app_config.label] = exporter(user)
    return data


@login_required
def download_my_data(request: HttpRequest) -> HttpResponse:
    """A JSON file with my own data (PIPL: the right to a copy), and nobody else's."""
    body = json.dumps(user_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    audit(actor=request.user, action="download_own_data", obj=request.user)
    return response


@login_required
def data_request(request: HttpRequest) -> HttpResponse:
    """Ask to correct, complete or delete my personal information: a case at my community's hall."""
    resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Only residents of a community can make this request here."))
        return redirect("portal:my")
    form = DataRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = data_request_file(
                resident=resident, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your request is case %(number)s at the hall. You will find the answer in your inbox.")
                % {"number": case.number},
            )
            return redirect("services:case", case.pk)
    return render(request, "portal/data_request.html", {"form": form})


# --- 我的日历: the private calendar feed ------------------------------------------------------


@login_required
@confirm_first
def calendar_feed_new(request: HttpRequest) -> HttpResponse:
    """GET asks; POST makes a (new) private feed URL. A new one stops the old URL at once."""
    resident = getattr(request.user, "resident", None)
    if resident is None:
        messages.info(request, _("Only residents have a calendar of their own."))
        return redirect("portal:my")
    had = CalendarFeed.objects.filter(user=request.user).exists()
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Make a new calendar address?") if had else _("Make my calendar address?"),
            what=(
                _("The old address stops working at once: phones subscribed to it must add the new one.")
                if had
                else _(
                    "You get a private address that phone calendars can subscribe to. Anyone who has it can read "
                    "your appointments, so keep it to yourself."
                )
            ),
            button=_("Yes, make a new address") if had else _("Yes, make my address"),
            back=f"{reverse('portal:my')}#calendar-title",
        )
    calendar_feed_issue(user=request.user)
    messages.success(request, _("Your calendar address is ready. Copy it into your phone's calendar."))
    return redirect(f"{reverse('portal:my')}#calendar-title")


@login_required
@confirm_first
def calendar_feed_revoke_view(request: HttpRequest) -> HttpResponse:
    """GET asks; POST stops the private feed (its address answers "not found" from then on)."""
    has = CalendarFeed.objects.filter(user=request.user).exists()
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Stop my calendar address?"),
            what=_("Calendars subscribed to it stop receiving your appointments. You can make a new one later."),
            button=_("Yes, stop it"),
            back=f"{reverse('portal:my')}#calendar-title",
            problem="" if has else _("You have no calendar address."),
        )
    calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address is stopped."))
    return redirect(f"{reverse('portal:my')}#calendar-title")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no session, the token is the credential; an unknown or stopped token is a 404."""
    feed = CalendarFeed.objects.select_related("user__resident").filter(token=token, user__is_active=True).first()
    resident = getattr(feed.user, "resident", None) if feed is not None else None
    if resident is None:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    name = _("%(name)s · my community calendar") % {"name": resident.name}
    response = ical.response(
        ical.build(feed_entries(resident), name=name), filename="my-calendar.ics", attachment=False
    )
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
