"""Idempotency keys (portal/core/idempotency.py) on the forms that write: booking an appointment, filing a case and
sending a suggestion. The same key sent twice applies the form once and answers the first outcome again."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from councils.models import Suggestion
from portal.core import idempotency
from portal.core.models import IdempotencyKey
from portal.core.tasks import purge_idempotency_keys
from portal.tests.idempotency import key_on as _key_on
from services.models import Booking, Case

CONFIRM = {"documents_ready": "on", "note": "带老人一起来"}
SUGGESTION = {
    "category": "environment",
    "title": "垃圾分类箱",
    "text": "建议在3号楼增设垃圾分类箱。",
    "location": "3号楼",
}


def test_each_rendering_of_the_booking_form_carries_a_fresh_key(client, resident_user, item, slot):
    client.force_login(resident_user)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    assert _key_on(client.get(url)) != _key_on(client.get(url))


def test_a_booking_sent_twice_with_one_key_is_booked_once_and_the_second_answer_is_the_first(
    client, resident_user, item, slot
):
    client.force_login(resident_user)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    key = _key_on(client.get(url))
    first = client.post(url, {**CONFIRM, "idempotency_key": key})
    second = client.post(url, {**CONFIRM, "idempotency_key": key})
    booking = Booking.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("services:booking", args=[booking.code])
    slot.refresh_from_db()
    assert slot.seats_taken == 1
    page = client.get(second.url).content.decode()
    assert "没有再次办理" in page  # told that the form had already arrived
    assert IdempotencyKey.objects.get().location == first.url


def test_a_refused_form_leaves_no_key_so_the_corrected_form_is_applied(client, resident_user, item, slot):
    client.force_login(resident_user)
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    key = idempotency.new_key()
    refused = client.post(url, {"note": "轮椅", "idempotency_key": key})  # the checklist is not ticked
    assert refused.status_code == 200 and not Booking.objects.exists()
    assert _key_on(refused) == key  # shown again with the same key
    assert not IdempotencyKey.objects.exists()
    assert client.post(url, {**CONFIRM, "idempotency_key": key}).status_code == 302
    assert Booking.objects.count() == 1


def test_a_case_sent_twice_with_one_key_is_filed_once(client, resident_user, repair):
    client.force_login(resident_user)
    url = reverse("services:case_new")
    key = _key_on(client.get(url))
    form = {
        "kind": "repair",
        "item": repair.pk,
        "title": "厨房漏水",
        "description": "水管接口漏水",
        "idempotency_key": key,
    }
    first = client.post(url, form)
    second = client.post(url, form)
    case = Case.objects.get()
    assert first.url == second.url == reverse("services:case", args=[case.pk])


def test_a_suggestion_sent_twice_with_one_key_is_recorded_once(client, resident_user):
    client.force_login(resident_user)
    url = reverse("councils:suggestion_new")
    key = _key_on(client.get(url))
    first = client.post(url, {**SUGGESTION, "idempotency_key": key})
    second = client.post(url, {**SUGGESTION, "idempotency_key": key})
    suggestion = Suggestion.objects.get()
    assert first.url == second.url == reverse("councils:suggestion", args=[suggestion.tracking_number])
    # A new rendering is a new form: sending it files a second suggestion, as the resident meant.
    third = client.post(url, {**SUGGESTION, "idempotency_key": _key_on(client.get(url))})
    assert third.status_code == 302 and Suggestion.objects.count() == 2


def test_without_a_key_a_form_works_as_before(client, resident_user):
    client.force_login(resident_user)
    url = reverse("councils:suggestion_new")
    client.post(url, SUGGESTION)
    client.post(url, SUGGESTION)
    assert Suggestion.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_a_malformed_key_is_ignored(client, resident_user):
    client.force_login(resident_user)
    client.post(reverse("councils:suggestion_new"), {**SUGGESTION, "idempotency_key": "x' OR 1=1"})
    assert Suggestion.objects.count() == 1 and not IdempotencyKey.objects.exists()


def test_one_persons_key_is_not_another_persons(client, resident_user, other_resident_user):
    url = reverse("councils:suggestion_new")
    key = idempotency.new_key()
    client.force_login(resident_user)
    client.post(url, {**SUGGESTION, "idempotency_key": key})
    client.force_login(other_resident_user)
    answer = client.post(url, {**SUGGESTION, "idempotency_key": key})
    assert Suggestion.objects.count() == 2
    assert answer.url != reverse("councils:suggestion", args=[Suggestion.objects.order_by("pk")[0].tracking_number])


def test_old_keys_are_purged(client, resident_user):
    client.force_login(resident_user)
    client.post(reverse("councils:suggestion_new"), {**SUGGESTION, "idempotency_key": idempotency.new_key()})
    assert purge_idempotency_keys() == 0
    IdempotencyKey.objects.update(created_at="2000-01-01T00:00:00Z")
    assert purge_idempotency_keys() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_once_apply_the_form_once(resident_user, item, slot):
    """A double tap: both requests race; the second insert of the key waits for the first transaction and then
    answers its outcome."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    url = reverse("services:book_confirm", args=[item.pk, slot.pk])
    key = idempotency.new_key()
    answers, barrier = [], threading.Barrier(2)

    def send():
        client = Client()
        client.force_login(resident_user)
        barrier.wait()
        answers.append(client.post(url, {**CONFIRM, "idempotency_key": key}))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].url == answers[1].url
    assert Booking.objects.count() == 1
