"""Notices (公告): published window, community scope, staff preview; the inbox."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.core.notify import message, notify
from portal.site.models import Notice


def make_notice(community, **kwargs):
    defaults = {"title": "停水通知", "body": "明日 8:00-12:00 停水", "category": Notice.Category.SERVICES}
    return Notice.objects.create(community=community, **{**defaults, **kwargs})


def test_published_notices_of_my_community_and_the_district_are_listed(client, community, other_community):
    mine = make_notice(community, title="本社区停水")
    district = make_notice(None, title="全区垃圾分类")
    make_notice(other_community, title="别的社区")
    make_notice(community, title="未来的公告", publish_at=timezone.now() + dt.timedelta(days=1))
    make_notice(
        community,
        title="过期的公告",
        publish_at=timezone.now() - dt.timedelta(days=3),
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    html = client.get(reverse("portal:notices")).content.decode()
    assert mine.title in html and district.title in html
    for hidden in ("别的社区", "未来的公告", "过期的公告"):
        assert hidden not in html


def test_pinned_notices_come_first(client, community):
    make_notice(community, title="普通")
    make_notice(community, title="置顶", pinned=True, publish_at=timezone.now() - dt.timedelta(days=5))
    html = client.get(reverse("portal:notices")).content.decode()
    assert html.index("置顶") < html.index("普通")


def test_category_filter(client, community):
    make_notice(community, title="安全演练", category=Notice.Category.SAFETY)
    make_notice(community, title="义诊", category=Notice.Category.HEALTH)
    html = client.get(reverse("portal:notices"), {"category": "safety"}).content.decode()
    assert "安全演练" in html and "义诊" not in html


def test_unpublished_notice_is_404_to_the_public_and_a_preview_to_its_staff(
    client, community, hall_staff, other_hall_staff
):
    draft = make_notice(community, publish_at=timezone.now() + dt.timedelta(days=2))
    url = reverse("portal:notice", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(other_hall_staff)
    assert client.get(url).status_code == 404
    client.force_login(hall_staff)
    response = client.get(url)
    assert response.status_code == 200 and "预览" in response.content.decode()


def test_expiry_before_publish_is_refused(community):
    from django.core.exceptions import ValidationError

    notice = Notice(
        community=community,
        title="x",
        body="y",
        publish_at=timezone.now(),
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        notice.full_clean()


def test_notice_attachment_is_served_only_while_visible(client, community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    notice = make_notice(community, attachment=pdf)
    assert client.get(reverse("portal:notice_attachment", args=[notice.pk])).status_code == 200
    notice.expires_at = timezone.now()
    notice.publish_at = timezone.now() - dt.timedelta(days=1)
    notice.save()
    assert client.get(reverse("portal:notice_attachment", args=[notice.pk])).status_code == 404


def test_notice_list_query_count_is_constant(client, community, django_assert_max_num_queries):
    for i in range(3):
        make_notice(community, title=f"公告{i}")
    with django_assert_max_num_queries(6) as small:
        client.get(reverse("portal:notices"))
    for i in range(30):
        make_notice(community, title=f"更多{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("portal:notices"))


def test_inbox_lists_only_my_messages_and_marks_them_read(client, make_user, community):
    me, other = make_user(roles.RESIDENT, community), make_user(roles.RESIDENT, community)
    mine = notify(recipient=me, title=message("我的消息"))
    theirs = notify(recipient=other, title=message("别人的消息"))
    client.force_login(me)
    html = client.get(reverse("portal:inbox")).content.decode()
    assert "我的消息" in html and "别人的消息" not in html
    # Marking someone else's message changes nothing.
    client.post(reverse("portal:inbox_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("portal:inbox_read"), {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read(client, make_user, community):
    me = make_user(roles.RESIDENT, community)
    for i in range(3):
        notify(recipient=me, title=message(f"m{i}"))
    client.force_login(me)
    client.post(reverse("portal:inbox_read"))
    assert not me.notifications.filter(read_at__isnull=True).exists()


def test_inbox_requires_login_and_post(client, resident_user):
    assert client.get(reverse("portal:inbox")).status_code == 302
    client.force_login(resident_user)
    assert client.get(reverse("portal:inbox_read")).status_code == 405


def test_staff_write_notices_for_their_own_community_in_admin(client, hall_staff, community, other_community):
    client.force_login(hall_staff)
    response = client.post(
        reverse("admin:site_notice_add"),
        {
            "community": community.pk,
            "category": "safety",
            "title": "消防演练",
            "body": "周六上午",
            "publish_at_0": "2026-01-01",
            "publish_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get(title="消防演练")
    assert notice.author == hall_staff and notice.community == community
    district = make_notice(None, title="全区通知")
    theirs = make_notice(other_community, title="别的社区")
    assert client.get(reverse("admin:site_notice_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:site_notice_change", args=[district.pk])).status_code == 404


def test_residents_cannot_reach_the_notice_admin(client, resident_user):
    client.force_login(resident_user)
    assert client.get(reverse("admin:site_notice_changelist")).status_code == 302
