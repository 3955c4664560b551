"""One English word, one meaning: a msgid shared by different meanings gets a context (pgettext), so each place
can say the right thing in Chinese. Two checks keep it so, and a table keeps the Chinese of the words that went
wrong before (会议"已召开"读成"调解时间"、活动"报名"读成"注册"……)."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from services.tests.factories_stations import StationEventFactory

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = ("councils", "portal", "residents", "services", "volunteers")

# Single words that mean the same thing in every app that uses them (checked by hand: the Chinese fits each place).
# A word that means something else somewhere gets a context there instead of a place on this list.
ALLOWED_SHARED = {
    # labels of fields every kind of record has
    *("community", "Community", "kind", "name", "Name", "status", "created", "description", "year", "Year"),
    *("place", "Where", "time", "Time", "Date", "photo", "Caption", "address", "district", "deadline", "Deadline"),
    *("cancelled", "published", "overdue", "leader", "Stars", "Hours", "Submitted", "now"),
    # the same thing named in the menu, the search results and its own pages
    *("Suggestions", "Service", "Notice", "Resolution", "Residents", "Volunteer", "Calendar", "Search", "Event"),
    # a party branch's secretary, in the register and on the home page
    "secretary",
    # buttons that do the same thing in each form
    *("Show", "Approve", "Record", "Back"),
    # the date a duty post's or a focus group's next task falls due
    "due",
    # a workbench block and the page it leads to; a case's timeline and internal notes on the staff and resident pages
    *("Minutes", "Rooms", "Classes", "Teams", "Events", "note", "Attach", "Timeline", "internal"),
}

# (context, msgid) → (the wrong Chinese it once had, the right one). Each row is a meaning that went wrong.
MEANINGS = {
    (None, "held"): ("调解时间", "已召开"),  # a meeting's status
    ("time of", "held"): ("已召开", "调解时间"),  # when a mediation session took place
    (None, "decided"): ("审核时间", "已议定"),  # a suggestion's status
    ("time of", "decided"): ("已议定", "审核时间"),  # when a volunteer application was decided
    ("time of", "accepted"): ("已受理", "受理时间"),
    ("time of", "submitted"): ("已提交", "提交时间"),
    ("event", "Register"): ("注册", "报名"),  # sign up to an event, not open an account
    (None, "Register"): ("报名", "注册"),
    ("volunteer", "Teams"): ("文体队伍", "志愿服务队"),
    (None, "Teams"): ("志愿服务队", "文体队伍"),
    ("organisation", "unit"): ("单元", "单位"),  # the stationed unit that pledged resources
    (None, "unit"): ("单位", "单元"),  # a building's entrance in an address
    ("visit", "Next"): ("下一页", "后续需求"),  # what a person served needs next
    (None, "Next"): ("后续需求", "下一页"),  # the pager
    ("activity room", "room"): ("房号", "活动室"),
    ("document", "file"): ("档案", "文件"),  # an uploaded document, not a health file
    ("council", "secretary"): ("书记", "秘书"),  # a council's secretary, not a party branch secretary
    ("checkup", "Results"): ("评选结果", "检查结果"),
    ("hall day", "closed"): ("关闭", "不办公"),
    ("places", "full"): ("已约满", "名额已满"),
}


def app_of(path: str) -> str | None:
    """The app a catalogue occurrence belongs to; the site's templates go with the site; tests are no place."""
    parts = path.split("/")
    if "tests" in parts or parts[-1].startswith("test_"):
        return None
    if parts[0] == "templates":
        parts = parts[1:]
        if len(parts) == 1 or parts[0] in {"partials", "registration", "portal", "admin"}:
            return "site"
    if parts[0] == "portal":
        return "core" if parts[1] == "core" else "site"
    return parts[0]


def test_a_single_word_used_in_several_apps_has_a_context_or_one_meaning():
    """A bare word ("held", "Register", "unit") shared by apps is where meanings collide; a context settles it."""
    po = polib.pofile(str(PO))
    shared = []
    for entry in po:
        if entry.msgctxt or entry.obsolete or not re.fullmatch(r"[A-Za-z-]+", entry.msgid):
            continue
        places = [path for path, _ in entry.occurrences if app_of(path)]
        apps = {app_of(path) for path in places}
        # labels of model fields shared by apps name the same column; a template, form or view names what it shows
        if len(apps) > 1 and any("/models" not in path for path in places) and entry.msgid not in ALLOWED_SHARED:
            shared.append((entry.msgid, entry.msgstr, sorted(apps)))
    assert shared == [], "give each meaning its own context (pgettext / {% translate … context … %})"


CHOICE = re.compile(r'^\s*[A-Z][A-Z0-9_]*\s*=\s*[^#\n]*?,\s*_\("([^"]+)"\)', re.M)
FIELD = re.compile(
    r'(?<!Boolean)(?:Field|ForeignKey|OneToOneField|ManyToManyField)\(\s*_\("([^"]+)"\)|verbose_name=_\("([^"]+)"\)'
)


def test_a_state_and_a_field_do_not_share_a_msgid():
    """ "held" as a meeting's state reads 已召开; as the time a session was held it reads 调解时间: two msgids."""
    states, fields = {}, {}
    for top in SOURCES:
        for path in (ROOT / top).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text()
            for match in CHOICE.finditer(text):
                states.setdefault(match.group(1), path.relative_to(ROOT).as_posix())
            for match in FIELD.finditer(text):
                fields.setdefault(match.group(1) or match.group(2), path.relative_to(ROOT).as_posix())
    both = sorted((word, states[word], fields[word]) for word in set(states) & set(fields))
    assert both == [], "a choice label and a field label share a msgid: give the field pgettext_lazy('time of', …)"


@pytest.mark.parametrize(("key", "wrong_right"), MEANINGS.items(), ids=[f"{c}|{m}" for c, m in MEANINGS])
def test_known_meanings_read_right_in_chinese(key, wrong_right):
    context, msgid = key
    wrong, right = wrong_right
    with translation.override("zh-hans"):
        said = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert said != wrong
    assert said == right


@pytest.mark.django_db
def test_the_ical_calendar_is_named_in_chinese(client, community):
    StationEventFactory(community=community)
    response = client.get(reverse("services:stations:ical", args=[community.slug]))
    name = str(Calendar.from_ical(response.content)["x-wr-calname"])
    assert name == f"{community.name} · 健康服务站和文化服务站活动"
