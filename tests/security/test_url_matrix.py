"""Every URL × every role × GET and POST answers as EXPECTED says; a forbidden POST changes nothing.

The table below is the portal's access policy in one place. A new URL without an entry fails
`test_every_url_has_an_entry`. Audiences:

- "public": everyone, signed in or not;
- "login": anyone signed in (anonymous → the login page);
- "resident": a signed-in resident of community A (resident A or B); anyone else is refused;
- "own": resident A only, the owner of the record; resident B gets 404;
- "perm:<app.codename>": community staff of A holding that permission; the same role of community B gets 404 when
  the URL names a record of A (`scoped`); the district administrator when `district` says so (default: holds the
  permission);
- "coord": volunteer coordinators (the residents'-committee director, a volunteer team's leader) — scoped to A;
- "approve": coordinators who may approve applications (the director);
- "district": the district administrator only;
- "nobody".
An audience may be several joined by "|". Refused means 403 or 404 (404 for another community's record, so its
existence does not leak), anonymous means a redirect to the login page; nobody ever gets a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.security.conftest import WHO
from tests.security.params import PARAMS

LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Rule:
    get: str
    post: str | None = None  # who may POST; None: the same as GET
    post_only: bool = False  # the view takes POST only: a GET answers 405 to whoever passes the login check
    get_only: bool = False  # the view takes GET only: a POST answers 405
    scoped: bool = True  # the path names a record of community A (false for public records and own pages)
    district: bool | None = None  # may the district administrator pass a "perm:" audience (default: has_perm)
    anon_login: bool = True  # anonymous on a refused cell → the login page (False: 403/404/405 is fine)
    may_404: bool = False  # allowed people may still get 404 (e.g. a record with no file to serve)
    refused_redirect: bool = False  # a refusal may be a redirect elsewhere (not to log in) with a message
    anon_ok: tuple[int, ...] = ()  # other answers an anonymous refusal may take


P, L, R, OWN, D, STAFF = "public", "login", "resident", "own", "district", "staff"
R_A = "resident-of-a"  # residents of community A only, even on pages that are not otherwise scoped
VOLUNTEER = "volunteer"  # a signed-in volunteer (resident A is one; so are the team leaders)
COORD, COORD_ALL = "coord", "coord-all"  # volunteer coordinators; those of the whole community (the director)
HEALTH = "perm:portal.see_health"  # health-station staff; the district holds no such permission
SECRETARIES = "who:council_sec|who:branch_sec"  # the 议事会's secretary and its convenor (党总支书记)


def perm(codename: str) -> str:
    return f"perm:{codename}"


EXPECTED: dict[str, Rule] = {
    # portal: the site
    "portal:home": Rule(P),
    "portal:community": Rule(P, scoped=False),
    "portal:register": Rule(P),
    "portal:my": Rule(L),
    "portal:workbench": Rule(L),  # staff: their workbench; the district: its overview; residents: 我的 (302)
    "portal:inbox": Rule(L),
    "portal:sessions": Rule(L),
    "portal:sessions_end": Rule(L),  # GET: the confirmation step
    "portal:change_phone": Rule(L),
    "portal:my_data": Rule(L),
    "portal:data_request": Rule(L),  # residents file it; anyone else is sent back to 我的 (302)
    "portal:calendar_feed_new": Rule(L),  # GET: the confirmation step; people without a resident: back to 我的
    "portal:calendar_feed_revoke": Rule(L),  # GET: the confirmation step
    # The private calendar feed: the token is the credential (resident A's here), no session is needed.
    "portal:calendar_feed": Rule(P, scoped=False, get_only=True),
    "portal:notification_settings": Rule(L),
    "portal:proxies": Rule(L),  # the grants I gave and hold; granting needs a resident record (else a message)
    # Either side of the grant (resident A granted it), or counter staff of the community; GET: the confirmation
    "portal:proxy_revoke": Rule(f"{OWN}|{perm('residents.change_proxygrant')}"),
    "portal:inbox_read": Rule(L, post_only=True),
    "portal:contact": Rule(P),
    "portal:boards": Rule(P, scoped=False),
    "portal:facilities": Rule(P, scoped=False),
    "portal:board": Rule(P, scoped=False),
    "portal:board_poster": Rule(P, scoped=False),
    "portal:contact_photo": Rule(P, scoped=False, may_404=True),  # the seed has no photos
    "portal:elder_mode": Rule(P, post_only=True),
    "portal:appraisals": Rule(P),
    "portal:appraisal": Rule(P, scoped=False),
    "portal:nominate": Rule(L, scoped=False),
    "portal:vote": Rule(L, post_only=True, scoped=False),
    "portal:nomination_photo": Rule(P, scoped=False),  # on the ballot; before that see test_private_files.py
    "portal:search": Rule(P),
    "portal:district": Rule(D),
    "portal:staff_sessions": Rule(D, get_only=True),
    "portal:staff_session_end": Rule(D, may_404=True),  # a device token nobody has: 404 to the district, too
    # Staff's second factor: their own page (residents are sent back to 我的); the district administrator's list and
    # reset of anyone's.
    "portal:second_factor": Rule(STAFF, scoped=False, refused_redirect=True),
    "portal:second_factor_staff": Rule(D, get_only=True),
    "portal:second_factor_reset": Rule(D, scoped=False),
    "portal:dashboard": Rule(STAFF, scoped=False),
    # The 1000-point assessment of community A: its assessment staff (the director) and the district; the form
    # enters a hand-entered indicator (POST with nothing typed: the form again, 200); the evidence file of an entry.
    "portal:assessment": Rule(perm("site.view_indicatorentry"), get_only=True),
    "portal:indicator_enter": Rule(perm("site.change_indicatorentry")),
    "portal:indicator_file": Rule(perm("site.view_indicatorentry"), get_only=True),
    "portal:notices": Rule(P),
    "portal:notice": Rule(P, scoped=False),
    "portal:notice_attachment": Rule(P, scoped=False, may_404=True),  # the seed has no attachments
    # services: the hall
    "services:catalogue": Rule(P),
    "services:search": Rule(P),
    "services:item": Rule(P, scoped=False),
    # Service items are public; hall staff (of any community) are sent to pick the resident they act for.
    "services:book": Rule(
        f"{R_A}|{perm('services.book_on_behalf')}", scoped=False, district=False, refused_redirect=True
    ),
    "services:book_confirm": Rule(
        f"{R_A}|{perm('services.book_on_behalf')}", scoped=False, district=False, refused_redirect=True
    ),
    "services:my_bookings": Rule(R, scoped=False, refused_redirect=True),
    "services:booking": Rule(f"{OWN}|{perm('services.view_booking')}"),
    "services:booking_cancel": Rule(f"{OWN}|{perm('services.view_booking')}"),  # GET: the confirmation step
    "services:booking_reschedule": Rule(f"{OWN}|{perm('services.view_booking')}"),
    "services:booking_ics": Rule(f"{OWN}|{perm('services.view_booking')}"),
    "services:my_cases": Rule(R, scoped=False, refused_redirect=True),
    "services:case_new": Rule(R, scoped=False, refused_redirect=True),
    "services:case": Rule(f"{OWN}|{perm('services.view_case')}"),
    "services:case_rate": Rule(f"{OWN}|{perm('services.view_case')}", post_only=True),
    "services:case_note": Rule(OWN, post_only=True),
    "services:attachment": Rule(f"{OWN}|{perm('services.view_case')}"),
    "services:desk": Rule(perm("services.work_desk"), scoped=False, district=False),
    "services:desk_check_in": Rule(perm("services.work_desk"), post_only=True, scoped=False, district=False),
    "services:desk_counter": Rule(perm("services.work_desk"), district=False),
    "services:desk_call_next": Rule(perm("services.work_desk"), post_only=True, district=False),
    "services:desk_finish": Rule(perm("services.work_desk"), district=False),  # GET: the confirmation step
    "services:desk_residents": Rule(perm("services.book_on_behalf"), scoped=False, district=False),
    "services:desk_resident": Rule(perm("services.book_on_behalf"), district=False),
    "services:case_channels": Rule(perm("services.view_case"), scoped=False, get_only=True),
    "services:desk_proxies": Rule(perm("residents.add_proxygrant"), district=False),  # set up with consent
    "services:board": Rule(P, scoped=False),
    # 物业进社区: residents report and rate repairs; staff take reports and dispatch; the company's staff (a role not
    # in this matrix: services/tests/test_property_pages.py) and the community move them on; the district publishes
    "services:property:report": Rule(R, scoped=False, refused_redirect=True),
    "services:property:my_repairs": Rule(R, scoped=False, refused_redirect=True),
    "services:property:desk": Rule(perm("services.dispatch_repair"), scoped=False),
    "services:property:repairs": Rule(perm("services.view_repair"), scoped=False),
    "services:property:repair": Rule(f"{OWN}|{perm('services.view_repair')}", get_only=True),
    "services:property:repair_rate": Rule(f"{OWN}|{perm('services.view_repair')}", post_only=True),
    "services:property:repair_step": Rule(perm("services.dispatch_repair"), post_only=True),
    "services:property:companies": Rule(perm("services.view_propertycompany"), scoped=False, get_only=True),
    "services:property:ranking": Rule(perm("services.view_propertyscore"), scoped=False, get_only=True),
    # the current quarter's period: not ended yet, so a message (a published one: a message too)
    "services:property:publish": Rule(perm("services.publish_propertyappraisal"), scoped=False, post_only=True),
    # the sign-in-free link of the confirmation SMS: whoever holds the signed link (GET of cancel: the question)
    "services:booking_link": Rule(P, scoped=False, anon_login=False),
    "services:booking_link_cancel": Rule(P, scoped=False, anon_login=False),
    # the check-in scanner: staff who check in a hall, checkup or event seat, of their own community
    "services:scan": Rule(
        "|".join(
            perm(p)
            for p in ("services.work_desk", "services.change_checkupbooking", "services.change_eventregistration")
        ),
        scoped=False,
        district=False,
    ),
    # services: the health station (health values: health staff of the community only, never the district)
    "services:health:my_file": Rule(R, scoped=False),
    "services:health:my_access_log": Rule(R, scoped=False),
    "services:health:my_download": Rule(R, scoped=False),
    "services:health:my_checkup": Rule(R, scoped=False),
    "services:health:my_checkup_book": Rule(R, post_only=True),
    "services:health:my_checkup_cancel": Rule(OWN),  # GET: the confirmation step
    "services:health:files": Rule(HEALTH, scoped=False),
    "services:health:file": Rule(HEALTH),
    "services:health:reading_add": Rule(HEALTH, post_only=True),
    "services:health:followup_add": Rule(HEALTH, post_only=True),
    "services:health:maternal_add": Rule(HEALTH, post_only=True),
    "services:health:consent_withdraw": Rule(HEALTH, post_only=True),
    "services:health:file_open": Rule(HEALTH),
    "services:health:focus": Rule(HEALTH, scoped=False),
    "services:health:campaigns": Rule(HEALTH, scoped=False),
    "services:health:campaign": Rule(HEALTH),
    "services:health:slot": Rule(HEALTH),
    # services: the culture station
    "services:culture:rooms": Rule(P),
    "services:culture:room": Rule(P, post=R, anon_login=False),  # POST books the room
    "services:culture:classes": Rule(P),
    "services:culture:class_enrol": Rule(R, post_only=True),
    "services:culture:teams": Rule(P),
    "services:culture:my": Rule(R, scoped=False),
    "services:culture:booking_cancel": Rule(OWN),  # GET: the confirmation step
    "services:culture:registration_cancel": Rule(OWN),  # GET: the confirmation step
    "services:culture:enrolment_cancel": Rule(OWN),  # GET: the confirmation step
    "services:culture:team_weekly": Rule(perm("services.add_roombooking"), district=False),
    # grid work (网格化管理): grid workers (narrowed to their grid), and community staff who see the grids
    "services:grids:home": Rule(perm("residents.view_homevisit"), scoped=False, get_only=True),
    "services:grids:due": Rule(perm("residents.view_homevisit"), scoped=False, get_only=True),
    "services:grids:household": Rule(perm("residents.view_homevisit"), post=perm("residents.add_homevisit")),
    "services:grids:visit_hand_over": Rule(perm("residents.add_homevisit")),  # and services.add_case
    "services:grids:patrols": Rule(perm("residents.view_patrol"), scoped=False, get_only=True),
    "services:grids:patrol_new": Rule(perm("residents.add_patrol"), scoped=False),
    "services:grids:patrol": Rule(perm("residents.view_patrol"), get_only=True),
    "services:grids:patrol_photo": Rule(perm("residents.view_patrol"), get_only=True),
    "services:grids:patrol_hand_over": Rule(perm("residents.add_patrol")),  # and services.add_case
    "services:culture:class_sessions": Rule(perm("services.add_roombooking"), district=False),
    "services:culture:session_attendance": Rule(perm("services.add_roombooking"), district=False),
    # services: the stations' events
    "services:stations:events": Rule(P),
    "services:stations:event": Rule(P, post=perm("services.add_eventphoto"), anon_login=False),  # POST: photos
    "services:stations:event_register": Rule(R, post_only=True),
    "services:stations:event_image": Rule(P, scoped=False),  # while the event is published
    "services:stations:event_thumbnail": Rule(P, scoped=False),
    "services:stations:calendar": Rule(P),
    "services:stations:calendar_community": Rule(P, scoped=False),
    "services:stations:ical": Rule(P, scoped=False),
    # volunteers
    "volunteers:index": Rule(P),
    "volunteers:apply": Rule(L),
    "volunteers:activity_list": Rule(P),
    "volunteers:activity_detail": Rule(P, scoped=False),
    "volunteers:activity_signup": Rule(L, post_only=True, scoped=False),  # refusals are messages on the page
    "volunteers:signup_cancel": Rule(OWN),  # GET: the confirmation step
    "volunteers:my_hours": Rule(VOLUNTEER, scoped=False),
    "volunteers:my_badge": Rule(VOLUNTEER, scoped=False),
    "volunteers:my_badge_status": Rule(VOLUNTEER, scoped=False),
    "volunteers:badge_image": Rule(f"{OWN}|{COORD_ALL}"),
    "volunteers:badge_verify": Rule(P, scoped=False),
    "volunteers:party_network": Rule(P),
    "volunteers:duty_posts": Rule(P),
    "volunteers:dashboard": Rule(COORD, scoped=False),
    "volunteers:applications": Rule(COORD_ALL, scoped=False),
    "volunteers:application_approve": Rule(COORD_ALL, post_only=True),
    "volunteers:application_reject": Rule(COORD_ALL),  # GET: the confirmation step
    "volunteers:activity_new": Rule(COORD, scoped=False),
    "volunteers:roster": Rule(COORD),
    "volunteers:scan": Rule(COORD),
    "volunteers:check_in": Rule(COORD, post_only=True),
    "volunteers:check_out": Rule(COORD, post_only=True),
    "volunteers:confirm_hours": Rule(COORD, post_only=True),
    "volunteers:correct_hours": Rule(COORD, post_only=True),
    "volunteers:stats": Rule(COORD, scoped=False),
    "volunteers:growth": Rule(COORD, scoped=False),
    "volunteers:volunteer_list": Rule(COORD, scoped=False),
    "volunteers:volunteer_statement": Rule(COORD_ALL),  # resident A is not in the team leader's team
    "volunteers:export_hours": Rule(COORD, scoped=False),
    "volunteers:badge_sheet": Rule(COORD, scoped=False),
    "volunteers:served_list": Rule(COORD, scoped=False),
    "volunteers:served_detail": Rule(COORD_ALL),
    # 在职党员报到 and 微心愿: anyone signed in may report in and see the masked wishes; claiming needs a confirmed
    # report-in (else a message); the wisher thanks (or the office for them)
    "volunteers:stationed_home": Rule(L),
    "volunteers:stationed_report": Rule(L),  # resident A has reported in: sent back to the home page (302)
    "volunteers:wish_wall": Rule(L),
    "volunteers:wish_step": Rule(L, post_only=True, scoped=False),  # refusals are messages on the page
    "volunteers:post_step": Rule(L, post_only=True, scoped=False),
    "volunteers:my_wishes": Rule(L),  # people without a household: back to 我的 (302)
    "volunteers:wish_thank": Rule(f"{OWN}|{perm('volunteers.change_wish')}", post_only=True),
    # ... the office: the counter records, the branch secretary and the director decide, the district reads
    "volunteers:stationed_register": Rule(perm("volunteers.view_stationedreport"), scoped=False),
    "volunteers:report_new": Rule(perm("volunteers.add_stationedreport"), scoped=False),
    "volunteers:report_work": Rule(
        perm("volunteers.view_stationedreport"), post=perm("volunteers.change_stationedreport")
    ),
    "volunteers:wish_queue": Rule(perm("volunteers.view_wish"), scoped=False),
    "volunteers:wish_new": Rule(perm("volunteers.add_wish"), scoped=False),
    "volunteers:wish_work": Rule(perm("volunteers.view_wish"), post=perm("volunteers.change_wish")),
    "volunteers:summaries": Rule(
        perm("volunteers.view_unitsummary"), post=perm("volunteers.change_unitsummary"), scoped=False
    ),
    "volunteers:summary_file": Rule(perm("volunteers.view_unitsummary")),
    "volunteers:summary_sent": Rule(perm("volunteers.change_unitsummary"), post_only=True),
    # councils: the public ledger
    "councils:ledger": Rule(P),
    "councils:ledger_community": Rule(P, scoped=False),
    "councils:ledger_minutes": Rule(P, scoped=False),
    "councils:ledger_resolutions": Rule(P, scoped=False),
    "councils:ledger_suggestions": Rule(P, scoped=False),
    "councils:council": Rule(P, scoped=False),
    "councils:minutes": Rule(P, scoped=False),
    "councils:minutes_print": Rule(P, scoped=False),
    "councils:minutes_pdf": Rule(P, scoped=False),
    "councils:resolution": Rule(P, scoped=False),
    # Files of published records; the same files before publication: tests/security/test_private_files.py.
    "councils:minutes_attachment": Rule(P, scoped=False),
    "councils:progress_photo": Rule(P, scoped=False),
    "councils:suggestion_photo": Rule(P, scoped=False),
    "councils:suggestion_new": Rule(perm("councils.add_suggestion"), scoped=False, district=False),
    "councils:my_suggestions": Rule(L),
    "councils:suggestion": Rule(P, scoped=False),
    "councils:suggestion_support": Rule(perm("councils.add_suggestionsupport"), post_only=True, scoped=False),
    "councils:suggestion_rate": Rule(OWN, post_only=True),
    # councils: comments — written by residents of the record's community; anyone signed in may follow a discussion
    "councils:suggestion_comment": Rule(perm("councils.add_comment"), post_only=True, scoped=False),
    "councils:resolution_comment": Rule(perm("councils.add_comment"), post_only=True, scoped=False),
    "councils:minutes_comment": Rule(perm("councils.add_comment"), post_only=True, scoped=False),
    "councils:suggestion_follow": Rule(L, post_only=True, scoped=False),
    "councils:resolution_follow": Rule(L, post_only=True, scoped=False),
    "councils:minutes_follow": Rule(L, post_only=True, scoped=False),
    "councils:comment_report": Rule(perm("councils.add_commentreport"), scoped=False),
    "councils:comment_reports": Rule(perm("councils.hide_comment"), scoped=False),
    "councils:comment_hide": Rule(perm("councils.hide_comment")),
    "councils:comment_dismiss": Rule(perm("councils.hide_comment")),  # GET: the confirmation step
    # councils: the work pages (the council's own secretary and convenor; the meeting is the 议事会's)
    "councils:work": Rule(STAFF, scoped=False),
    "councils:setup": Rule(perm("councils.change_council"), post_only=True, scoped=False, district=False),
    "councils:meeting_create": Rule(SECRETARIES),
    "councils:nomination_create": Rule(SECRETARIES),
    "councils:pledge_create": Rule(SECRETARIES),
    "councils:meeting": Rule(perm("councils.view_meeting")),
    "councils:election": Rule(SECRETARIES),
    "councils:meeting_schedule": Rule(SECRETARIES, post_only=True),
    "councils:meeting_notice": Rule(SECRETARIES, post_only=True),
    "councils:meeting_cancel": Rule(SECRETARIES, post_only=True),
    "councils:agenda_add": Rule(SECRETARIES, post_only=True),
    "councils:attendance": Rule(SECRETARIES, post_only=True),
    "councils:meeting_export": Rule(perm("councils.view_meeting")),
    "councils:minutes_edit": Rule(perm("councils.view_minutes")),  # published minutes: a redirect to read them
    # htmx: answers 200 with a message instead of a redirect to the login page
    "councils:minutes_autosave": Rule("who:council_sec", post_only=True, anon_login=False, anon_ok=(200,)),
    "councils:minutes_addendum": Rule(SECRETARIES, post_only=True),
    # The view lets whoever reads the minutes through; the action refuses (PermissionDenied) unless they may edit.
    "councils:minutes_attach": Rule(perm("councils.view_minutes"), post_only=True),
    "councils:minutes_submit": Rule("who:council_sec", post_only=True),
    "councils:minutes_approve": Rule("who:branch_sec", post_only=True),
    "councils:minutes_return": Rule("who:branch_sec", post_only=True),
    "councils:minutes_publish": Rule(SECRETARIES, post_only=True),
    "councils:triage": Rule(perm("councils.change_suggestion"), scoped=False, district=False),
    "councils:suggestion_reply": Rule(perm("councils.change_suggestion"), post_only=True, district=False),
    "councils:suggestion_decline": Rule(perm("councils.change_suggestion"), post_only=True, district=False),
    "councils:suggestion_merge": Rule(perm("councils.change_suggestion"), post_only=True, district=False),
    "councils:suggestion_agenda": Rule(perm("councils.change_suggestion"), post_only=True, district=False),
    "councils:suggestion_close": Rule(perm("councils.change_suggestion"), post_only=True, district=False),
    # Staff who may report progress reach the form; the action (resolution_may_report) has the last word.
    "councils:resolution_progress": Rule(perm("councils.add_resolutionprogress"), post_only=True),
    # councils: the meeting room (the 议事会's secretary and convenor run it; resident A sits on it, present)
    "councils:meeting_room": Rule(SECRETARIES),
    "councils:motion_add": Rule(SECRETARIES, post_only=True),
    "councils:speaker_add": Rule(SECRETARIES, post_only=True),
    "councils:motion_open": Rule(SECRETARIES, post_only=True),
    "councils:motion_close": Rule(SECRETARIES, post_only=True),
    "councils:ballot_enter": Rule(SECRETARIES, post_only=True),
    **{f"councils:speaker_{s}": Rule(SECRETARIES, post_only=True) for s in ("up", "down", "start", "stop", "withdraw")},
    "councils:item_show": Rule(SECRETARIES, post_only=True),
    "councils:projector": Rule(perm("councils.view_meeting")),  # staff of the community
    "councils:projector_signed": Rule(P, scoped=False),  # whoever holds the signed link (the projector's computer)
    "councils:member_room": Rule(OWN),  # a present member's phone; anyone else: 404
    "councils:member_speak": Rule(OWN, post_only=True),
    "councils:member_vote": Rule(OWN, post_only=True),
    # councils: surveys — residents (and staff) of the community read and answer; results public once published
    "councils:surveys": Rule(L),
    "councils:survey": Rule(f"{R_A}|{STAFF}"),
    "councils:survey_thanks": Rule(f"{R_A}|{STAFF}"),
    "councils:survey_results": Rule(P, scoped=False),
    "councils:survey_staff_list": Rule(perm("councils.view_survey"), scoped=False),
    "councils:survey_create": Rule(perm("councils.add_survey"), scoped=False, district=False),
    "councils:survey_work": Rule(perm("councils.view_survey")),
    "councils:survey_edit": Rule(perm("councils.change_survey")),
    "councils:survey_question_add": Rule(perm("councils.change_survey"), post_only=True),
    "councils:survey_question_delete": Rule(perm("councils.change_survey"), post_only=True),
    "councils:survey_open": Rule(perm("councils.change_survey"), post_only=True),
    "councils:survey_close": Rule(perm("councils.change_survey"), post_only=True),
    "councils:survey_publish": Rule(perm("councils.change_survey"), post_only=True),
    "councils:survey_export": Rule(perm("councils.view_survey")),
    # accounts and plumbing
    "login": Rule(P),
    "login_code": Rule(P),  # a signed-in person is sent on
    "password_reset_code": Rule(P),
    # The second step of a staff sign-in serves only a sign-in half-way (in the session): anyone else is sent to log
    # in, or, signed in, on to their landing page.
    "login_second": Rule("nobody", scoped=False, refused_redirect=True),
    "logout": Rule(P, post_only=True),
    "password_change": Rule(L),
    "password_change_done": Rule(L, get_only=True),
    "set_language": Rule(P),
    "healthz": Rule(P, get_only=True),
    "bare": Rule(P),
}

# A sample of the admin: its index, and the list and change pages of community-bound models.
ADMIN_EXPECTED: dict[str, Rule] = {
    "admin:index": Rule(STAFF, scoped=False, refused_redirect=True),
    "admin:residents_resident_changelist": Rule(perm("residents.view_resident"), scoped=False, refused_redirect=True),
    "admin:residents_resident_change": Rule(
        perm("residents.view_resident"), post=perm("residents.change_resident"), refused_redirect=True
    ),
    "admin:services_case_changelist": Rule(perm("services.view_case"), scoped=False, refused_redirect=True),
    "admin:services_case_change": Rule(
        perm("services.view_case"), post=perm("services.change_case"), refused_redirect=True
    ),
    "admin:councils_minutes_changelist": Rule(perm("councils.view_minutes"), scoped=False, refused_redirect=True),
    # Published minutes are locked: nobody changes them in the admin.
    "admin:councils_minutes_change": Rule(perm("councils.view_minutes"), post="nobody", refused_redirect=True),
    "admin:services_healthfile_changelist": Rule(HEALTH, scoped=False, refused_redirect=True),
    "admin:services_healthfile_change": Rule(HEALTH, refused_redirect=True),
}


# --------------------------------------------------------------------------------------------------
# The URLconf


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif pattern.name:
            yield namespace + pattern.name


def url_names() -> list[str]:
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def test_every_url_has_an_entry():
    missing = [name for name in url_names() if not name.startswith("admin:") and name not in EXPECTED]
    assert missing == [], f"URLs with no entry in EXPECTED: {missing}"
    stale = [name for name in EXPECTED if name not in url_names()]
    assert stale == [], f"EXPECTED names URLs that no longer exist: {stale}"


# --------------------------------------------------------------------------------------------------
# Who may


def _user_key(who: str) -> str:
    return who.rsplit("_", 1)[0] if who.endswith(("_a", "_b")) else who


def may(audience: str, rule: Rule, who: str, user) -> bool:
    """Whether `who` passes this audience (on community A's records)."""
    return any(_may_one(part, rule, who, user) for part in audience.split("|"))


def _may_one(part: str, rule: Rule, who: str, user) -> bool:
    if part == P:
        return True
    if user is None or part == "nobody":
        return False
    key, in_b = _user_key(who), who.endswith("_b")
    foreign = in_b and rule.scoped  # community B's people on a record of community A
    if part == L:
        return True
    if part == R:  # residents (volunteers are residents too); those of B not on A's records
        return who in ("resident_a", "resident_b", "volunteer_a") or (who == "volunteer_b" and not foreign)
    if part == R_A:
        return who in ("resident_a", "resident_b", "volunteer_a")
    if part == OWN:
        return who == "resident_a"
    if part == VOLUNTEER:
        return who in ("resident_a", "volunteer_a", "volunteer_b")
    if part == D:
        return who == "district"
    if part == STAFF:
        return user.is_staff and not foreign
    if part.startswith("who:"):
        return key == part[4:] and not in_b
    if part.startswith("perm:"):
        if not user.has_perm(part[5:]):
            return False
        if who == "district":
            return rule.district if rule.district is not None else True
        return not foreign
    if part == COORD:
        return key in ("director", "volunteer") and not foreign
    if part == COORD_ALL:
        return key == "director" and not foreign
    raise AssertionError(f"unknown audience {part!r}")


def _other_community_twin(rule: Rule, audience: str, who: str, users) -> bool:
    """People of B whose twin in A is allowed: the record of A must not exist for them (404)."""
    if not (rule.scoped and who.endswith("_b")):
        return False
    twin = who[:-2] + "_a"
    return may(audience, rule, twin, users[twin])


def all_expected() -> dict[str, Rule]:
    return {**EXPECTED, **ADMIN_EXPECTED}


# --------------------------------------------------------------------------------------------------
# Nothing changed


PROJECT_APPS = ("portal", "residents", "services", "volunteers", "councils")
# What a refused request may legitimately write: its own session, and the logs of refused access.
LOG_TABLES = {"portal_session", "portal_auditlog", "portal_sensitiveaccesslog", "django_session", "axes_accessattempt"}


def _project_tables() -> list[str]:
    from django.apps import apps

    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and m._meta.db_table not in LOG_TABLES and not m._meta.proxy
    )


def snapshot() -> dict:
    """Counts and max(id) of every project table, and PostgreSQL's own tally of rows this transaction wrote."""
    tables = _project_tables()
    with connection.cursor() as cursor:
        # Table names come from the models, not from input.
        parts = ", ".join(f'(SELECT count(*) FROM "{t}"), (SELECT max(id) FROM "{t}")' for t in tables)  # noqa: S608
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
            [tables],
        )
        written = dict(cursor.fetchall())
    counts = {t: (row[2 * i], row[2 * i + 1]) for i, t in enumerate(tables)}
    return {"rows": counts, "written": {t: n for t, n in written.items() if n}}


# --------------------------------------------------------------------------------------------------
# The matrix


# A public page that takes no POST of its own answers everyone alike: it is asked by these people only.
PUBLIC_SAMPLE = ("anonymous", "resident_a", "hall_a", "council_sec_b", "volunteer_a", "district")


def _cells():
    for name, rule in all_expected().items():
        public = rule.get == P and rule.post is None and not rule.post_only
        for who, _, _ in WHO:
            if public and who not in PUBLIC_SAMPLE:
                continue
            for method in ("GET", "POST"):
                yield pytest.param(name, who, method, id=f"{name}|{who}|{method}")


def _url(world, name: str) -> str:
    kwargs = PARAMS[name](world.objects) if name in PARAMS else None
    return reverse(name, kwargs=kwargs)


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if who in world.cookies:
        client.cookies["sessionid"] = world.cookies[who]
    return client


def _describe(response) -> str:
    location = f" → {response['Location']}" if response.status_code in (301, 302) else ""
    return f"{response.status_code}{location}"


@pytest.mark.parametrize(("name", "who", "method"), list(_cells()))
def test_matrix(world, db, name, who, method):
    rule = all_expected()[name]
    user = world.users[who]
    audience = rule.post if (method == "POST" and rule.post is not None) else rule.get
    allowed = may(audience, rule, who, user)
    url = _url(world, name)
    client = _client(world, who)
    before = snapshot() if (method == "POST" and not allowed) else None
    response = client.get(url) if method == "GET" else client.post(url, {})
    code = response.status_code
    where = f"{method} {url} as {who}: {_describe(response)}"
    assert code < 500, where
    to_login = code == 302 and response["Location"].startswith(LOGIN_PAGES)
    wrong_method = (method == "GET" and rule.post_only) or (method == "POST" and rule.get_only)

    if allowed:
        assert not to_login, f"allowed, but sent to log in: {where}"
        if method == "GET":
            ok = {200, 302} | ({405} if rule.post_only else set()) | ({404} if rule.may_404 else set())
            assert code in ok, f"allowed: {where}"
        else:
            assert code not in (401, 403), f"allowed, but refused: {where}"
        return

    if wrong_method and code == 405:
        pass  # the method is refused before anything else is looked at
    elif user is None:
        if rule.anon_login:
            assert to_login, f"anonymous must be sent to log in: {where}"
        else:
            assert to_login or code in (403, 404, *rule.anon_ok), f"anonymous must be refused: {where}"
    elif _other_community_twin(rule, audience, who, world.users):
        assert code == 404, f"another community's record must not exist (404): {where}"
    else:
        redirect_away = rule.refused_redirect and code == 302
        assert code in (403, 404) or redirect_away, f"must be refused: {where}"
    if before is not None:
        after = snapshot()
        assert after == before, f"a refused POST changed data: {where}"


# --------------------------------------------------------------------------------------------------
# Headers on every kind of page

PAGE_KINDS = {
    "public page": ("anonymous", "portal:home"),
    "resident page": ("resident_a", "portal:my"),
    "staff page": ("hall_a", "services:desk"),
    "admin page": ("director_a", "admin:index"),
    "form page": ("anonymous", "login"),
    "download": ("resident_a", "services:booking_ics"),
    "json": ("anonymous", "healthz"),
    "not found": ("anonymous", None),
    "forbidden": ("resident_a", "portal:district"),
}


def _csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_security_headers(world, db, kind):
    who, name = PAGE_KINDS[kind]
    url = _url(world, name) if name else "/no-such-page/"
    response = _client(world, who).get(url)
    assert response.status_code < 500
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = _csp_directives(response)
    assert csp, f"no Content-Security-Policy on the {kind}"
    assert csp.get("frame-ancestors") == ["'none'"] or response.get("X-Frame-Options") == "DENY"
    assert response.get("X-Frame-Options") == "DENY"
    script_src = csp.get("script-src", csp.get("default-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    if response.get("Content-Type", "").startswith("text/html"):
        # Scripts from files are allowed by 'self'; every inline script must carry this response's nonce.
        inline = [
            t.split(">", 1)[0]
            for t in response.content.decode().split("<script")[1:]
            if " src=" not in t.split(">", 1)[0]
        ]
        if inline:
            nonces = [w[len("'nonce-") : -1] for w in script_src if w.startswith("'nonce-")]
            assert nonces, f"inline scripts but no nonce in script-src on the {kind}"
            for head in inline:
                assert f'nonce="{nonces[0]}"' in head, (
                    f"an inline script without the nonce on the {kind}: <script{head}>"
                )


@pytest.mark.parametrize("kind", ["public page", "resident page", "admin page"])
def test_hsts_when_secure(world, db, kind, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False
    who, name = PAGE_KINDS[kind]
    response = _client(world, who).get(_url(world, name), secure=True)
    assert response.status_code < 500
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# --------------------------------------------------------------------------------------------------
# Acting for someone (代办): the one ?for= path, for staff and for family proxies

# (URL name, method, the proxy's answer while the grant is in force). Resident A's proxy holds every right but
# the health file; ?for= names resident A.
PROXY_PATHS = [
    ("services:book", "GET", 200),
    ("services:book_confirm", "GET", 200),
    ("services:case_new", "GET", 200),
    ("services:stations:event", "GET", 200),
    ("services:stations:event_register", "POST", 302),
    ("services:booking", "GET", 200),  # resident A's booking: the proxy may see (and cancel) it
    ("services:case", "GET", 200),
    ("services:health:my_file", "GET", 404),  # the health file needs its own grant
]


def _proxy_call(world, client, name, method):
    url = _url(world, name) + f"?for={world.objects.resident_a.pk}"
    return client.get(url) if method == "GET" else client.post(url, {"for": world.objects.resident_a.pk})


@pytest.mark.parametrize(("name", "method", "code"), PROXY_PATHS, ids=[p[0] for p in PROXY_PATHS])
def test_a_family_proxy_acts_through_the_for_path_and_stops_when_revoked(world, db, name, method, code):
    from residents.models import ProxyGrant

    client = Client(raise_request_exception=False)
    client.force_login(world.objects.proxy_user)
    response = _proxy_call(world, client, name, method)
    assert response.status_code == code, f"{method} {name} as the proxy: {_describe(response)}"
    ProxyGrant.objects.filter(pk=world.objects.proxy_grant.pk).update(revoked_at=timezone.now())
    response = _proxy_call(world, client, name, method)
    assert response.status_code in (403, 404), f"{method} {name} as a revoked proxy: {_describe(response)}"


# The acting pages (who may see resident A's booking or case by their role: the matrix above).
ACTING_PATHS = [p for p in PROXY_PATHS if p[0] not in ("services:booking", "services:case")]


@pytest.mark.parametrize(("name", "method", "code"), ACTING_PATHS, ids=[p[0] for p in ACTING_PATHS])
@pytest.mark.parametrize("who", ["resident_b", "health_a", "hall_b", "district"])
def test_nobody_else_acts_for_a_resident(world, db, name, method, code, who):
    before = snapshot() if method == "POST" else None
    response = _proxy_call(world, _client(world, who), name, method)
    refused = response.status_code in (403, 404) or (
        response.status_code == 302 and not response["Location"].startswith(LOGIN_PAGES) and method == "GET"
    )
    assert refused, f"{method} {name}?for=resident A as {who}: {_describe(response)}"
    if before is not None:
        assert snapshot() == before, f"a refused POST changed data: {name} as {who}"
