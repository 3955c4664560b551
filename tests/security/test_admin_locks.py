"""Locks the admin cannot walk around, proven over the admin registry (portal.core.locks).

Every ModelAdmin in `admin.site._registry`, and every inline of it, has an entry below: how to build a final
(locked) record of community A in the seeded world, or why its records are never final. A new ModelAdmin or inline
without an entry fails `test_every_admin_and_inline_has_an_entry`.

For each final record and each member of staff (tests/security/conftest.py WHO) who may see it in the admin:
its change page offers no save button, no editable model or inline field and no delete link; a POST of the change
form (with its inline formsets) is a 403 and leaves the row as it was; the delete view, "delete selected" and the
revert form of its history refuse too. The staff pages that edit those records refuse as well.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from portal.core import locks
from tests.security.conftest import WHO

# ------------------------------------------------------------------------------------------------
# How to build a final record of community A (each builder gets the world and returns the record).


def _approved_minutes(world):
    from councils.models import Minutes

    return Minutes.objects.filter(meeting__council__community=world.a, status__in=Minutes.LOCKED).order_by("pk")[0]


def _locked_meeting(world):
    return _approved_minutes(world).meeting


def _done_resolution(world):
    from councils.models import Resolution

    resolution = Resolution.objects.filter(community=world.a).order_by("pk")[0]
    Resolution.objects.filter(pk=resolution.pk).update(status=Resolution.Status.DONE, done_at=timezone.now())
    return Resolution.objects.get(pk=resolution.pk)


def _progress_of_done_resolution(world):
    from councils.models import ResolutionProgress

    resolution = _done_resolution(world)
    return ResolutionProgress.objects.create(resolution=resolution, text="已完成", completes=True)


def _decided_nomination(world):
    from councils.models import Council, Nomination

    council = Council.objects.filter(community=world.a).order_by("pk")[0]
    return Nomination.objects.create(
        council=council,
        role="resident_rep",
        nominee="王建国",
        method="election",
        status=Nomination.Status.ELECTED,
        votes=9,
    )


def _frozen_indicator_entry(world):
    """A hand-entered assessment indicator of a year whose result for community A is frozen (the seed froze last
    year's)."""
    from portal.site.models import AssessmentSnapshot, IndicatorEntry

    frozen = AssessmentSnapshot.objects.filter(community=world.a).values("rubric")
    return IndicatorEntry.objects.filter(community=world.a, rubric__in=frozen).order_by("pk")[0]


def _closed_case(world):
    from services.models import Case

    case = Case.objects.filter(community=world.a).exclude(kind=Case.Kind.MEDIATION).order_by("pk")[0]
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DONE, closed_at=timezone.now())
    return Case.objects.get(pk=case.pk)


def _closed_mediation(world):
    """A mediation case closed and followed up (with a mediation session, so that its own admin is walked too)."""
    from services.models import Case, Mediation

    case = Case.objects.filter(community=world.a, kind=Case.Kind.MEDIATION).order_by("pk")[0]
    Case.objects.filter(pk=case.pk).update(status=Case.Status.DONE, closed_at=timezone.now())
    today = timezone.localdate()
    Mediation.objects.update_or_create(
        case=case,
        defaults={
            "parties": "甲\n乙",
            "agreement": "双方和解",
            "agreed_on": today,
            "follow_up_due": today,
            "follow_up_done_on": today,
            "follow_up_notes": "回访满意",
        },
    )
    return Case.objects.get(pk=case.pk)


def _session_of_closed_mediation(world):
    from services.models import MediationSession

    case = _closed_mediation(world)
    return MediationSession.objects.create(mediation=case.mediation, held_at=timezone.now(), summary="调解成功")


def _published_survey(world):
    from councils.models import Survey

    return Survey.objects.filter(community=world.a, status=Survey.Status.PUBLISHED).order_by("pk")[0]


def _question_of_open_survey(world):
    from councils.models import Question, Survey

    return Question.objects.filter(survey__community=world.a, survey__status=Survey.Status.OPEN).order_by("pk")[0]


def _published_property_appraisal(world):
    from services.models import PropertyAppraisal

    return PropertyAppraisal.objects.filter(published_at__isnull=False).order_by("pk")[0]


def _inspection_of_published_period(world):
    from services.models import PropertyInspection

    period = _published_property_appraisal(world)
    return PropertyInspection.objects.filter(
        company__community=world.a, inspected_on__gte=period.starts_on, inspected_on__lte=period.ends_on
    ).order_by("pk")[0]


LOCKED = {
    "councils.Meeting": [_locked_meeting],
    "councils.Survey": [_published_survey],
    "councils.Question": [_question_of_open_survey],
    "councils.Minutes": [_approved_minutes],
    "councils.Resolution": [_done_resolution],
    "councils.ResolutionProgress": [_progress_of_done_resolution],
    "councils.Nomination": [_decided_nomination],
    "services.Case": [_closed_case, _closed_mediation],
    "site.IndicatorEntry": [_frozen_indicator_entry],
    "services.MediationSession": [_session_of_closed_mediation],
    "services.PropertyAppraisal": [_published_property_appraisal],
    "services.PropertyInspection": [_inspection_of_published_period],
}

REFERENCE = "reference data and settings, changed in place by design"
NEVER_LOCKED = {
    "auth.Group": REFERENCE,
    "axes.AccessAttempt": "login attempts: written by django-axes, read-only for staff",
    "axes.AccessFailureLog": "login attempts: written by django-axes, read-only for staff",
    "axes.AccessLog": "login attempts: written by django-axes, read-only for staff",
    "councils.Comment": "read-only here (no add, change or delete): hidden with a reason by its action on the site",
    "councils.CommentReport": "read-only here: handled by hiding the comment or dismissing the reports on the site",
    "councils.Council": "a council's members and rules change over time; meetings freeze what they need",
    "councils.Project": "a joint project's record is kept up to date",
    "councils.ResourcePledge": "pledged and delivered are updated as the unit delivers",
    "councils.Suggestion": "its status moves through the triage actions (read-only here); its text stays editable",
    "django_celery_beat.ClockedSchedule": REFERENCE,
    "django_celery_beat.CrontabSchedule": REFERENCE,
    "django_celery_beat.IntervalSchedule": REFERENCE,
    "django_celery_beat.PeriodicTask": REFERENCE,
    "django_celery_beat.SolarSchedule": REFERENCE,
    "portal.AuditLog": "never editable at all (ReadOnlyAdmin)",
    "volunteers.StationedReport": "read-only here (ReadOnlyAdmin): filed, confirmed and declined by its actions",
    "volunteers.Wish": "read-only here (ReadOnlyAdmin): every step of the wish is an action on the office's page",
    "volunteers.UnitSummary": "read-only here (ReadOnlyAdmin): prepared and marked sent by its actions",
    "portal.SensitiveAccessLog": "never editable at all (ReadOnlyAdmin)",
    "portal.Community": REFERENCE,
    "portal.District": REFERENCE,
    "portal.PendingAccount": "an account waiting for confirmation",
    "portal.User": "accounts change (roles, deactivation)",
    "residents.Area": "the register is kept current",
    "residents.Branch": "the register is kept current",
    "residents.Building": "the register is kept current",
    "residents.GeneralBranch": "the register is kept current",
    "residents.Household": "the register is kept current",
    "residents.PartyGroup": "the register is kept current",
    "residents.PartyMember": "the register is kept current",
    "residents.Resident": "the register is kept current",
    "residents.StationedUnit": "the register is kept current",
    "residents.Grid": "grids are redrawn as the community changes",
    "residents.HomeVisit": "read-only admin: written only by the grid worker's pages",
    "residents.Patrol": "read-only admin: written only by the grid worker's pages",
    "services.Booking": "every field is read-only here and it cannot be added or deleted; cancelled by its action",
    "services.CheckupCampaign": "a campaign's slots are planned and changed by the health station",
    "services.ClassEnrolment": "a seat: every field is read-only here, moved by the capacity primitive",
    "services.ClosedDay": REFERENCE,
    "services.Counter": REFERENCE,
    "services.CultureClass": "a class's schedule is kept current",
    "services.CulturePlan": "a year's plan is kept current; the dashboard counts against it",
    "services.EventRegistration": "a place: every field is read-only here, moved by the seat primitive",
    "services.FollowUpPlan": "a care plan is kept current",
    "services.HealthConsent": "consent is withdrawn through its action; its dates are read-only",
    "services.HealthFile": "a health file is kept current (entries are added, each logged)",
    "services.Cleaner": "a company's cleaners change",
    "services.OwnersCommittee": "a committee's members change; a new term is a new committee",
    "services.PropertyCompany": "a company's courtyards, accounts and promise are kept current",
    "services.Repair": "never editable here (ReadOnlyAdmin): moved by its actions on its page",
    "services.Room": REFERENCE,
    "services.RoomBooking": "its status is read-only here (cancelled by its action); its times are checked as on the pages",
    "services.ServiceCategory": REFERENCE,
    "services.ServiceItem": REFERENCE,
    "services.Slot": REFERENCE,
    "services.StationEvent": "an event is kept current until it happens; its places are seats",
    "services.Team": "a culture team's members change",
    "site.Appraisal": "published by its action only (status read-only then); the winners' stories follow afterwards",
    "site.AssessmentSnapshot": "frozen figures: written by the assessment's action",
    "site.ContactPerson": REFERENCE,
    "site.Facility": REFERENCE,
    "site.ManualScore": "a district assessor's score, corrected in place until the snapshot",
    "site.Notice": "a notice is edited and withdrawn in place",
    "site.Rubric": REFERENCE,
    "volunteers.Activity": "an activity is kept current; sign-ups are read-only here",
    "volunteers.Badge": "every field but the revocation is read-only here",
    "volunteers.DutyPost": REFERENCE,
    "volunteers.HourCorrection": "every field is read-only here",
    "volunteers.PartyTask": "a task is kept current until completed",
    "volunteers.PersonServed": "the people served are kept current",
    "volunteers.SignUp": "every field is read-only here; moved by the check-in and hours actions",
    "volunteers.Team": "a team's members change",
    "volunteers.VisitRecord": "a visit record is corrected in place",
    "volunteers.Volunteer": "its status is read-only here, moved by the approval actions",
}

# Each inline: final with its parent (its parent admin has a builder above), or why not.
WITH_PARENT = "final with its parent"
INLINES = {
    "councils.admin.AgendaInline": WITH_PARENT,
    "councils.admin.AttachmentInline": WITH_PARENT,
    "councils.admin.MemberInline": "a council's members change over time",
    "councils.admin.QuestionInline": WITH_PARENT,
    "councils.admin.OptionInline": WITH_PARENT,
    "services.hall.admin.CaseAttachmentInline": WITH_PARENT,
    "services.hall.admin.MediationInline": WITH_PARENT,
    "services.hall.admin.OpeningHoursInline": REFERENCE,
    "services.culture.admin.ClassSessionInline": "a class's sessions are planned",
    "services.culture.admin.TeamMemberInline": "a team's members change",
    "services.events.admin.EventPhotoInline": "an event's gallery grows",
    "services.health.admin.CheckupSlotInline": "a campaign's slots are planned",
    "services.health.admin.ReadingInline": "a health file is kept current",
    "services.health.admin.CheckupInline": "a health file is kept current",
    "services.health.admin.FollowUpVisitInline": "a health file is kept current",
    "services.health.admin.MaternalVisitInline": "a health file is kept current",
    "services.property.admin.CoverageInline": "a company's courtyards change",
    "services.property.admin.StaffInline": "a company's accounts change",
    "services.property.admin.MemberInline": "an owners' committee's members change",
    "services.property.admin.ScoreInline": WITH_PARENT,
    "portal.site.admin_content.NominationInline": "read-only but for the winners' stories once the results are out",
    "portal.site.admin_content.CriterionInline": REFERENCE,
    "volunteers.admin.SignUpInline": "read-only already",
    "volunteers.admin.VisitPlanInline": "visit plans are kept current",
    "residents.admin.ResidentInline": "the register is kept current",
    "residents.admin_grids.PatrolPhotoInline": "read-only already",
    "django_celery_beat.admin.PeriodicTaskInline": REFERENCE,
}


def _label(model) -> str:
    return model._meta.label


def _inline_name(inline) -> str:
    return f"{inline.__module__}.{inline.__qualname__}"


def test_every_admin_and_inline_has_an_entry():
    registered = {_label(model) for model in admin.site._registry}
    assert not LOCKED.keys() & NEVER_LOCKED.keys()
    assert sorted(registered - LOCKED.keys() - NEVER_LOCKED.keys()) == [], "new admins need an entry here"
    assert sorted((LOCKED.keys() | NEVER_LOCKED.keys()) - registered) == [], "entries of admins that are gone"
    inlines = {
        _inline_name(inline): _label(model) for model, ma in admin.site._registry.items() for inline in ma.inlines
    }
    assert sorted(inlines.keys() - INLINES.keys()) == [], "new inlines need an entry here"
    assert sorted(INLINES.keys() - inlines.keys()) == [], "entries of inlines that are gone"
    for name, parent in inlines.items():
        if INLINES[name] == WITH_PARENT:
            assert parent in LOCKED, f"{name} is final with its parent, but {parent} has no builder"


# ------------------------------------------------------------------------------------------------
# A status the actions move is not typed into the admin (every admin save goes through the actions' checks).

# Fields besides `status` that the actions alone set.
MOVED_BY_ACTIONS = {
    "councils.Meeting": ["status", "notice_sent_at", "members_count", "quorum_percent"],
    "councils.ResolutionProgress": ["completes"],
    "councils.Nomination": ["votes", "member", "meeting"],
    "services.Case": ["status", "assignee", "rejection_reason", "closed_at", "rating"],
}
# An admin whose form keeps `status`: the choices it may offer, and why.
STATUS_TYPED = {
    "councils.Nomination": ({"pending", "withdrawn"}, "withdrawn by staff; elected or not only by the election"),
    "site.Appraisal": ({"draft", "open"}, "opened by staff; results published only by the action that picks winners"),
    "volunteers.Activity": ({"open", "cancelled"}, "no action moves it: the coordinator cancels an activity here"),
}


def _admins_with_status():
    return sorted(
        _label(model)
        for model in admin.site._registry
        if any(field.name == "status" for field in model._meta.concrete_fields)
    )


@pytest.mark.parametrize("label", _admins_with_status())
def test_a_status_the_actions_move_is_read_only_in_the_admin(db, label):
    from django.apps import apps

    from portal.core.models import User

    model = apps.get_model(label)
    ma = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    # Someone who may change everything: a form is built without the fields its user may not change.
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    if not (ma.has_add_permission(request) or ma.has_change_permission(request)):
        return  # its form is never posted (resolutions: numbered by the approval, moved by progress updates)
    for change in (False, True):
        fields = ma.get_form(request, None, change=change).base_fields
        for name in MOVED_BY_ACTIONS.get(label, []):
            if name != "status":
                assert name not in fields, f"{label}.{name} is set by the actions only"
        if "status" in fields:
            allowed, _why = STATUS_TYPED.get(label, (set(), ""))
            offered = {value for value, _label_ in fields["status"].choices if value}
            assert offered <= allowed, f"{label}: the admin offers status {sorted(offered - allowed)}"
    assert label not in STATUS_TYPED or "status" in ma.get_form(request, None, change=True).base_fields


# ------------------------------------------------------------------------------------------------
# What a change page offers


class _Fields(HTMLParser):
    """The names of the fields a page offers for editing (hidden inputs are not), and its submit buttons."""

    def __init__(self):
        super().__init__()
        self.editable: set[str] = set()
        self.buttons: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if not name or tag not in ("input", "select", "textarea", "button"):
            return
        kind = (attrs.get("type") or "").lower()
        if tag == "button" or kind == "submit":
            self.buttons.add(name)
        elif kind != "hidden" and "disabled" not in attrs and "readonly" not in attrs:
            self.editable.add(name)


def _fields(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def _hidden(html: str) -> dict[str, str]:
    class Hidden(HTMLParser):
        values: dict[str, str] = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and (attrs.get("type") or "").lower() == "hidden" and attrs.get("name"):
                self.values[attrs["name"]] = attrs.get("value") or ""

    parser = Hidden()
    parser.values = {}
    parser.feed(html)
    return parser.values


def _form_data(form) -> dict:
    """What a browser would post for `form` as rendered (its current values), split widgets included."""
    data = {}
    for name, field in form.fields.items():
        key, value, widget = form.add_prefix(name), form[name].value(), field.widget
        if isinstance(widget, forms.MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = world.cookies[who]
    return client


def _viewers(world, ma, obj) -> list[str]:
    """The staff (of WHO) who may see `obj` in its admin."""
    factory = RequestFactory()
    found = []
    for who, _role, _community in WHO:
        user = world.users.get(who)
        if user is None or not user.is_staff:
            continue
        request = factory.get("/admin/")
        request.user = user
        if ma.has_view_permission(request, obj) and ma.get_queryset(request).filter(pk=obj.pk).exists():
            found.append(who)
    return found


def _row(obj) -> dict:
    return model_to_dict(type(obj)._default_manager.get(pk=obj.pk))


def _cases():
    return [(label, builder.__name__) for label, builders in LOCKED.items() for builder in builders]


@pytest.mark.parametrize(("label", "builder"), _cases())
def test_a_final_record_cannot_be_changed_in_the_admin(world, db, label, builder):
    from django.apps import apps

    model = apps.get_model(label)
    ma = admin.site._registry[model]
    obj = globals()[builder](world)
    assert locks.is_locked(obj), f"{builder} built a record that is not final"
    opts = model._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    changelist_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    viewers = _viewers(world, ma, obj)
    assert viewers, f"no one of WHO sees {label} #{obj.pk}"
    assert any(world.users[who].has_perm(f"{opts.app_label}.change_{opts.model_name}") for who in viewers) or (
        label == "councils.Resolution"  # changed by no one here at all
    ), f"no viewer could change {label} were it not final: the walk proves nothing"
    before = _row(obj)
    problems = []
    for who in viewers:
        client = _client(world, who)
        chrome = _fields(client.get(reverse("admin:index")).content.decode())
        page = client.get(change_url)
        if page.status_code != 200:
            problems.append(f"{who}: GET change page → {page.status_code}")
            continue
        html = page.content.decode()
        offered = _fields(html)
        editable = offered.editable - chrome.editable
        if editable:
            problems.append(f"{who}: editable fields {sorted(editable)}")
        saves = offered.buttons & {"_save", "_continue", "_addanother", "_saveasnew"}
        if saves:
            problems.append(f"{who}: save buttons {sorted(saves)}")
        if delete_url in html:
            problems.append(f"{who}: a delete link")
        for inline_formset in page.context["inline_admin_formsets"]:
            if inline_formset.has_add_permission or inline_formset.has_change_permission:
                problems.append(f"{who}: inline {type(inline_formset.opts).__name__} editable")
            if inline_formset.has_delete_permission:
                problems.append(f"{who}: inline {type(inline_formset.opts).__name__} offers delete")
            for row in inline_formset.formset.queryset if hasattr(inline_formset.formset, "queryset") else []:
                if hasattr(type(row), "is_locked") and not locks.is_locked(row):
                    problems.append(f"{who}: {_label(type(row))} #{row.pk} under a final record is not final")
        # The change form as the page would post it, with every inline formset (management forms and rows).
        data = {**_hidden(html), **_form_data(page.context["adminform"].form), "_save": "Save"}
        for name in offered.editable:
            data.setdefault(name, "x")
        response = client.post(change_url, data)
        if response.status_code != 403:
            problems.append(f"{who}: POST change form → {response.status_code}")
        for method in ("get", "post"):
            response = getattr(client, method)(delete_url, {"post": "yes"} if method == "post" else None)
            if response.status_code != 403:
                problems.append(f"{who}: {method.upper()} delete view → {response.status_code}")
        client.post(changelist_url, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        if not model._default_manager.filter(pk=obj.pk).exists():
            problems.append(f"{who}: deleted by 'delete selected'")
            break
        if isinstance(ma, SimpleHistoryAdmin):
            first = obj.history.order_by("history_date", "history_id").first()
            revert_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, first.pk])
            revert_page = client.get(revert_url)
            if revert_page.status_code == 200 and "_save" in _fields(revert_page.content.decode()).buttons:
                problems.append(f"{who}: the history offers to revert")
            # Its first version is not final itself: reverting to it would rewrite the final record.
            revert = {**_hidden(revert_page.content.decode()), "_save": "Revert"}
            if revert_page.status_code == 200:
                revert.update(_form_data(revert_page.context["adminform"].form))
            response = client.post(revert_url, revert)
            if response.status_code not in (403, 404):
                problems.append(f"{who}: POST revert → {response.status_code}")
    after = _row(obj) if model._default_manager.filter(pk=obj.pk).exists() else None
    if after != before:
        problems.append(f"the row changed: {before} → {after}")
    assert problems == [], f"{label} #{obj.pk} ({builder}), viewers {viewers}:\n" + "\n".join(problems)


def test_a_row_cannot_be_added_under_a_final_one_in_the_admin(world, db):
    """The mediation session of a closed, followed-up case: the form says why and keeps what was typed."""
    from services.models import MediationSession

    case = _closed_mediation(world)
    client = _client(world, "hall_a")
    held = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("admin:services_mediationsession_add"),
        {
            "mediation": case.mediation.pk,
            "held_at_0": f"{held:%Y-%m-%d}",
            "held_at_1": f"{held:%H:%M:%S}",
            "place": "调解室",
            "summary": "补记一次调解",
        },
    )
    assert response.status_code == 200
    assert str(locks.LOCKED_MESSAGE) in response.content.decode()
    assert "补记一次调解" in response.content.decode()
    assert not MediationSession.objects.filter(mediation=case.mediation).exists()


# ------------------------------------------------------------------------------------------------
# The staff pages and actions that edit those records refuse as well.


def test_the_staff_pages_refuse_to_edit_a_meeting_whose_minutes_are_approved(world, db):
    from councils.models import Attendance, MinutesAttachment, MinutesItem

    minutes = _approved_minutes(world)
    meeting = minutes.meeting
    council = meeting.council
    user = council.secretary or council.convenor
    client = Client(raise_request_exception=False)
    client.force_login(user)
    attendance = sorted(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    agenda = list(meeting.agenda.values_list("pk", "title"))
    items = list(MinutesItem.objects.filter(minutes=minutes).values())
    attachments = MinutesAttachment.objects.filter(minutes=minutes).count()
    members = list(council.members.values_list("pk", flat=True))
    client.post(reverse("councils:attendance", args=[meeting.pk]), {"present": members[:1]})
    client.post(reverse("councils:agenda_add", args=[meeting.pk]), {"title": "补充议题"})
    client.post(
        reverse("councils:minutes_autosave", args=[minutes.pk]),
        {"summary": "改写", **{f"item-{item['id']}-decision": "改写" for item in items}},
    )
    client.post(
        reverse("councils:minutes_attach", args=[minutes.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x", "application/pdf"), "caption": "补"},
    )
    assert sorted(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present")) == attendance
    assert list(meeting.agenda.values_list("pk", "title")) == agenda
    assert list(MinutesItem.objects.filter(minutes=minutes).values()) == items
    assert MinutesAttachment.objects.filter(minutes=minutes).count() == attachments


def test_a_carried_out_resolution_takes_no_more_progress(world, db):
    from councils.models import ResolutionProgress

    resolution = _done_resolution(world)
    client = _client(world, "director_a")
    before = ResolutionProgress.objects.filter(resolution=resolution).count()
    client.post(reverse("councils:resolution_progress", args=[resolution.pk]), {"text": "又做了一些"})
    assert ResolutionProgress.objects.filter(resolution=resolution).count() == before


def test_a_closed_case_takes_no_more_notes_or_files(world, db):
    from services.hall import actions
    from services.models import CaseAttachment, CaseEvent

    case = _closed_case(world)
    staff = world.users["hall_a"]
    events, files = CaseEvent.objects.filter(case=case).count(), CaseAttachment.objects.filter(case=case).count()
    with pytest.raises(ValidationError):
        actions.case_add_note(case=case, by=staff, text="补一句")
    with pytest.raises(ValidationError):
        actions.case_add_attachment(
            case=case, by=staff, upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x", "application/pdf")
        )
    assert (CaseEvent.objects.filter(case=case).count(), CaseAttachment.objects.filter(case=case).count()) == (
        events,
        files,
    )


def test_a_mediation_stays_open_to_its_follow_up_visit_after_the_case_closes(world, db):
    """The follow-up visit (回访) is due after the agreement: recorded in the admin, after which the case is final."""
    from services.models import Case, Mediation

    case = _closed_mediation(world)
    Mediation.objects.filter(case=case).update(follow_up_done_on=None, follow_up_notes="")
    case = Case.objects.get(pk=case.pk)
    assert not case.is_locked
    client = _client(world, "hall_a")
    url = reverse("admin:services_case_change", args=[case.pk])
    html = client.get(url).content.decode()
    assert 'name="mediation-0-follow_up_done_on"' in html
    data = {**_hidden(html), "_save": "Save", "mediation-0-parties": "甲\n乙", "mediation-0-agreement": "双方和解"}
    data.update(
        {"mediation-0-follow_up_done_on": f"{timezone.localdate():%Y-%m-%d}", "mediation-0-follow_up_notes": "满意"}
    )
    data["mediation-0-follow_up_due"] = f"{timezone.localdate():%Y-%m-%d}"
    data["mediation-0-agreed_on"] = f"{timezone.localdate():%Y-%m-%d}"
    data.pop("_work", None)  # the case page's step buttons (accept, attach …) post their own forms
    assert client.post(url, data).status_code == 302
    assert Case.objects.get(pk=case.pk).is_locked
