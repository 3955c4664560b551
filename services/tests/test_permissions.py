"""Who may do what in the hall: one table of (actor, request, expected status), and a forbidden POST changes nothing.

Actors: anonymous, resident A (the owner), resident B, hall staff of this community, hall staff of another
community, health staff of this community.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.core import roles
from services.hall import actions
from services.models import Booking, Case, Slot

ANON, A, B, HALL, OTHER_HALL, HEALTH = "anonymous", "resident_a", "resident_b", "hall", "other_hall", "health"
ACTORS = [ANON, A, B, HALL, OTHER_HALL, HEALTH]
LOGIN = "login"  # a redirect to the login page


@pytest.fixture
def world(community, other_community, make_user, item, slot):
    users = {
        A: make_user(roles.RESIDENT, community),
        B: make_user(roles.RESIDENT, community),
        HALL: make_user(roles.HALL_STAFF, community),
        OTHER_HALL: make_user(roles.HALL_STAFF, other_community),
        HEALTH: make_user(roles.HEALTH_STAFF, community),
    }
    resident = users[A].resident
    booking = actions.booking_create(resident=resident, item=item, slot=slot, booked_by=users[A])
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    case = actions.case_file(
        resident=resident, kind="repair", title="漏水", description="厨房漏水", filed_by=users[A],
        attachments=[SimpleUploadedFile("a.png", buffer.getvalue())],
    )  # fmt: skip
    return {"users": users, "booking": booking, "case": case, "item": item, "slot": slot, "resident": resident}


def _url(name, world):
    b, c = world["booking"], world["case"]
    return {
        "my_bookings": reverse("services:my_bookings"),
        "booking": reverse("services:booking", args=[b.code]),
        "booking_ics": reverse("services:booking_ics", args=[b.code]),
        "reschedule": reverse("services:booking_reschedule", args=[b.code]),
        "case": reverse("services:case", args=[c.pk]),
        "attachment": reverse("services:attachment", args=[c.pk, c.attachments.get().pk]),
        "desk": reverse("services:desk"),
        "desk_counter": reverse("services:desk_counter", args=[b.slot.counter_id]),
        "desk_residents": reverse("services:desk_residents"),
        "desk_resident": reverse("services:desk_resident", args=[world["resident"].pk]),
        "book_for": reverse("services:book", args=[world["item"].pk]) + f"?for={world['resident'].pk}",
        "admin_case": reverse("admin:services_case_change", args=[c.pk]),
        "admin_cases": reverse("admin:services_case_changelist"),
    }[name]


GET_MATRIX = {
    #                 anonymous resident_a  resident_b  hall  other_hall  health
    "my_bookings":    (LOGIN,   200,        200,        302,  302,        302),
    "booking":        (LOGIN,   200,        404,        200,  404,        404),
    "booking_ics":    (LOGIN,   200,        404,        200,  404,        404),
    "reschedule":     (LOGIN,   200,        404,        200,  404,        404),
    "case":           (LOGIN,   200,        404,        200,  404,        404),
    "attachment":     (LOGIN,   200,        404,        200,  404,        404),
    "desk":           (LOGIN,   403,        403,        200,  200,        403),
    "desk_counter":   (LOGIN,   403,        403,        200,  404,        403),
    "desk_residents": (LOGIN,   403,        403,        200,  200,        403),
    "desk_resident":  (LOGIN,   403,        403,        200,  404,        403),
    "book_for":       (LOGIN,   403,        403,        200,  404,        403),
    "admin_case":     (302,     302,        302,        200,  404,        403),
    "admin_cases":    (302,     302,        302,        200,  200,        403),
}  # fmt: skip


@pytest.mark.parametrize(("page", "actor"), [(p, a) for p in GET_MATRIX for a in ACTORS])
def test_who_may_see_what(client, world, page, actor):
    expected = GET_MATRIX[page][ACTORS.index(actor)]
    if actor != ANON:
        client.force_login(world["users"][actor])
    response = client.get(_url(page, world))
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected, (page, actor, response.status_code)


def _state(world):
    booking = Booking.objects.get(pk=world["booking"].pk)
    case = Case.objects.get(pk=world["case"].pk)
    return (booking.status, booking.desk, booking.slot_id, case.status, case.assignee_id, case.events.count(),
            Booking.objects.count())  # fmt: skip


def _post(name, world, users):
    b, c = world["booking"], world["case"]
    return {
        "cancel": (reverse("services:booking_cancel", args=[b.code]), {}),
        "reschedule": (reverse("services:booking_reschedule", args=[b.code]), {"slot": b.slot_id}),
        "case_note": (reverse("services:case_note", args=[c.pk]), {"text": "催一下"}),
        "check_in": (reverse("services:desk_check_in"), {"code": b.code}),
        "call_next": (reverse("services:desk_call_next", args=[b.slot.counter_id]), {}),
        "finish": (reverse("services:desk_finish", args=[b.pk]), {"outcome": "no_show"}),
        "book_for": (
            reverse("services:book_confirm", args=[world["item"].pk, world["slot"].pk]),
            {"documents_ready": "on", "for": users[B].resident.pk},
        ),
        "admin_accept": (
            reverse("admin:services_case_changelist"),
            {"action": "accept", "_selected_action": [c.pk], "assignee": "", "reason": ""},
        ),
    }[name]


FORBIDDEN_POSTS = {
    "cancel": [ANON, B, OTHER_HALL, HEALTH],
    "case_note": [ANON, B, HALL, OTHER_HALL, HEALTH],  # only the resident writes to the hall from the site
    "check_in": [ANON, A, B, OTHER_HALL, HEALTH],
    "finish": [ANON, A, B, OTHER_HALL, HEALTH],
    "book_for": [ANON, A, B, OTHER_HALL, HEALTH],
    "admin_accept": [ANON, A, B, OTHER_HALL, HEALTH],
}


@pytest.mark.parametrize(("action", "actor"), [(p, a) for p, actors in FORBIDDEN_POSTS.items() for a in actors])
def test_a_forbidden_post_changes_nothing(client, world, action, actor):
    users = world["users"]
    if actor != ANON:
        client.force_login(users[actor])
    before = _state(world)
    url, data = _post(action, world, users)
    response = client.post(url, data)
    # A code typed at another community's desk is refused as an unknown one: the desk again, with the reason.
    refused = (302, 403, 404) + ((200,) if (action, actor) == ("check_in", OTHER_HALL) else ())
    assert response.status_code in refused
    assert _state(world) == before


@pytest.mark.parametrize("action", ["cancel", "finish", "admin_accept"])
def test_the_allowed_post_does_change_something(client, world, action):
    """The other half of the table: the same requests by the right person do work (so the test can fail)."""
    users = world["users"]
    client.force_login(users[A] if action == "cancel" else users[HALL])
    if action == "finish":  # a no-show is marked once the slot has begun
        Slot.objects.filter(pk=world["slot"].pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    before = _state(world)
    url, data = _post(action, world, users)
    client.post(url, data)
    assert _state(world) != before
