"""Site pages of the portal: home, registration, my page, health check, error pages."""

from __future__ import annotations

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.core import replica, second_factor
from portal.core.access import scope_to_staff
from portal.core.actions import user_register
from portal.core.context_processors import ELDER_COOKIE
from portal.core.models import CalendarFeed, Community, Notification
from portal.core.notify import notification_mark_read, unread_count
from portal.core.pagecache import own_page, public_page, version
from portal.core.replica import reads_replica
from portal.core.requests import community_of, paginate
from portal.core.sessions import record_device
from portal.core.stations import Station
from portal.core.uploads import serve_file
from portal.site.forms import PhoneLoginForm, RegistrationForm
from portal.site.models import Notice
from portal.site.views import second_step
from portal.site.views.workbench import landing_url
from residents.models import PartyMember
from services.models import StationEvent
from volunteers.access import coordination_for

logger = logging.getLogger(__name__)

# The four stations' tiles on the home page: each station of the core's enum, its two names and its page.
STATIONS = [
    (Station.PARTY.value, "党员服务站", "Party-member service station", "volunteers:party_network"),
    (Station.HALL.value, "便民服务站", "One-stop convenience service hall", "services:catalogue"),
    (Station.HEALTH.value, "健康服务站", "Health service station", "services:stations:events"),
    (Station.CULTURE.value, "文化服务站", "Culture service station", "services:culture:rooms"),
]


def community_facts(community: Community) -> dict:
    """Counts shown on the home page; cached for five minutes because they change slowly and cost a scan."""
    key = f"community-facts:{community.pk}"
    facts = cache.get(key)
    if facts is None:
        c = Community.objects.filter(pk=community.pk)
        facts = {
            "households": community.households.count(),
            "residents": community.residents.current().count(),
            "buildings": community.buildings.count(),
            "areas": community.areas.count(),
            "branches": community.branches.count(),
            "groups": community.party_groups.count(),
            "stationed_units": community.stationed_units.count(),
            "members_self": community.party_members.filter(management=PartyMember.Management.SELF).count(),
            "members_stationed": community.party_members.filter(management=PartyMember.Management.STATIONED).count(),
            "general_branch": c.values_list("general_branch__name", "general_branch__secretary").first(),
        }
        cache.set(key, facts, 300)
    return facts


HOME_DEPENDS = ("portal.Community", "site.Notice", "services.StationEvent")


@public_page(depends=HOME_DEPENDS)
def home(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The community at a glance, from the database."""
    community = community_of(request, slug, required=False)
    others = Community.objects.only("name", "slug").order_by("name")[:40]
    community_id = community.pk if community else None
    # Lazy querysets: when the template's fragment cache holds the page body they are never run.
    notices = Notice.objects.published().for_community(community_id).select_related("community")[:5]
    context = {
        "community": community,
        "notices": notices,
        "events": upcoming_events(community_id),
        "facts": community_facts(community) if community else None,
        "stations": STATIONS,
        "communities": others,
        "body_version": version(HOME_DEPENDS),
    }
    return render(request, "portal/home.html", context)


def upcoming_events(community_id: int | None):
    """The next few public events of the stations (lazy)."""
    return StationEvent.objects.filter(
        community_id=community_id, published=True, starts_at__gte=timezone.now()
    ).order_by("starts_at")[:4]


def register(request: HttpRequest) -> HttpResponse:
    """Self-registration: phone, name, address → a pending account."""
    if request.user.is_authenticated:
        return redirect("portal:my")
    form = RegistrationForm(request.POST or None, request=request)
    if request.method == "POST" and "send" in request.POST:
        form.send_code()
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = user_register(
            phone=data["phone"],
            name=data["name"],
            community=data["community"],
            address=data["address"],
            password=data["password1"],
        )
        login(request, user, backend="portal.core.backends.PortalModelBackend")
        record_device(request)
        messages.success(
            request,
            _("Welcome! Your account is waiting for your community office to confirm your household."),
        )
        return redirect("portal:my")
    return render(request, "registration/register.html", {"form": form})


@login_required
@own_page(
    # The household's address, the calendar feed, whether they coordinate volunteers (a team they lead); the last
    # messages move with the unread count in the key.
    depends=(
        "residents.Resident",
        "residents.Household",
        "portal.CalendarFeed",
        "volunteers.Team",
        "volunteers.Volunteer",
    )
)
def my(request: HttpRequest) -> HttpResponse:
    """我的: the signed-in person's own page."""
    user = request.user
    resident = getattr(user, "resident", None) if not user.is_staff else None
    notifications = user.notifications.all()[:5]
    unread = unread_count(user)
    feed = CalendarFeed.objects.filter(user=user).first() if resident is not None else None
    feed_url = request.build_absolute_uri(reverse("portal:calendar_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "portal/my.html",
        {
            "resident": resident,
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
            "notifications": notifications,
            "unread": unread,
            "pending": _is_pending(user),
            "coordinates": coordination_for(user) is not None,
        },
    )


def _is_pending(user) -> bool:
    return not user.is_staff and not hasattr(user, "resident")


@reads_replica
@public_page(depends=("portal.Community", "site.Notice"))
def notice_list(request: HttpRequest) -> HttpResponse:
    """公告: published notices of the visitor's community and of the district, by category."""
    community = community_of(request, required=False)
    notices = Notice.objects.published().for_community(community.pk if community else None)
    category = request.GET.get("category", "")
    if category in Notice.Category.values:
        notices = notices.filter(category=category)
    page = paginate(request, notices.select_related("community"))
    return render(
        request,
        "portal/notice_list.html",
        {
            "page": page,
            "community": community,
            "categories": Notice.Category.choices,
            "category": category,
        },
    )


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice. Staff of its community may preview it before it is published."""
    return render(request, "portal/notice_detail.html", {"notice": notice_detail_object(request, pk)})


def notice_detail_object(request: HttpRequest, pk: int) -> Notice:
    visible = Notice.objects.published()
    if request.user.is_authenticated and request.user.is_staff:
        visible = visible | scope_to_staff(Notice.objects.all(), request.user)
    return get_object_or_404(visible.select_related("community"), pk=pk)


def notice_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A notice's attachment, served only while the notice is visible (media is never served directly)."""
    notice = notice_detail_object(request, pk)
    return serve_file(notice.attachment, as_attachment=True)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The notification inbox, newest first."""
    page = paginate(request, Notification.objects.filter(recipient=request.user))
    return render(request, "portal/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one message (`id`) or all of them read; another person's message is simply not found."""
    raw = request.POST.get("id", "")
    notification_mark_read(user=request.user, notification_id=int(raw) if raw.isdecimal() else None)
    return redirect("portal:inbox")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether the database, the cache and the broker answer. Cheap: one query, one cache round trip, one ping.
    With a read replica configured, also its state and replay lag; a replica down is no outage (the reports read
    the primary), so it does not make the answer a 503."""
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    if replica.configured():
        state = replica.status(fresh=True)
        body.update({"replica": state["state"], "replica_lag_seconds": state["lag_seconds"]})
    return JsonResponse(body, status=200 if healthy else 503)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any failure means "down"; the reason goes to the log, not to the caller
        logger.warning("healthz: database: %s", exc)
        return "down"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 10)
        return "ok" if cache.get("healthz") == "1" else "down"
    except Exception as exc:
        logger.warning("healthz: cache: %s", exc)
        return "down"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.CELERY_BROKER_URL.startswith("memory"):
        return "ok"
    try:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        return "ok" if client.ping() else "down"
    except Exception as exc:
        logger.warning("healthz: broker: %s", exc)
        return "down"


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a GET only redirects, as Django's does); a signed-in person's choice is also kept on the account, so that messages sent to
    them later (inbox, SMS, e-mail) are written in it."""
    response = i18n_views.set_language(request)
    code = request.POST.get("language") if request.method == "POST" else None
    if request.user.is_authenticated and code in dict(settings.LANGUAGES) and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


@require_POST
def elder_mode_toggle(request: HttpRequest) -> HttpResponse:
    """Switch 长辈模式 on or off: remembered on this device (cookie) and, when signed in, on the account."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated and request.user.elder_mode != on:
        request.user.elder_mode = on
        request.user.save(update_fields=["elder_mode"])
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)  # a URL, never a view name: redirect() would try to reverse ";env;"
    response.set_cookie(
        ELDER_COOKIE,
        "1" if on else "0",
        max_age=60 * 60 * 24 * 365 * 2,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


class LoginView(auth_views.LoginView):
    """Django's login, which also records the device of the new session."""

    redirect_authenticated_user = True
    authentication_form = PhoneLoginForm

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.required(user):
            # Staff: the password is the first of two factors; nobody is signed in until the second passes.
            return second_step.begin(self.request, user, first="password", next_url=self.get_redirect_url())
        response = super().form_valid(form)
        record_device(self.request)
        return response

    def form_invalid(self, form):
        """A wrong password says how many tries are left before the 15-minute pause (the same for every number,
        registered or not: the lockout counts both)."""
        phone = form.cleaned_data.get("username")
        if phone and form.has_error("__all__", "invalid_login"):
            left = settings.AXES_FAILURE_LIMIT - AxesProxyHandler.get_failures(self.request, {"username": phone})
            if left > 0:
                form.add_error(
                    "password",
                    ngettext(
                        "%(n)s more wrong password and logging in with this number is paused for 15 minutes. "
                        "You can also log in with an SMS code.",
                        "%(n)s more wrong passwords and logging in with this number is paused for 15 minutes. "
                        "You can also log in with an SMS code.",
                        left,
                    )
                    % {"n": left},
                )
        return super().form_invalid(form)

    def get_default_redirect_url(self):
        """Staff land on their workbench, the district administrator on the district overview, residents on 我的."""
        return landing_url(self.request.user)


def bare(request: HttpRequest) -> HttpResponse:
    """A fixed short answer through the full middleware stack: the benchmark's yardstick."""
    return HttpResponse(b"ok", content_type="text/plain")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
