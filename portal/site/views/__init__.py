"""The portal's own pages, one module per area."""

from portal.site.views.account import (
    calendar_feed,
    calendar_feed_new,
    calendar_feed_revoke_view,
    change_phone,
    data_request,
    download_my_data,
    sessions,
    sessions_end,
)
from portal.site.views.assessment import assessment, indicator_enter_view, indicator_file
from portal.site.views.boards import board_detail, board_list, board_poster, contact, contact_photo, facilities
from portal.site.views.civility import appraisal_detail, appraisal_list, nominate, nomination_photo, vote
from portal.site.views.codes import login_by_code, password_reset_by_code
from portal.site.views.district import dashboard, district
from portal.site.views.preferences import notification_settings
from portal.site.views.proxies import proxies, proxy_revoke_view
from portal.site.views.search import search_page
from portal.site.views.site import (
    LoginView,
    bad_request,
    bare,
    community_facts,
    csrf_failure,
    elder_mode_toggle,
    healthz,
    home,
    inbox,
    inbox_mark_read,
    my,
    notice_attachment,
    notice_detail,
    notice_list,
    page_not_found,
    permission_denied,
    register,
    set_language,
)
from portal.site.views.workbench import landing_url, workbench

__all__ = [
    "assessment",
    "indicator_enter_view",
    "indicator_file",
    "calendar_feed",
    "calendar_feed_new",
    "calendar_feed_revoke_view",
    "notification_settings",
    "proxies",
    "proxy_revoke_view",
    "contact",
    "dashboard",
    "district",
    "facilities",
    "search_page",
    "appraisal_detail",
    "appraisal_list",
    "nominate",
    "nomination_photo",
    "vote",
    "change_phone",
    "data_request",
    "login_by_code",
    "password_reset_by_code",
    "download_my_data",
    "sessions",
    "sessions_end",
    "bad_request",
    "bare",
    "board_detail",
    "board_list",
    "board_poster",
    "community_facts",
    "contact_photo",
    "csrf_failure",
    "elder_mode_toggle",
    "LoginView",
    "healthz",
    "home",
    "inbox",
    "inbox_mark_read",
    "my",
    "notice_attachment",
    "notice_detail",
    "notice_list",
    "page_not_found",
    "permission_denied",
    "register",
    "set_language",
    "landing_url",
    "workbench",
]
