"""The secretary's page: autosave (htmx, no inline script) and a failed submit that keeps every character."""

from django.urls import reverse

from councils import actions
from councils.models import Minutes


def _item_fields(minutes, **values):
    data = {}
    for item in minutes.items.all():
        prefix = f"item{item.pk}-"
        data.update(
            {
                prefix + "discussion": "",
                prefix + "decision": "",
                prefix + "votes_for": 0,
                prefix + "votes_against": 0,
                prefix + "votes_abstain": 0,
            }
        )
        data.update({prefix + k: v for k, v in values.items()})
    return data


def test_the_page_autosaves_through_htmx_without_inline_script(client, held_meeting, secretary):
    client.force_login(secretary)
    response = client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    html = response.content.decode()
    minutes = Minutes.objects.get(meeting=held_meeting)
    assert f'hx-post="{reverse("councils:minutes_autosave", args=[minutes.pk])}"' in html
    assert 'hx-trigger="every 30s' in html
    assert "<script>" not in html  # CSP: scripts only from files, with the nonce
    assert "nonce-" in response["Content-Security-Policy"]


def test_autosave_keeps_text_even_when_a_number_is_wrong(client, held_meeting, secretary):
    client.force_login(secretary)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    data = {"summary": "一小时的记录……", **_item_fields(minutes, discussion="长篇讨论记录", votes_for="abc")}
    response = client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), data)
    assert response.status_code == 200 and 'class="text-success"' in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.summary == "一小时的记录……"
    assert set(minutes.items.values_list("discussion", flat=True)) == {"长篇讨论记录"}


def test_a_failed_submit_keeps_every_character_and_says_why(client, held_meeting, secretary):
    client.force_login(secretary)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    data = {"summary": "书记主持", "submit": "1", **_item_fields(minutes, discussion="讨论了很久", votes_for="-3")}
    response = client.post(reverse("councils:minutes_edit", args=[held_meeting.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "讨论了很久" in html and "书记主持" in html
    assert any(f.errors for _item, f in response.context["item_forms"])
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and minutes.summary == "书记主持"


def test_submitting_without_decisions_lists_what_is_missing(client, held_meeting, secretary):
    client.force_login(secretary)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    data = {"summary": "s", "submit": "1", **_item_fields(minutes, discussion="d")}
    response = client.post(reverse("councils:minutes_edit", args=[held_meeting.pk]), data, follow=True)
    assert "供暖费收缴办法" in str(list(response.context["messages"]))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT


def test_autosave_of_submitted_minutes_says_they_are_locked(client, held_meeting, secretary):
    from councils.tests.conftest import fill_minutes

    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    client.force_login(secretary)
    response = client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), {"summary": "late"})
    assert 'class="text-danger"' in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.summary != "late"


def _upload(name, content, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def _png_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_secretary_attaches_photos_and_documents_to_draft_minutes(client, held_meeting, secretary, convenor):
    client.force_login(secretary)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    url = reverse("councils:minutes_attach", args=[minutes.pk])
    client.post(url, {"file": _upload("会场.png", _png_bytes(), "image/png"), "caption": "会议现场"})
    client.post(url, {"file": _upload("签到表.pdf", b"%PDF-1.4 test", "application/pdf")})
    client.post(url, {"file": _upload("fake.png", b"not an image", "image/png")})
    client.post(url, {"file": _upload("run.exe", b"MZ", "application/octet-stream")})
    assert [a.is_photo for a in minutes.attachments.order_by("pk")] == [True, False]
    page = client.get(reverse("councils:minutes", args=[minutes.pk])).content.decode()
    assert "会议现场" in page and "attachment-thumb" in page


def test_autosave_refreshes_what_is_still_missing(client, held_meeting, secretary):
    client.force_login(secretary)
    client.get(reverse("councils:minutes_edit", args=[held_meeting.pk]))
    minutes = Minutes.objects.get(meeting=held_meeting)
    data = {"summary": "s", **_item_fields(minutes, decision="同意")}
    html = client.post(reverse("councils:minutes_autosave", args=[minutes.pk]), data).content.decode()
    assert 'id="minutes-problems" hx-swap-oob="true"' in html and "alert" not in html  # nothing missing any more


def test_the_page_reads_the_stationed_units_once_for_all_items(client, held_meeting, secretary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from councils.models import AgendaItem, MinutesItem
    from residents.tests.factories import StationedUnitFactory

    community = held_meeting.council.community
    units = StationedUnitFactory.create_batch(3, community=community)
    elsewhere = StationedUnitFactory()  # another community's: not offered
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    for i in range(5):
        agenda_item = AgendaItem.objects.create(meeting=held_meeting, order=50 + i, title=f"议题{i}")
        MinutesItem.objects.create(minutes=minutes, agenda_item=agenda_item)
    chosen = minutes.items.order_by("pk").first()
    MinutesItem.objects.filter(pk=chosen.pk).update(executor="unit", executor_unit=units[1])
    client.force_login(secretary)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("councils:minutes_edit", args=[held_meeting.pk])).content.decode()
    assert sum('FROM "residents_stationedunit"' in q["sql"] for q in ctx.captured_queries) == 1
    items = minutes.items.count()
    assert all(html.count(f'value="{unit.pk}"') == items for unit in units)
    assert f'value="{elsewhere.pk}"' not in html
    assert html.count(f'<option value="{units[1].pk}" selected>') == 1
