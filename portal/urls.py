from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal.site import views
from portal.site.views import second_step, staff_sessions

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("c/<slug:slug>/", views.home, name="community"),
        path("register/", views.register, name="register"),
        path("my/", views.my, name="my"),
        path("work/", views.workbench, name="workbench"),
        path("my/inbox/", views.inbox, name="inbox"),
        path("my/sessions/", views.sessions, name="sessions"),
        path("my/sessions/end/", views.sessions_end, name="sessions_end"),
        path("my/phone/", views.change_phone, name="change_phone"),
        path("my/data.json", views.download_my_data, name="my_data"),
        path("my/data/request/", views.data_request, name="data_request"),
        path("my/calendar/new/", views.calendar_feed_new, name="calendar_feed_new"),
        path("my/calendar/stop/", views.calendar_feed_revoke_view, name="calendar_feed_revoke"),
        path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
        path("my/notifications/", views.notification_settings, name="notification_settings"),
        path("my/proxies/", views.proxies, name="proxies"),
        path("my/proxies/<int:pk>/revoke/", views.proxy_revoke_view, name="proxy_revoke"),
        path("my/inbox/read/", views.inbox_mark_read, name="inbox_read"),
        path("contact/", views.contact, name="contact"),
        path("c/<slug:slug>/boards/", views.board_list, name="boards"),
        path("c/<slug:slug>/nearby/", views.facilities, name="facilities"),
        path("boards/<int:pk>/", views.board_detail, name="board"),
        path("boards/<int:pk>/poster/", views.board_poster, name="board_poster"),
        path("contacts/<int:pk>/photo/", views.contact_photo, name="contact_photo"),
        path("elder-mode/", views.elder_mode_toggle, name="elder_mode"),
        path("appraisals/", views.appraisal_list, name="appraisals"),
        path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
        path("appraisals/<int:pk>/nominate/", views.nominate, name="nominate"),
        path("appraisals/<int:pk>/vote/<int:nomination_pk>/", views.vote, name="vote"),
        path(
            "appraisals/<int:pk>/nominations/<int:nomination_pk>/photo/",
            views.nomination_photo,
            name="nomination_photo",
        ),
        path("search/", views.search_page, name="search"),
        path("district/", views.district, name="district"),
        path("district/sessions/", staff_sessions.staff_sessions, name="staff_sessions"),
        path("district/sessions/<str:device>/end/", staff_sessions.staff_session_end, name="staff_session_end"),
        path("district/second-factor/", second_step.second_factor_staff, name="second_factor_staff"),
        path("district/second-factor/<int:pk>/reset/", second_step.second_factor_reset, name="second_factor_reset"),
        path("my/second-factor/", second_step.second_factor_page, name="second_factor"),
        path("dashboard/", views.dashboard, name="dashboard"),
        path("c/<slug:slug>/assessment/", views.assessment, name="assessment"),
        path(
            "c/<slug:slug>/assessment/<int:year>/<slug:indicator>/",
            views.indicator_enter_view,
            name="indicator_enter",
        ),
        path("assessment/evidence/<int:pk>/", views.indicator_file, name="indicator_file"),
        path("notices/", views.notice_list, name="notices"),
        path("notices/<int:pk>/", views.notice_detail, name="notice"),
        path("notices/<int:pk>/attachment/", views.notice_attachment, name="notice_attachment"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("services/", include("services.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("councils/", include("councils.urls")),
    path(
        "accounts/login/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("accounts/login/code/", views.login_by_code, name="login_code"),
    path("accounts/login/second/", second_step.login_second, name="login_second"),
    path("accounts/password/reset/", views.password_reset_by_code, name="password_reset_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("bare", views.bare, name="bare"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = _("Community service portal · staff")
admin.site.site_title = _("Community service portal")
admin.site.index_title = _("Work of the community")

if not settings.PRODUCTION:
    # make run and the tests: public media (contact-board photos) from the Django process.
    # In production nginx serves MEDIA_ROOT; private files (portal.core.uploads.private_storage) never live there.
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT, show_indexes=False)
    from django.urls import re_path
    from django.views.static import serve

    if not settings.DEBUG:  # static() adds nothing with DEBUG off
        urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "portal.site.views.bad_request"
handler403 = "portal.site.views.permission_denied"
handler404 = "portal.site.views.page_not_found"
