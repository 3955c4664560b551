"""Every form a page offers, sent back wrong: what was typed is still in the form and the reason is next to the field.

Generated from the URLconf: every page of EXPECTED (test_url_matrix) is opened by the people allowed to see it, in the
seeded world, and every `<form method="post">` on it is found. A form is known by the URL it posts to; FORMS says how
to send each one wrong (an empty required field, a wrong value in a typed field), or why it is exempt (one button, a
choice to make and nothing to type). A form without an entry fails `test_every_form_has_an_entry`.

For each entry the page is opened, the form filled as a browser would (a distinctive value in every text-like field,
the shown value of hidden fields, selects and checkboxes), one field made wrong, and the form posted. The answer must
not be a redirect or a server error; every value typed must be in the form of the answer; the message must be in the
error block of the offending field (crispy's `<div id="<id>_error">`), after that field and before the next one —
not only in a toast above the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import Resolver404, resolve
from django.utils.html import escape

from tests.security.conftest import WHO
from tests.security.test_url_matrix import EXPECTED, _client, _url, may


@dataclass(frozen=True)
class Invalid:
    page: str  # the URL name of a page that shows the form
    who: str  # someone of WHO allowed to use it
    bad: dict[str, str | None] | Callable  # field → a wrong value ("" empties it, None leaves it out); or bad(objects)
    query: str = ""  # the page's query string, when the form needs one
    error_at: str = ""  # the field whose message is checked (default: the first one made wrong)
    prepare: Callable | None = None  # prepare(world.objects): a state of the world in which the page shows the form


@dataclass(frozen=True)
class Exempt:
    reason: str


ONE_BUTTON = Exempt("one button: nothing is typed, so nothing can be lost")
LAYOUT = Exempt("the layout's switch (a hidden field and a button on every page)")

# The pages that show a form only with a query string.
PAGE_QUERIES = {"services:health:file": "?purpose=care"}

FORMS: dict[str, Invalid | Exempt] = {
    # the layout, on every page
    "portal:elder_mode": LAYOUT,
    "set_language": LAYOUT,
    "logout": LAYOUT,
    # portal
    "login": Invalid("login", "anonymous", {"password": ""}),
    "login_code": Invalid("login_code", "anonymous", {"code": "12"}),
    "password_reset_code": Invalid("password_reset_code", "anonymous", {"code": "12"}),
    "password_change": Invalid("password_change", "resident_a", {"old_password": ""}),
    "portal:register": Invalid("portal:register", "anonymous", {"phone": "1380013"}),
    "portal:change_phone": Invalid("portal:change_phone", "resident_a", {"phone": "1380013"}),
    "portal:nominate": Invalid("portal:nominate", "resident_a", {"title": ""}),
    "portal:inbox_read": ONE_BUTTON,
    "portal:sessions_end": ONE_BUTTON,
    "portal:calendar_feed_new": ONE_BUTTON,
    "portal:calendar_feed_revoke": ONE_BUTTON,
    "portal:proxies": Invalid("portal:proxies", "resident_a", {"phone": "1380013"}),
    "portal:proxy_revoke": ONE_BUTTON,
    # the staff sign-in's second factor: the app's setup (the first form of the page; new recovery codes are one button)
    "portal:second_factor": Invalid("portal:second_factor", "hall_a", {"code": "12"}),
    "portal:second_factor_reset": ONE_BUTTON,
    "portal:notification_settings": Invalid("portal:notification_settings", "resident_a", {"quiet_start": "25:00"}),
    "portal:vote": ONE_BUTTON,
    "portal:data_request": Invalid("portal:data_request", "resident_a", {"text": ""}),
    # services: the hall
    "services:book_confirm": Invalid("services:book_confirm", "resident_a", {"documents_ready": None}),
    "services:booking_cancel": ONE_BUTTON,
    "services:case_new": Invalid("services:case_new", "resident_a", {"title": ""}),
    "services:case_note": Invalid("services:case", "resident_a", {"text": ""}),
    "services:desk_check_in": Invalid("services:desk", "hall_a", {"code": "X9"}),
    "services:desk_call_next": ONE_BUTTON,
    "services:scan": Invalid("services:scan", "hall_a", {"code": "X9"}),
    "services:booking_link_cancel": ONE_BUTTON,
    "services:desk_proxies": Invalid("services:desk_proxies", "hall_a", {"phone": "1380013"}),
    # services: property management (物业进社区)
    "services:property:report": Invalid("services:property:report", "resident_a", {"description": ""}),
    "services:property:desk": Invalid("services:property:desk", "hall_a", {"caller_phone": "abc"}),
    # One URL for the repair's steps: the first form found is "arrived", a button. The fix form's note (optional, its
    # length capped in the browser) comes back with its message: services/tests/test_property_pages.py.
    "services:property:repair_step": Exempt("the repair's step buttons: arrived and close have nothing typed"),
    # services: the health station
    "services:health:file_open": Invalid("services:health:file_open", "health_a", {"notice_read": None}),
    "services:health:reading_add": Invalid(
        "services:health:file", "health_a", {"taken_on": "2026-02-30"}, query="?purpose=care"
    ),
    "services:health:followup_add": Invalid(
        "services:health:file", "health_a", {"visited_on": "2026-02-30"}, query="?purpose=care"
    ),
    "services:health:maternal_add": Invalid(
        "services:health:file",
        "health_a",
        {"visited_on": "2026-02-30"},
        query="?purpose=care",
        prepare=lambda o: _update(o.health_file, maternal_care=True),
    ),
    "services:health:consent_withdraw": ONE_BUTTON,
    "services:health:focus": Exempt("a button per focus group: nothing is typed"),
    "services:health:campaign": Exempt("the campaign's buttons (open, close): nothing is typed"),
    # Results typed for someone not ticked as come would be dropped without a word.
    "services:health:slot": Invalid("services:health:slot", "health_a", {"attended": None}, error_at="results"),
    "services:health:my_checkup_book": ONE_BUTTON,
    "services:health:my_checkup_cancel": ONE_BUTTON,
    # services: the culture station and the events
    "services:culture:room": Invalid("services:culture:room", "resident_a", {"day": "2026-02-30"}),
    "services:culture:team_weekly": Invalid("services:culture:team_weekly", "culture_a", {"weeks": "甲"}),
    "services:culture:class_sessions": Invalid("services:culture:class_sessions", "culture_a", {"weeks": "甲"}),
    "services:culture:session_attendance": Exempt("a checkbox per member: nothing is typed"),
    "services:culture:class_enrol": ONE_BUTTON,
    "services:culture:enrolment_cancel": ONE_BUTTON,
    "services:culture:booking_cancel": ONE_BUTTON,
    "services:culture:registration_cancel": ONE_BUTTON,
    "services:stations:event": Invalid("services:stations:event", "culture_a", {"image": None}),
    "services:stations:event_register": ONE_BUTTON,
    # volunteers
    "volunteers:apply": Invalid("volunteers:apply", "resident_b", {"agree": None}),
    # 在职党员报到 and 微心愿
    # the 1000-point assessment's hand-entered indicators: the evidence note is required
    "portal:indicator_enter": Invalid("portal:indicator_enter", "director_a", {"note": ""}),
    "volunteers:stationed_report": Invalid("volunteers:stationed_report", "resident_b", {"unit": ""}),
    "volunteers:wish_step": Invalid(
        "volunteers:stationed_home", "resident_a", lambda o: {f"w{o.wish.pk}-note": ""}, prepare=lambda o: _claimed(o)
    ),
    "volunteers:post_step": Exempt("a join or leave button per duty post: nothing is typed"),
    "volunteers:my_wishes": Invalid("volunteers:my_wishes", "resident_a", {"title": ""}),
    "volunteers:wish_thank": Invalid("volunteers:my_wishes", "resident_a", lambda o: {f"t{o.my_wish.pk}-thanks": ""}),
    "volunteers:report_new": Invalid("volunteers:report_new", "hall_a", {"phone": "12"}),
    "volunteers:report_work": Invalid("volunteers:report_work", "branch_sec_a", {"group": ""}),
    "volunteers:wish_new": Invalid("volunteers:wish_new", "hall_a", {"phone": "13000000000"}),
    "volunteers:wish_work": Invalid(
        "volunteers:wish_work", "branch_sec_a", {"title": ""}, prepare=lambda o: _update(o.wish, status="submitted")
    ),
    "volunteers:summaries": ONE_BUTTON,
    "volunteers:summary_sent": Exempt("an optional note (the field's maxlength keeps it short) and a button"),
    "volunteers:my_badge": ONE_BUTTON,
    "volunteers:application_approve": Exempt("a team to choose and a button: nothing is typed"),
    "volunteers:application_reject": ONE_BUTTON,
    "volunteers:activity_new": Invalid("volunteers:activity_new", "director_a", {"capacity": "甲"}),
    "volunteers:activity_signup": ONE_BUTTON,
    "volunteers:signup_cancel": ONE_BUTTON,
    "volunteers:check_in": Invalid("volunteers:roster", "director_a", {"at": "25:00"}, prepare=lambda o: _fresh(o)),
    "volunteers:check_out": Invalid(
        "volunteers:roster", "director_a", {"at": "25:00"}, prepare=lambda o: _fresh(o, checked_in=True)
    ),
    "volunteers:confirm_hours": ONE_BUTTON,
    "volunteers:correct_hours": Invalid("volunteers:roster", "director_a", {"hours": "甲"}),
    "volunteers:scan": Invalid("volunteers:scan", "director_a", {"code": ""}),
    "volunteers:served_detail": Invalid("volunteers:served_detail", "director_a", {"visited_on": "2026-02-30"}),
    # councils
    "councils:minutes_addendum": Invalid("councils:minutes", "council_sec_a", {"text": ""}),
    "councils:suggestion_new": Invalid("councils:suggestion_new", "resident_a", {"title": ""}),
    "councils:suggestion_support": ONE_BUTTON,
    "councils:suggestion_comment": Invalid("councils:suggestion", "resident_a", {"text": ""}),
    "councils:resolution_comment": Invalid("councils:resolution", "resident_a", {"text": ""}),
    "councils:minutes_comment": Invalid("councils:minutes", "resident_a", {"text": ""}),
    "councils:suggestion_follow": ONE_BUTTON,
    "councils:resolution_follow": ONE_BUTTON,
    "councils:minutes_follow": ONE_BUTTON,
    "councils:comment_report": Invalid("councils:comment_report", "resident_a", {"reason": "长" * 201}),
    "councils:comment_hide": Invalid("councils:comment_hide", "council_sec_a", {"reason": ""}),
    "councils:comment_dismiss": ONE_BUTTON,
    "councils:suggestion_reply": Invalid("councils:suggestion", "council_sec_a", {"reply": ""}),
    "councils:meeting_create": Invalid("councils:meeting_create", "council_sec_a", {"starts_at": "2026-02-30T10:00"}),
    "councils:agenda_add": Invalid("councils:meeting", "council_sec_a", {"title": ""}, prepare=lambda o: _ahead(o)),
    "councils:meeting_cancel": Invalid(
        "councils:meeting", "council_sec_a", {"reason": ""}, prepare=lambda o: _ahead(o)
    ),
    "councils:minutes_return": Invalid(
        "councils:minutes",
        "branch_sec_a",
        {"note": ""},
        prepare=lambda o: _update(o.published_minutes, status="submitted"),
    ),
    "councils:minutes_approve": ONE_BUTTON,
    "councils:minutes_submit": ONE_BUTTON,
    "councils:minutes_publish": ONE_BUTTON,
    "councils:resolution_progress": Invalid(
        "councils:resolution",
        "council_sec_a",
        {"text": ""},
        prepare=lambda o: _update(o.resolution, status="in_progress"),
    ),
    "councils:meeting_schedule": ONE_BUTTON,
    "councils:meeting_notice": ONE_BUTTON,
    "councils:attendance": Exempt("a checkbox per member: nothing is typed"),
    "councils:nomination_create": Invalid("councils:nomination_create", "council_sec_a", {"nominee": ""}),
    "councils:pledge_create": Invalid("councils:pledge_create", "council_sec_a", {"year": "甲"}),
    # councils: the meeting room (the matrix's item has its motion open: the amendment form is not offered)
    "councils:motion_add": Invalid(
        "councils:meeting_room", "council_sec_a", {"text": ""}, prepare=lambda o: _no_motion(o)
    ),
    "councils:ballot_enter": Invalid("councils:meeting_room", "council_sec_a", {"member": ""}),
    "councils:speaker_add": Invalid("councils:meeting_room", "council_sec_a", {"member": ""}),
    "councils:motion_open": ONE_BUTTON,
    "councils:motion_close": ONE_BUTTON,
    "councils:speaker_up": ONE_BUTTON,
    "councils:speaker_down": ONE_BUTTON,
    "councils:speaker_start": ONE_BUTTON,
    "councils:speaker_stop": ONE_BUTTON,
    "councils:speaker_withdraw": ONE_BUTTON,
    "councils:item_show": ONE_BUTTON,
    "councils:member_vote": Exempt("three buttons (for, against, abstain): nothing is typed"),
    "councils:member_speak": ONE_BUTTON,
    # councils: surveys (a resident's answers; the staff's survey and question forms)
    "councils:survey": Invalid(
        "councils:survey", "resident_a", lambda o: {_text_question(o): "长" * 2001}, prepare=lambda o: _unanswered(o)
    ),
    "councils:survey_create": Invalid("councils:survey_create", "council_sec_a", {"title": ""}),
    "councils:survey_edit": Invalid("councils:survey_edit", "council_sec_a", {"title": ""}),
    "councils:survey_question_add": Invalid(
        "councils:survey_work", "council_sec_a", {"text": ""}, prepare=lambda o: _update(o.survey, status="draft")
    ),
    "councils:survey_question_delete": ONE_BUTTON,
    "councils:survey_open": ONE_BUTTON,
    "councils:survey_close": ONE_BUTTON,
    "councils:survey_publish": ONE_BUTTON,
}


def _no_motion(o) -> None:
    """The matrix's item without its motion: the room offers the form to propose one."""
    type(o.motion).objects.filter(pk=o.motion.pk).delete()  # o.motion keeps its pk for the other tests


def _update(obj, **values) -> None:
    type(obj).objects.filter(pk=obj.pk).update(**values)


def _fresh(o, checked_in: bool = False) -> None:
    """The activity's sign-ups not yet checked in (or checked in, not out): the roster offers the time forms."""
    from django.utils import timezone

    from volunteers.models import SignUp

    at = timezone.now() - dt.timedelta(hours=1) if checked_in else None
    SignUp.objects.filter(activity=o.activity).update(
        checked_in_at=at, checked_out_at=None, hours=None, hours_confirmed_at=None
    )


def _claimed(o) -> None:
    """Resident A's stationed member has just claimed the open wish: the home page offers its fulfilment note."""
    from django.utils import timezone

    _update(o.wish, status="claimed", claimed_by=o.stationed_member, claimed_at=timezone.now() + dt.timedelta(days=1))


def _text_question(o) -> str:
    """The answer field of the survey's free-text question."""
    return f"q{o.survey.questions.filter(kind='text').order_by('order').first().pk}"


def _unanswered(o) -> None:
    """Resident A's household has not answered the survey yet (the seed may have answered for it)."""
    from councils.models import Response

    Response.objects.filter(survey=o.survey, household=o.resident_a.household).delete()
    Response.objects.filter(survey=o.survey, user=o.resident_a.user).delete()


def _ahead(o) -> None:
    """The meeting is a draft a week ahead: its page offers the agenda and the cancelling."""
    from django.utils import timezone

    _update(o.meeting, status="draft", starts_at=timezone.now() + dt.timedelta(days=7))


# --------------------------------------------------------------------------------------------------
# Reading a page's forms


@dataclass
class Control:
    tag: str
    type: str
    name: str
    value: str
    id: str
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # a select's (value, selected)


@dataclass
class Form:
    action: str
    start: int
    end: int = -1
    controls: list[Control] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.forms: list[Form] = []
        self._form = self._select = self._textarea = None
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(a.get("action", ""), self._offset())
                self.forms.append(self._form)
            return
        if self._form is None or tag not in ("input", "textarea", "select", "option", "button"):
            return
        if tag == "option" and self._select is not None:
            self._select.options.append((a.get("value", ""), "selected" in a))
            return
        if not a.get("name"):
            return
        kind = a.get("type", "text" if tag == "input" else tag).lower()
        control = Control(tag, kind, a["name"], a.get("value", ""), a.get("id", ""), "checked" in a)
        self._form.controls.append(control)
        if tag == "select":
            self._select = control
        elif tag == "textarea":
            self._textarea = control

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self._form.end = self._offset()
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def target(action: str, page_url: str) -> str:
    """The URL name a form posts to."""
    try:
        match = resolve((action or page_url).split("?")[0])
    except Resolver404:
        return f"(unknown) {action}"
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def post_forms(html: str, page_url: str) -> dict[str, Form]:
    found: dict[str, Form] = {}
    for form in _Forms(html).forms:
        found.setdefault(target(form.action, page_url), form)
    return found


# --------------------------------------------------------------------------------------------------
# Every form has an entry

# Who opens the pages: one person of each kind (community B's people see the same forms as A's).
READERS = [who for who, _, _ in WHO if not who.endswith("_b")] + ["resident_b"]


def _pages():
    for name, rule in EXPECTED.items():
        if not (rule.post_only or name in ("healthz", "logout")):
            yield name, rule


def test_every_form_has_an_entry(world, db):
    seen: dict[str, str] = {}
    for name, rule in _pages():
        url = _url(world, name) + PAGE_QUERIES.get(name, "")
        for who in READERS:
            if not may(rule.get, rule, who, world.users[who]):
                continue
            response = _client(world, who).get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for posts_to in post_forms(response.content.decode(), url):
                seen.setdefault(posts_to, f"{name} as {who}")
    missing = {posts_to: where for posts_to, where in seen.items() if posts_to not in FORMS}
    assert missing == {}, f"forms with no entry in FORMS (posts to: shown on): {missing}"
    unknown = [name for name in FORMS if name not in EXPECTED]
    assert unknown == [], f"FORMS names URLs that do not exist: {unknown}"


# --------------------------------------------------------------------------------------------------
# Each form, sent wrong


def distinctive(name: str, n: int) -> str:
    return f"留字{n}号{name.rsplit('-', 1)[-1]}"


def fill(form: Form) -> tuple[dict[str, list[str]], dict[str, str]]:
    """What a browser sends for this form, with a distinctive value in every empty text-like field; and the
    values typed (field → value) that must come back."""
    data: dict[str, list[str]] = {}
    typed: dict[str, str] = {}
    soon = dt.date.today() + dt.timedelta(days=4)
    pressed = False
    for n, c in enumerate(form.controls):
        value: str | None = c.value
        if c.type in ("text", "textarea", "search", "email", "tel", "url"):
            value = c.value or distinctive(c.name, n)
            typed[c.name] = value
        elif c.type == "password":
            value = "Cs9-lighthouse"
        elif c.type in ("date", "time", "datetime-local", "number"):
            example = {"date": soon.isoformat(), "time": "10:00", "datetime-local": f"{soon}T10:00", "number": "3"}
            value = c.value or example[c.type]
            typed[c.name] = value
        elif c.type == "select":
            chosen = [v for v, selected in c.options if selected] or [v for v, _ in c.options if v][:1]
            value = chosen[0] if chosen else None
        elif c.type in ("checkbox", "radio"):
            value = (c.value or "on") if c.checked else None
        elif c.type in ("submit", "button"):
            value, pressed = (None, pressed) if pressed else (c.value, True)
        elif c.type == "file":
            value = None
        if value is not None:
            data.setdefault(c.name, []).append(value)
    return data, typed


FORM_CASES = [pytest.param(name, entry, id=name) for name, entry in FORMS.items() if isinstance(entry, Invalid)]


@pytest.mark.parametrize(("name", "entry"), FORM_CASES)
def test_a_wrong_form_keeps_what_was_typed_and_says_why_next_to_the_field(world, db, name, entry):
    rule = EXPECTED[entry.page]
    assert may(rule.get, rule, entry.who, world.users[entry.who]), f"{entry.who} may not open {entry.page}"
    if entry.prepare:
        entry.prepare(world.objects)
    bad_values = entry.bad(world.objects) if callable(entry.bad) else entry.bad
    client = _client(world, entry.who)
    page_url = _url(world, entry.page) + entry.query
    page = client.get(page_url)
    assert page.status_code == 200, f"GET {page_url} as {entry.who}: {page.status_code}"
    form = post_forms(page.content.decode(), page_url).get(name)
    assert form is not None, f"{entry.page} shows {entry.who} no form that posts to {name}"
    data, typed = fill(form)
    for bad_name, bad_value in bad_values.items():
        assert any(c.name == bad_name for c in form.controls), f"the form has no field {bad_name!r}"
        if bad_value is None:
            data.pop(bad_name, None)
            typed.pop(bad_name, None)
        else:
            data[bad_name] = [bad_value]
            typed[bad_name] = bad_value

    action = form.action or page_url
    response = client.post(action, data)
    where = f"POST {action} as {entry.who}"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert response.status_code == 200, (
        f"{where}: {response.status_code} {response.get('Location', '')} — a wrong form must come back, not go away"
    )
    html = response.content.decode()
    again = post_forms(html, action).get(name)
    assert again is not None, f"{where}: the answer has no form that posts to {name}"
    inside = html[again.start : again.end]
    lost = {k: v for k, v in typed.items() if v.strip() and escape(v) not in inside and v not in inside}
    assert lost == {}, f"{where}: what was typed is not in the form again: {lost}"

    ids = [c.id for c in again.controls if c.id]
    for bad_name in [entry.error_at or next(iter(bad_values))]:
        control = next(c for c in again.controls if c.name == bad_name)
        assert control.id, f"{where}: field {bad_name!r} has no id for its message to point at"
        at_field = inside.find(f'id="{control.id}"')
        at_error = inside.find(f'id="{control.id}_error"')
        assert at_error >= 0, f"{where}: no error next to field {bad_name!r} (no #{control.id}_error)"
        following = [inside.find(f'id="{i}"') for i in ids[ids.index(control.id) + 1 :]]
        following = sorted(p for p in following if p > at_field)
        assert at_field < at_error, f"{where}: the error of {bad_name!r} comes before its field"
        assert not following or at_error < following[0], f"{where}: the error of {bad_name!r} is not next to it"
        block = re.sub(r"<[^>]+>", "", inside[inside.find(">", at_error) + 1 : inside.find("</div>", at_error)])
        assert block.strip(), f"{where}: the error block of {bad_name!r} is empty"


def test_the_form_reader_finds_forms_and_what_they_post_to():
    html = (
        '<form method="get"><input name="q"></form>\n'
        '<form method="post" action="/accounts/login/"><input type="text" name="username" id="id_username" value="13">\n'
        '<textarea name="t" id="id_t">\nhi</textarea><select name="s"><option value="">-</option>'
        '<option value="2" selected>b</option></select><input type="checkbox" name="c"><button name="b" value="x">'
        "</button></form>"
    )
    forms = post_forms(html, "/")
    assert list(forms) == ["login"]
    data, typed = fill(forms["login"])
    assert data == {"username": ["13"], "t": ["hi"], "s": ["2"], "b": ["x"]}
    assert typed == {"username": "13", "t": "hi"}
