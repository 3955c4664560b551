"""Every resident-facing form, fuzzed: whatever a browser (or a script) sends, the answer is never a server error;
a refused value gets a clear message next to its field, and what was typed is still in the form.

Each example runs in a savepoint that is rolled back, so examples do not see each other's rows; duplicate
submissions are tested on purpose, at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from portal.core import roles
from portal.site.models import Appraisal
from portal.tests.factories import PASSWORD
from residents.tests.factories import BuildingFactory

# FUZZ_EXAMPLES=200 for a longer hunt; 25 keeps `make test` quick.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# --- what a hostile or clumsy browser sends -------------------------------------------------------

ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # surrogates cannot be sent as UTF-8 at all
CONTROL = st.text(alphabet=st.characters(max_codepoint=31), min_size=1, max_size=10)
EMOJI = st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=20)
MIXED = st.sampled_from(
    [
        "张三 Zhang Ωμέγα мир",
        "مرحبا 李四",  # right-to-left next to Chinese
        "a\u200bb\u200d\u202eevil",  # zero-width and bidi override
        "e\u0301\u0301\u0301 ñ 𝔘𝔫𝔦",
        "３号楼　２单元",  # full-width digits and space
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "{{ 7*7 }} {% now %}",
        "%00%0d%0a",
        "\x00",
        "\r\n\r\n",
        " ",
    ]
)
LONG = st.text(alphabet=ANY_CHAR, min_size=201, max_size=3000) | st.just("长" * 2100)
NASTY_TEXT = st.text(alphabet=ANY_CHAR, max_size=60) | CONTROL | EMOJI | MIXED | LONG
NASTY_NUMBER = NASTY_TEXT | st.sampled_from(["-1", "0", "1e309", "NaN", "inf", "9" * 40, "１２", "3.5", "0x10"])
NASTY_DATE = NASTY_TEXT | st.sampled_from(
    [
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
        "2026-13-01",
        "0000-00-00",
        "99999-01-01",
        "-001-01-01",
        "20260101",
        "2026-1-1",
        "1900-01-01",
    ]
)
NASTY_TIME = NASTY_TEXT | st.sampled_from(["25:00", "23:60", "24:00", "-1:00", "9", "00:00", "23:59:59.999999"])
NASTY_CHOICE = NASTY_TEXT | st.sampled_from(["0", "-1", "999999999999999999999", "1.5", "[]"])


def ok_or(valid: str, nasty: st.SearchStrategy) -> st.SearchStrategy:
    """Half the time a good value, so that examples with one bad field reach the code behind the form."""
    return st.just(valid) | nasty


SOON = (dt.date.today() + dt.timedelta(days=4)).isoformat()


@contextmanager
def rolled_back():
    """One example's writes disappear when it ends (the fixtures' rows stay)."""
    with transaction.atomic():
        cache.clear()  # lockout counters, cached fragments
        yield
        transaction.set_rollback(True)


def _error_block(html: str, auto_id: str) -> str:
    """The crispy error block of one field (`<div id="<auto_id>_error">…</div>`), or ''."""
    match = re.search(rf'<div id="{re.escape(auto_id)}_error"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def refused_as_malformed(response, *values) -> bool:
    """The core's malformed-input gate answered 400 to a value it refuses (a NUL byte, a lone surrogate, an over-long
    value): the view never saw it, so there is nothing more to check."""
    from portal.core.middleware import QUERY_VALUE_MAX

    def bad(value) -> bool:
        text = str(value)
        return "\x00" in text or len(text) > QUERY_VALUE_MAX or any(0xD800 <= ord(c) <= 0xDFFF for c in text)

    return response.status_code == 400 and any(bad(v) for v in values)


def assert_answered(response, typed: dict[str, str] | None = None, *, form_key="form"):
    """No server error; if the form came back, every error sits next to its field and the typing is kept."""
    assert response.status_code < 500
    if response.status_code == 400:  # malformed input (a NUL byte …): the core middleware's page
        return
    if response.status_code != 200:
        assert response.status_code in (302, 303), response.status_code
        return
    form = form_key(response.context) if callable(form_key) else response.context[form_key]
    html = response.content.decode()
    assert form.errors, "a POST that came back with the form must say why"
    for name, errors in form.errors.items():
        if name == "__all__":
            for message in errors:
                assert escape(message) in html, f"non-field error not shown: {message}"
            continue
        block = _error_block(html, form[name].auto_id)
        assert block, f"no error next to field {name!r}"
        for message in errors:
            assert escape(message) in block, f"{name}: {message!r} not next to the field"
        # the block belongs to this field's wrapper (not to a banner somewhere else)
        wrapper = html.index(f'id="div_{form[name].auto_id}"')
        assert wrapper < html.index(f'id="{form[name].auto_id}_error"')
    for name, value in (typed or {}).items():
        assert form[name].value() == value
        if value.strip():
            assert escape(value) in html, f"what was typed in {name!r} is not in the page"


def jpeg(size=(40, 40), fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile("face.jpg", buffer.getvalue(), content_type="image/jpeg")


# --- registration, login, change of phone ------------------------------------------------------------

PHONE = (
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    | st.from_regex(r"\+86 ?1[3-9][0-9]{3}[- ][0-9]{4}[- ]?[0-9]{4}", fullmatch=True)
    | st.sampled_from(["１３８００１３８０００", "138 0013 8000\x00", "00000000000", "1" * 200])
    | NASTY_TEXT
)


@FUZZ
@given(
    phone=ok_or("13912345678", PHONE),
    name=ok_or("王小明", NASTY_TEXT),
    address=ok_or("华苑小区 3号楼 2单元 301", NASTY_TEXT),
    password=ok_or("Cs9-lighthouse", NASTY_TEXT),
    pick=NASTY_CHOICE | st.none(),
)
def test_registration_answers_any_input_next_to_the_field(client, community, phone, name, address, password, pick):
    data = {
        "phone": phone,
        "name": name,
        "community": str(community.pk) if pick is None else pick,
        "address": address,
        "password1": password,
        "password2": password,
    }
    with rolled_back():
        response = client.post(reverse("portal:register"), data)
        assert_answered(response, {"phone": phone, "name": name, "address": address})
        client.logout()


@FUZZ
@given(username=PHONE, password=NASTY_TEXT)
def test_login_answers_any_input_and_keeps_the_number(client, resident_user, username, password):
    with rolled_back():
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert_answered(response, {"username": username})
        client.logout()


@FUZZ
@given(phone=ok_or("13987654321", PHONE), password=ok_or(PASSWORD, NASTY_TEXT))
def test_change_phone_answers_any_input_next_to_the_field(client, resident_user, phone, password):
    client.force_login(resident_user)
    with rolled_back():
        response = client.post(reverse("portal:change_phone"), {"phone": phone, "password": password})
        assert_answered(response, {"phone": phone})


# --- family proxies and notification settings --------------------------------------------------------


@FUZZ
@given(
    phone=ok_or("13912345678", PHONE),
    relation=ok_or("儿子", NASTY_TEXT),
    starts_on=ok_or(dt.date.today().isoformat(), NASTY_DATE),
    ends_on=ok_or(SOON, NASTY_DATE),
    book=st.sampled_from(["on", "", "0", "x"]) | st.none(),
)
def test_granting_a_proxy_answers_any_input_next_to_the_field(
    client, resident_user, make_user, community, phone, relation, starts_on, ends_on, book
):
    client.force_login(resident_user)
    data = {"phone": phone, "relation": relation, "starts_on": starts_on, "ends_on": ends_on}
    if book is not None:
        data["can_book"] = book
    with rolled_back():
        make_user(community=community, phone="13912345678")  # the family member's account
        response = client.post(reverse("portal:proxies"), data)
        if not refused_as_malformed(response, *data.values()):
            assert_answered(response, {"phone": phone, "relation": relation})


@FUZZ
@given(start=ok_or("21:00", NASTY_TIME), end=ok_or("08:00", NASTY_TIME), sms=st.sampled_from(["on", ""]) | NASTY_TEXT)
def test_notification_settings_answer_any_input_next_to_the_field(client, resident_user, start, end, sms):
    client.force_login(resident_user)
    data = {"quiet_hours": "on", "quiet_start": start, "quiet_end": end, "bookings__sms": sms}
    with rolled_back():
        response = client.post(reverse("portal:notification_settings"), data)
        if not refused_as_malformed(response, *data.values()):
            assert_answered(response)


# --- civility nomination, cases, booking ----------------------------------------------------------


@pytest.fixture
def appraisal(community):
    now = timezone.now()
    return Appraisal.objects.create(
        community=community,
        kind=Appraisal.Kind.FAMILY,
        title="2026年文明家庭评选",
        criteria="爱国守法、邻里和睦",
        nominate_until=now + dt.timedelta(days=3),
        vote_until=now + dt.timedelta(days=10),
        status=Appraisal.Status.OPEN,
        winners=1,
    )


@FUZZ
@given(title=ok_or("3号楼 张家", NASTY_TEXT), reasons=ok_or("热心公益", NASTY_TEXT), pick=NASTY_CHOICE | st.none())
def test_nomination_answers_any_input_next_to_the_field(client, resident_user, appraisal, title, reasons, pick):
    building = BuildingFactory(community=appraisal.community)
    client.force_login(resident_user)
    data = {"building": str(building.pk) if pick is None else pick, "title": title, "reasons": reasons}
    with rolled_back():
        response = client.post(reverse("portal:nominate", args=[appraisal.pk]), data)
        assert_answered(response, {"title": title, "reasons": reasons})


@pytest.fixture
def hall(community):
    from services.models import ServiceItem
    from services.seed import seed_catalogue

    seed_catalogue(community)
    return ServiceItem.objects.select_related("counter").get(community=community, name="户籍证明开具")


@pytest.fixture
def slot(hall):
    from services.tests.factories import SlotFactory, next_weekday

    day = next_weekday(2)
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())
    return SlotFactory(counter=hall.counter, date=day, starts_at=start, capacity=3)


@FUZZ
@given(
    kind=NASTY_CHOICE | st.sampled_from(["application", "repair", "mediation", "complaint"]),
    item=NASTY_CHOICE | st.just(""),
    title=ok_or("楼道灯坏了", NASTY_TEXT),
    description=ok_or("3号楼2单元楼道灯不亮", NASTY_TEXT),
    location=ok_or("3号楼", NASTY_TEXT),
    other_party=ok_or("邻居王某", NASTY_TEXT),
)
def test_case_filing_answers_any_input_next_to_the_field(
    client, resident_user, hall, kind, item, title, description, location, other_party
):
    client.force_login(resident_user)
    data = {
        "kind": kind,
        "item": item,
        "title": title,
        "description": description,
        "location": location,
        "other_party": other_party,
    }
    with rolled_back():
        response = client.post(reverse("services:case_new"), data)
        assert_answered(
            response, {"title": title, "description": description, "location": location, "other_party": other_party}
        )


@FUZZ
@given(note=NASTY_TEXT, ready=st.sampled_from(["on", "", "0", "false", "\x00", "是"]))
def test_booking_confirmation_answers_any_note(client, resident_user, hall, slot, note, ready):
    client.force_login(resident_user)
    with rolled_back():
        url = reverse("services:book_confirm", args=[hall.pk, slot.pk])
        response = client.post(url, {"documents_ready": ready, "note": note})
        assert_answered(response, {"note": note})


# --- culture: rooms, events ---------------------------------------------------------------------


@pytest.fixture
def room(community):
    from services.tests.factories_stations import RoomFactory

    return RoomFactory(community=community)


@FUZZ
@given(
    day=ok_or(SOON, NASTY_DATE),
    start=ok_or("10:00", NASTY_TIME),
    end=ok_or("11:00", NASTY_TIME),
    purpose=ok_or("书法练习", NASTY_TEXT),
)
def test_room_booking_answers_any_input_next_to_the_field(client, resident_user, room, day, start, end, purpose):
    client.force_login(resident_user)
    with rolled_back():
        url = reverse("services:culture:room", args=[room.pk])
        response = client.post(url, {"day": day, "start": start, "end": end, "purpose": purpose})
        assert_answered(response, {"day": day, "start": start, "end": end, "purpose": purpose})


@FUZZ
@given(day=NASTY_DATE)
def test_the_room_calendar_answers_any_day(client, room, day):
    response = client.get(reverse("services:culture:room", args=[room.pk]), {"day": day})
    if refused_as_malformed(response, day):
        return
    assert response.status_code == 200


@FUZZ
@given(extra=st.dictionaries(NASTY_TEXT.filter(lambda k: k and "\x00" not in k), NASTY_TEXT, max_size=4))
def test_event_registration_ignores_whatever_else_is_posted(client, resident_user, community, extra):
    from services.tests.factories_stations import StationEventFactory

    event = StationEventFactory(community=community, published=True)
    client.force_login(resident_user)
    with rolled_back():
        response = client.post(reverse("services:stations:event_register", args=[event.pk]), extra)
        if refused_as_malformed(response, *extra, *extra.values()):
            return
        assert response.status_code == 302


# --- volunteers --------------------------------------------------------------------------------


@FUZZ
@given(
    skills=st.lists(NASTY_CHOICE | st.sampled_from(["haircut", "repair"]), max_size=3),
    availability=st.lists(NASTY_CHOICE | st.just("weekend"), max_size=3),
    skill_note=ok_or("理发三十年", NASTY_TEXT),
    agree=st.sampled_from(["on", ""]),
)
def test_volunteer_application_answers_any_input_next_to_the_field(
    client, resident_user, skills, availability, skill_note, agree
):
    client.force_login(resident_user)
    data = {"skills": skills, "availability": availability, "skill_note": skill_note, "agree": agree, "photo": jpeg()}
    with rolled_back():
        response = client.post(reverse("volunteers:apply"), data)
        assert_answered(response, {"skill_note": skill_note})


@pytest.fixture
def director(make_user, community):
    return make_user(roles.COMMITTEE_DIRECTOR, community)


@pytest.fixture
def team(community):
    from volunteers.tests.factories import TeamFactory

    return TeamFactory(community=community)


@FUZZ
@given(
    title=ok_or("清扫楼院", NASTY_TEXT),
    date=ok_or(SOON, NASTY_DATE),
    start_time=ok_or("22:00", NASTY_TIME),
    end_time=ok_or("01:00", NASTY_TIME),
    place=ok_or("3号楼院", NASTY_TEXT),
    capacity=ok_or("6", NASTY_NUMBER),
    serves=ok_or("独居老人", NASTY_TEXT),
    description=ok_or("", NASTY_TEXT),
    pick=NASTY_CHOICE | st.none(),
)
def test_activity_planning_answers_any_input_next_to_the_field(
    client, director, team, title, date, start_time, end_time, place, capacity, serves, description, pick
):
    client.force_login(director)
    typed = {
        "title": title,
        "date": date,
        "start_time": start_time,
        "end_time": end_time,
        "place": place,
        "capacity": capacity,
        "serves": serves,
        "description": description,
    }
    with rolled_back():
        data = {**typed, "team": str(team.pk) if pick is None else pick, "skills_wanted": ["patrol", pick or "x"]}
        response = client.post(reverse("volunteers:activity_new"), data)
        assert_answered(response, typed)


# --- 在职党员报到 and 微心愿 -------------------------------------------------------------------------


@pytest.fixture
def unit(community):
    from residents.tests.factories import StationedUnitFactory

    return StationedUnitFactory(community=community)


@pytest.fixture
def party_group(community):
    from residents.tests.factories import PartyGroupFactory

    return PartyGroupFactory(community=community)


@pytest.fixture
def secretary(make_user, community):
    return make_user(roles.BRANCH_SECRETARY, community)


@FUZZ
@given(
    pick_unit=NASTY_CHOICE | st.none(),
    name=ok_or("刘红", NASTY_TEXT),
    speciality=ok_or("教师", NASTY_TEXT),
    offer=ok_or("周末辅导孩子", NASTY_TEXT),
    pick_group=NASTY_CHOICE | st.none(),
)
def test_reporting_in_answers_any_input_next_to_the_field(
    client, resident_user, unit, party_group, pick_unit, name, speciality, offer, pick_group
):
    client.force_login(resident_user)
    typed = {"name": name, "speciality": speciality, "offer": offer}
    data = {
        **typed,
        "unit": str(unit.pk) if pick_unit is None else pick_unit,
        "wished_group": str(party_group.pk) if pick_group is None else pick_group,
    }
    with rolled_back():
        assert_answered(client.post(reverse("volunteers:stationed_report"), data), typed)


@FUZZ
@given(
    phone=ok_or("13912345678", PHONE),
    name=ok_or("刘红", NASTY_TEXT),
    offer=ok_or("修电器", NASTY_TEXT),
    pick_group=NASTY_CHOICE | st.none(),
)
def test_a_report_in_at_the_counter_answers_any_input_next_to_the_field(
    client, secretary, unit, party_group, phone, name, offer, pick_group
):
    client.force_login(secretary)
    typed = {"phone": phone, "name": name, "offer": offer}
    data = {**typed, "unit": str(unit.pk), "group": str(party_group.pk) if pick_group is None else pick_group}
    with rolled_back():
        assert_answered(client.post(reverse("volunteers:report_new"), data), typed)


@FUZZ
@given(title=ok_or("给孙子买个书包", NASTY_TEXT), details=ok_or("", NASTY_TEXT), phone=ok_or("x", PHONE))
def test_a_small_wish_answers_any_input_next_to_the_field(client, resident_user, secretary, title, details, phone):
    with rolled_back():
        client.force_login(resident_user)
        assert_answered(client.post(reverse("volunteers:my_wishes"), {"title": title, "details": details}))
        client.force_login(secretary)
        typed = {"phone": phone, "title": title, "details": details}
        assert_answered(client.post(reverse("volunteers:wish_new"), typed), typed)


@pytest.fixture
def fulfilled_wish(resident_user, secretary, unit, party_group):
    from volunteers.stationed import actions

    report = actions.stationed_report_submit(
        community=unit.community, unit=unit, name="刘红", phone="13912345678", by=secretary
    )
    member = actions.stationed_report_confirm(report=report, by=secretary, group=party_group).member
    wish = actions.wish_post(resident=resident_user.resident, title="修轮椅", by=resident_user)
    actions.wish_publish(wish=wish, by=secretary, public_details="一位老人的轮椅需要修理")
    actions.wish_claim(wish=wish, member=member)
    return actions.wish_fulfil(wish=wish, member=member, note="修好了")


@FUZZ
@given(hours=ok_or("2", NASTY_NUMBER), reason=ok_or("还没修好", NASTY_TEXT), thanks=ok_or("谢谢", NASTY_TEXT))
def test_confirming_a_wish_and_thanking_answer_any_input_next_to_the_field(
    client, resident_user, secretary, fulfilled_wish, hours, reason, thanks
):
    url = reverse("volunteers:wish_work", args=[fulfilled_wish.pk])
    with rolled_back():
        client.force_login(secretary)
        response = client.post(url, {"step": "return", "reason": reason})
        assert_answered(response, {"reason": reason}, form_key=lambda context: context["forms"]["return"])
    with rolled_back():
        client.force_login(secretary)  # the session of the first block was rolled back with it
        response = client.post(url, {"step": "confirm", "hours": hours})
        assert_answered(response, {"hours": hours}, form_key=lambda context: context["forms"]["confirm"])
        if response.status_code == 302:
            client.force_login(resident_user)
            key = f"t{fulfilled_wish.pk}-thanks"
            response = client.post(reverse("volunteers:wish_thank", args=[fulfilled_wish.pk]), {key: thanks})
            assert_answered(
                response,
                {"thanks": thanks},
                form_key=lambda context: next(w.thanks_form for w in context["wishes"] if w.pk == fulfilled_wish.pk),
            )


# --- councils ------------------------------------------------------------------------------------


@FUZZ
@given(
    category=NASTY_CHOICE | st.sampled_from(["environment", "safety", "other"]),
    title=ok_or("楼道灯坏了", NASTY_TEXT),
    text=ok_or("3号楼2单元楼道灯不亮", NASTY_TEXT),
    location=ok_or("3号楼", NASTY_TEXT),
)
def test_suggestion_answers_any_input_next_to_the_field(client, resident_user, category, title, text, location):
    client.force_login(resident_user)
    with rolled_back():
        data = {"category": category, "title": title, "text": text, "location": location}
        response = client.post(reverse("councils:suggestion_new"), data)
        assert_answered(response, {"title": title, "text": text, "location": location})


@pytest.fixture
def comment(community, make_user):
    """A resident's comment on a public suggestion of `community`."""
    from councils import actions
    from councils.tests.factories import SuggestionFactory

    suggestion = SuggestionFactory(community=community)
    return actions.comment_post(subject=suggestion, author=make_user(roles.RESIDENT, community), text="同意")


@FUZZ
@given(text=ok_or("同意这个建议", NASTY_TEXT), parent=st.none() | NASTY_NUMBER | st.just("own"))
def test_a_comment_answers_any_input_next_to_the_field(client, resident_user, comment, text, parent):
    client.force_login(resident_user)
    data = {"text": text}
    if parent is not None:
        data["parent"] = str(comment.pk) if parent == "own" else parent
    with rolled_back():
        response = client.post(reverse("councils:suggestion_comment", args=[comment.suggestion.tracking_number]), data)
        if refused_as_malformed(response, text, parent):
            return
        replying = response.status_code == 200 and any(c.reply_open for c in response.context["thread"]["threads"])

        def shown_form(context):
            if replying:
                return next(c.reply_form for c in context["thread"]["threads"] if c.reply_open)
            return context["thread"]["form"]

        if response.status_code == 200 and not shown_form(response.context).errors:
            assert response.context["thread"]["form"].non_field_errors() or replying  # a wrong `parent`
            return
        assert_answered(response, {"text": text}, form_key=shown_form)


@FUZZ
@given(reason=NASTY_TEXT)
def test_a_report_answers_any_input_next_to_the_field(client, resident_user, comment, reason):
    client.force_login(resident_user)
    with rolled_back():
        response = client.post(reverse("councils:comment_report", args=[comment.pk]), {"reason": reason})
        if response.status_code == 200 and not response.context["form"].has_error("reason"):
            assert response.context["form"].non_field_errors()  # reported once already
            return
        assert_answered(response, {"reason": reason})


@FUZZ
@given(reason=NASTY_TEXT)
def test_hiding_answers_any_reason_next_to_the_field(client, make_user, comment, reason):
    client.force_login(make_user(roles.COUNCIL_SECRETARY, comment.community))
    with rolled_back():
        response = client.post(reverse("councils:comment_hide", args=[comment.pk]), {"reason": reason})
        assert_answered(response, {"reason": reason})


def test_a_comment_sent_twice_is_published_twice_without_error(client, resident_user, comment):
    client.force_login(resident_user)
    url = reverse("councils:suggestion_comment", args=[comment.suggestion.tracking_number])
    for _attempt in range(2):
        assert client.post(url, {"text": "同意"}).status_code == 302


@pytest.fixture
def open_survey(make_user, community):
    """An open survey of the community: a single choice, a conditional multiple choice, a scale and a text."""
    from councils import actions

    secretary = make_user(roles.COUNCIL_SECRETARY, community)
    now = timezone.now()
    survey = actions.survey_save(
        community_id=community.pk,
        by=secretary,
        title="加装电梯意见征求",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    q1 = actions.question_add(survey=survey, by=secretary, kind="single", text="是否同意？", options=["同意", "不同意"])
    actions.question_add(
        survey=survey,
        by=secretary,
        kind="multiple",
        text="装在哪里？",
        options=["东侧", "西侧"],
        show_if_option=q1.options.first(),
    )
    actions.question_add(survey=survey, by=secretary, kind="scale", text="满意度")
    actions.question_add(survey=survey, by=secretary, kind="text", text="其他意见", required=False)
    return actions.survey_open(survey=survey, by=secretary)


def _survey_fields(survey):
    q1, q2, q3, q4 = survey.questions.order_by("order")
    return q1, q2, q3, q4, [str(o.pk) for o in q1.options.all()], [str(o.pk) for o in q2.options.all()]


@FUZZ
@given(
    single=NASTY_CHOICE | st.sampled_from(["first", "second", ""]),
    multiple=st.lists(NASTY_CHOICE | st.sampled_from(["first", "second"]), max_size=4),
    scale=ok_or("4", NASTY_NUMBER | st.sampled_from(["0", "6", "5", "1"])),
    text=ok_or("希望尽快安装", NASTY_TEXT),
)
def test_survey_answers_any_input_next_to_the_question(
    client, resident_user, open_survey, single, multiple, scale, text
):
    q1, q2, q3, q4, first, second = _survey_fields(open_survey)
    pick = {"first": first[0], "second": first[1]}
    data = {
        f"q{q1.pk}": pick.get(single, single),
        f"q{q2.pk}": [{"first": second[0], "second": second[1]}.get(m, m) for m in multiple],
        f"q{q3.pk}": scale,
        f"q{q4.pk}": text,
    }
    client.force_login(resident_user)
    with rolled_back():
        response = client.post(reverse("councils:survey", args=[open_survey.pk]), data)
        if refused_as_malformed(response, single, scale, text, *multiple):
            return
        assert_answered(response, {f"q{q4.pk}": text})


def test_a_survey_answered_twice_counts_once_and_says_so(client, resident_user, open_survey):
    from councils.models import Response

    q1, q2, q3, q4, first, second = _survey_fields(open_survey)
    data = {f"q{q1.pk}": first[1], f"q{q3.pk}": "3", f"q{q4.pk}": "好"}
    client.force_login(resident_user)
    url = reverse("councils:survey", args=[open_survey.pk])
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and Response.objects.filter(survey=open_survey).count() == 1
    assert again.context["existing"] is not None


@pytest.fixture
def held_meeting(make_user, community):
    from councils import actions
    from councils.models import Council
    from councils.tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory

    secretary = make_user(roles.COUNCIL_SECRETARY, community)
    make_user(roles.BRANCH_SECRETARY, community)
    make_user(roles.COMMITTEE_DIRECTOR, community)
    council = {c.kind: c for c in actions.councils_ensure(community=community)}[Council.Kind.DELIBERATION]
    MemberFactory.create_batch(9, council=council)
    meeting = MeetingFactory(council=council, starts_at=timezone.now() - dt.timedelta(hours=1))
    AgendaItemFactory(meeting=meeting, title="供暖费收缴办法")
    members = list(council.members.values_list("pk", flat=True))
    actions.attendance_record(meeting=meeting, present_member_ids=members[:6], by=secretary)
    meeting.secretary_user = secretary
    return meeting


@FUZZ
@given(
    text=ok_or("供暖费按面积收取。", NASTY_TEXT),
    proposed_by=ok_or("", NASTY_CHOICE),
    secret=ok_or("on", NASTY_TEXT),
    amends=ok_or("", NASTY_NUMBER),
)
def test_a_motion_answers_any_input_next_to_the_field(client, held_meeting, text, proposed_by, secret, amends):
    client.force_login(held_meeting.secretary_user)
    item = held_meeting.agenda.first()
    data = {"item": item.pk, "text": text, "proposed_by": proposed_by, "secret": secret, "amends": amends}
    with rolled_back():
        response = client.post(reverse("councils:motion_add", args=[held_meeting.pk]), data)
        if refused_as_malformed(response, *data.values()):
            return
        assert_answered(response, {"text": text} if response.status_code == 200 and text.strip() else None)


@FUZZ
@given(member=NASTY_CHOICE, choice=ok_or("yes", NASTY_CHOICE), item=ok_or("", NASTY_NUMBER))
def test_votes_and_speakers_answer_any_input(client, held_meeting, member, choice, item):
    from councils import actions

    secretary = held_meeting.secretary_user
    client.force_login(secretary)
    agenda_item = held_meeting.agenda.first()
    with rolled_back():
        motion = actions.motion_propose(item=agenda_item, text="动议", by=secretary)
        actions.motion_open(motion=motion, by=secretary)
        data = {"member": member, "choice": choice}
        response = client.post(reverse("councils:ballot_enter", args=[motion.pk]), data)
        if not refused_as_malformed(response, *data.values()):
            assert_answered(response)
        data = {"member": member, "item": item or agenda_item.pk}
        response = client.post(reverse("councils:speaker_add", args=[held_meeting.pk]), data)
        if not refused_as_malformed(response, *data.values()):
            assert_answered(response)
        assert motion.ballots.count() == 0


@FUZZ
@given(
    summary=NASTY_TEXT,
    discussion=NASTY_TEXT,
    decision=NASTY_TEXT,
    votes=ok_or("5", NASTY_NUMBER),
    deadline=ok_or(SOON, NASTY_DATE),
    executor=ok_or("committee", NASTY_CHOICE),
)
def test_minutes_autosave_never_fails_and_keeps_the_text(
    client, held_meeting, summary, discussion, decision, votes, deadline, executor
):
    from councils.models import Minutes

    client.force_login(held_meeting.secretary_user)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    item = minutes.items.first()
    prefix = f"item{item.pk}-"
    data = {
        "summary": summary,
        prefix + "discussion": discussion,
        prefix + "decision": decision,
        prefix + "votes_for": votes,
        prefix + "votes_against": votes,
        prefix + "deadline": deadline,
        prefix + "executor": executor,
    }
    with rolled_back():
        response = client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), data)
        if refused_as_malformed(response, *data.values()):
            return
        assert response.status_code == 200
        item.refresh_from_db()
        minutes.refresh_from_db()
        # Kept, whatever else was wrong; only the ends are trimmed and NUL (which no database stores) dropped.
        assert item.discussion == discussion.replace("\x00", "").strip()
        assert minutes.summary == summary.replace("\x00", "").strip()


# --- searches ------------------------------------------------------------------------------------


@FUZZ
@given(q=NASTY_TEXT, page=NASTY_NUMBER)
def test_notice_search_answers_any_query_and_shows_it_back(client, resident_user, q, page):
    client.force_login(resident_user)
    response = client.get(reverse("portal:search"), {"q": q, "page": page})
    if refused_as_malformed(response, q, page):
        return
    assert response.status_code == 200
    # Shown back trimmed to 100 characters, without NUL (which no database stores).
    assert response.context["query"] == q.replace("\x00", "").strip()[:100]
    assert f'value="{escape(response.context["query"])}"' in response.content.decode()


@FUZZ
@given(q=NASTY_TEXT)
def test_service_search_answers_any_query_next_to_the_field(client, hall, q):
    response = client.get(reverse("services:search"), {"q": q})
    if refused_as_malformed(response, q):
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{escape(q)}"' in html or not q
    form = response.context["form"]
    for message in form.errors.get("q", []):
        assert escape(message) in _error_block(html, "id_q"), "the reason is not next to the search box"


# --- duplicate submissions -----------------------------------------------------------------------


def test_registering_twice_with_one_number_says_so_next_to_the_number(client, community, sms_code):
    data = {
        "phone": "13912345678",
        "code": sms_code(client, reverse("portal:register"), "13912345678"),
        "name": "王小明",
        "community": community.pk,
        "address": "华苑小区 3号楼 2单元 301",
        "password1": "Cs9-lighthouse",
        "password2": "Cs9-lighthouse",
    }
    assert client.post(reverse("portal:register"), data).status_code == 302
    client.logout()
    response = client.post(reverse("portal:register"), data)
    assert_answered(response, {"phone": "13912345678", "name": "王小明"})
    assert "已使用" in str(response.context["form"].errors["code"])  # the code went with the first submission


def test_confirming_a_booking_twice_keeps_one_booking(client, resident_user, hall, slot):
    from services.models import Booking

    client.force_login(resident_user)
    url = reverse("services:book_confirm", args=[hall.pk, slot.pk])
    first = client.post(url, {"documents_ready": "on", "note": "轮椅"})
    second = client.post(url, {"documents_ready": "on", "note": "轮椅"}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert Booking.objects.filter(resident=resident_user.resident).count() == 1
    assert list(second.context["messages"]), "the second click is told it is already booked"


def test_booking_a_room_twice_for_the_same_hour_is_refused_with_a_message(client, resident_user, room):
    client.force_login(resident_user)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    data = {"day": day, "start": "10:00", "end": "11:00", "purpose": "书法练习"}
    url = reverse("services:culture:room", args=[room.pk])
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert_answered(response, {"purpose": "书法练习", "day": day})


def test_registering_for_an_event_twice_keeps_one_seat(client, resident_user, community):
    from services.models import EventRegistration
    from services.tests.factories_stations import StationEventFactory

    event = StationEventFactory(community=community, published=True)
    client.force_login(resident_user)
    url = reverse("services:stations:event_register", args=[event.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert (
        EventRegistration.objects.filter(event=event, resident=resident_user.resident)
        .exclude(status="cancelled")
        .count()
        == 1
    )
    assert list(response.context["messages"])


def test_applying_to_volunteer_twice_keeps_one_application(client, resident_user):
    from volunteers.models import Volunteer

    client.force_login(resident_user)
    data = {"skills": ["haircut"], "availability": ["weekend"], "agree": "on"}
    assert client.post(reverse("volunteers:apply"), {**data, "photo": jpeg()}).status_code == 302
    assert client.post(reverse("volunteers:apply"), {**data, "photo": jpeg()}).status_code == 302
    assert Volunteer.objects.filter(resident=resident_user.resident).count() == 1


def test_nominating_the_same_household_twice_answers_with_a_message(client, resident_user, appraisal):
    building = BuildingFactory(community=appraisal.community)
    client.force_login(resident_user)
    data = {"building": building.pk, "title": "3号楼 张家", "reasons": "热心公益"}
    url = reverse("portal:nominate", args=[appraisal.pk])
    assert client.post(url, data).status_code == 302
    assert_answered(client.post(url, data))


def test_a_suggestion_sent_twice_answers_without_error(client, resident_user):
    client.force_login(resident_user)
    data = {"category": "environment", "title": "楼道灯坏了", "text": "3号楼2单元楼道灯不亮", "location": "3号楼"}
    for _attempt in range(2):
        assert client.post(reverse("councils:suggestion_new"), data).status_code == 302


def test_planning_the_same_activity_twice_answers_without_error(client, director, team):
    client.force_login(director)
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    data = {
        "title": "清扫楼院",
        "team": team.pk,
        "date": day,
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "3号楼院",
        "capacity": "6",
    }
    for _attempt in range(2):
        assert_answered(client.post(reverse("volunteers:activity_new"), data))


# --- dates at the edge of the calendar, everything else right -------------------------------------

EDGE_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "1900-01-01", "2100-01-01"]


@pytest.mark.parametrize("day", EDGE_DATES)
def test_room_booking_on_an_edge_date_is_refused_next_to_the_date(client, resident_user, room, day):
    client.force_login(resident_user)
    data = {"day": day, "start": "10:00", "end": "11:00", "purpose": "书法练习"}
    response = client.post(reverse("services:culture:room", args=[room.pk]), data)
    assert_answered(response, {"day": day, "purpose": "书法练习"})
    assert "day" in response.context["form"].errors


@pytest.mark.parametrize("day", EDGE_DATES)
@pytest.mark.parametrize(("start", "end"), [("09:00", "11:00"), ("22:00", "01:00")])
def test_activity_on_an_edge_date_answers_without_error(client, director, team, day, start, end):
    client.force_login(director)
    data = {
        "title": "清扫楼院",
        "team": team.pk,
        "date": day,
        "start_time": start,
        "end_time": end,
        "place": "3号楼院",
        "capacity": "6",
    }
    response = client.post(reverse("volunteers:activity_new"), data)
    assert_answered(response, {"date": day, "title": "清扫楼院"})


@pytest.mark.parametrize("day", EDGE_DATES)
def test_minutes_deadline_on_an_edge_date_is_kept_out_without_error(client, held_meeting, day):
    from councils.models import Minutes

    client.force_login(held_meeting.secretary_user)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    item = minutes.items.first()
    prefix = f"item{item.pk}-"
    data = {
        "summary": "会议由书记主持。",
        prefix + "discussion": "充分讨论",
        prefix + "decision": "同意",
        prefix + "votes_for": "5",
        prefix + "votes_against": "0",
        prefix + "votes_abstain": "0",
        prefix + "adopt_resolution": "on",
        prefix + "executor": "committee",
        prefix + "deadline": day,
    }
    assert client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), data).status_code == 200
    response = client.post(reverse("councils:minutes_edit", args=[held_meeting.pk]), data)
    assert response.status_code in (200, 302)


# --- my data: a request to correct or delete (PIPL), the staff check-in scanner ---------------------------------


@FUZZ
@given(kind=NASTY_CHOICE | st.sampled_from(["correct", "complete", "delete"]), text=ok_or("出生日期有误", NASTY_TEXT))
def test_data_request_answers_any_input_next_to_the_field(client, resident_user, kind, text):
    client.force_login(resident_user)
    with rolled_back():
        response = client.post(reverse("portal:data_request"), {"kind": kind, "text": text})
        if refused_as_malformed(response, kind, text):
            return
        assert_answered(response, {"text": text})


@FUZZ
@given(code=NASTY_TEXT | st.sampled_from(["h.1.ffffffffff:AAAA", "c.1.1:x", "e.9.9:" + "A" * 43, "ABCDEF", ":"]))
def test_check_in_scanner_answers_any_code_next_to_the_field(client, make_user, community, code):
    client.force_login(make_user(roles.HALL_STAFF, community))
    with rolled_back():
        response = client.post(reverse("services:scan"), {"code": code})
        if refused_as_malformed(response, code):
            return
        assert_answered(response, {"code": code})


# --- property management: a resident's repair report, staff taking one by phone ------------------------------------


@pytest.fixture
def courtyard(community):
    return BuildingFactory(community=community)


# --- grid work (网格化管理): the grid worker's visit, patrol and hand-over forms -----------------------------------
@pytest.fixture
def grid_worker_household(make_user, community):
    from residents.models import Grid
    from residents.tests.factories import HouseholdFactory, ResidentFactory

    worker = make_user(roles.GRID_WORKER, community)
    grid = Grid.objects.create(community=community, name="第9网格", worker=worker)
    household = HouseholdFactory(community=community, building=BuildingFactory(community=community, grid=grid))
    ResidentFactory(community=community, household=household, relation="head")
    return worker, grid, household


@FUZZ
@given(visited_on=NASTY_DATE, kind=NASTY_CHOICE | st.just("retiree"), notes=NASTY_TEXT, issue=ok_or("漏水", NASTY_TEXT))
def test_a_home_visit_answers_any_input_next_to_the_field(
    client, grid_worker_household, visited_on, kind, notes, issue
):
    worker, _grid, household = grid_worker_household
    client.force_login(worker)
    with rolled_back():
        response = client.post(
            reverse("services:grids:household", args=[household.pk]),
            {"visited_on": visited_on, "kind": kind, "notes": notes, "issue": issue},
        )
        if response.status_code != 302:
            assert_answered(response, {"notes": notes, "issue": issue})


@FUZZ
@given(
    kind=NASTY_CHOICE | st.sampled_from(["water", "electricity", "gas"]),
    building=NASTY_CHOICE | st.just("mine"),
    location=ok_or("2单元301", NASTY_TEXT),
    description=ok_or("厨房水管爆裂", NASTY_TEXT),
)
def test_a_repair_report_answers_any_input_next_to_the_field(
    client, resident_user, courtyard, kind, building, location, description
):
    client.force_login(resident_user)
    data = {
        "kind": kind,
        "building": str(courtyard.pk) if building == "mine" else building,
        "location": location,
        "description": description,
    }
    with rolled_back():
        response = client.post(reverse("services:property:report"), data)
        if refused_as_malformed(response, *data.values()):
            return
        assert_answered(response, {"location": location, "description": description})


@FUZZ
@given(
    source=NASTY_CHOICE | st.sampled_from(["phone", "counter", "12345", "online"]),
    caller=ok_or("王大爷", NASTY_TEXT),
    caller_phone=ok_or("13912345678", NASTY_TEXT),
    description=ok_or("楼道水管爆裂", NASTY_TEXT),
)
def test_a_repair_taken_by_phone_answers_any_input_next_to_the_field(
    client, make_user, community, courtyard, source, caller, caller_phone, description
):
    client.force_login(make_user(roles.HALL_STAFF, community))
    data = {
        "source": source,
        "caller": caller,
        "caller_phone": caller_phone,
        "kind": "water",
        "building": str(courtyard.pk),
        "description": description,
    }
    with rolled_back():
        response = client.post(reverse("services:property:desk"), data)
        if refused_as_malformed(response, *data.values()):
            return
        assert_answered(response, {"caller": caller, "caller_phone": caller_phone, "description": description})


@FUZZ
@given(
    grid=NASTY_CHOICE, location=ok_or("北门", NASTY_TEXT), issue=NASTY_TEXT, photo=st.sampled_from(["jpeg", "bad", ""])
)
def test_a_patrol_answers_any_input_next_to_the_field(client, grid_worker_household, grid, location, issue, photo):
    worker, real_grid, _household = grid_worker_household
    client.force_login(worker)
    data = {"grid": grid if grid != "0" else real_grid.pk, "location": location, "notes": "", "issue": issue}
    if photo == "jpeg":
        data["photos"] = [jpeg()]
    elif photo == "bad":
        data["photos"] = [SimpleUploadedFile("x.jpg", b"\x00not", content_type="image/jpeg")]
    with rolled_back():
        response = client.post(reverse("services:grids:patrol_new"), data)
        if response.status_code != 302:
            assert_answered(response, {"location": location, "issue": issue})


@FUZZ
@given(destination=NASTY_CHOICE | st.just("case"), kind=NASTY_CHOICE | st.just("repair"), household=NASTY_TEXT)
def test_a_patrol_hand_over_answers_any_input_next_to_the_field(
    client, grid_worker_household, destination, kind, household
):
    from residents.models import Patrol

    worker, grid, _household = grid_worker_household
    patrol = Patrol.objects.create(community=grid.community, grid=grid, location="北门", issue="井盖松动")
    client.force_login(worker)
    with rolled_back():
        response = client.post(
            reverse("services:grids:patrol_hand_over", args=[patrol.pk]),
            {"destination": destination, "kind": kind, "household": household},
        )
        if response.status_code != 302:
            assert_answered(response, {"household": household})
