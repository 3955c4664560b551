"""Comments on suggestions, resolutions and published minutes: who writes, one-level threads, rate limits, reports,
moderation, following and who is told; hostile and invalid input never makes a 500 and is shown escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from councils import actions
from councils.actions import comments as comment_actions
from councils.models import Comment, CommentFollow, CommentReport, Suggestion
from councils.tests.conftest import fill_minutes
from councils.tests.factories import SuggestionFactory
from councils.workbench import blocks
from portal.core import roles
from portal.core.models import AuditLog, Notification
from portal.core.ratelimit import Limit
from portal.tests.idempotency import KEY_FIELD, key_on


@pytest.fixture
def proposer(make_user, community):
    return make_user(roles.RESIDENT, community, name="王建国")


@pytest.fixture
def suggestion(community, proposer):
    return SuggestionFactory(community=community, proposer=proposer, title="增设垃圾分类箱")


@pytest.fixture
def neighbour(make_user, community):
    return make_user(roles.RESIDENT, community, name="李秀英")


@pytest.fixture
def outsider(make_user, other_community):
    return make_user(roles.RESIDENT, other_community, name="赵外人")


@pytest.fixture
def published(held_meeting, secretary, convenor):
    """Published minutes and the resolution they made."""
    minutes = actions.minutes_start(meeting=held_meeting, by=secretary)
    fill_minutes(minutes, secretary)
    actions.minutes_submit(minutes=minutes, by=secretary)
    [resolution] = actions.minutes_approve(minutes=minutes, by=convenor)
    actions.minutes_publish(minutes=minutes, by=convenor)
    minutes.refresh_from_db()
    return minutes, resolution


def _url(suggestion) -> str:
    return reverse("councils:suggestion_comment", args=[suggestion.tracking_number])


# --- the actions -------------------------------------------------------------------------------------------------
def test_a_resident_comments_and_the_proposer_is_told(suggestion, neighbour, proposer):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="  同意，3号楼门口最需要。 ")
    assert comment.text == "同意，3号楼门口最需要。" and comment.community_id == suggestion.community_id
    assert comment.suggestion == suggestion and comment.resolution is None and comment.minutes is None
    told = Notification.objects.get(recipient=proposer)
    assert "增设垃圾分类箱" in told.title and told.url.endswith(f"#comment-{comment.pk}")
    assert not told.deliveries.exists()  # the inbox only: a busy discussion sends no SMS
    assert CommentFollow.objects.filter(user=neighbour, suggestion=suggestion).exists()


def test_followers_hear_of_replies_but_the_author_is_not_told_of_their_own(suggestion, neighbour, proposer, make_user):
    third = make_user(roles.RESIDENT, suggestion.community)
    first = actions.comment_post(subject=suggestion, author=neighbour, text="第一条")
    Notification.objects.all().delete()
    reply = actions.comment_post(subject=suggestion, author=third, text="回复一下", parent=first)
    assert reply.parent == first
    assert set(Notification.objects.values_list("recipient", flat=True)) == {neighbour.pk, proposer.pk}


def test_notifications_are_written_in_the_recipients_language(suggestion, neighbour, proposer):
    proposer.language = "en"
    proposer.save(update_fields=["language"])
    with translation.override("zh-hans"):
        actions.comment_post(subject=suggestion, author=neighbour, text="好")
    assert Notification.objects.get(recipient=proposer).title.startswith("New comment")


def test_a_reply_to_a_reply_answers_the_same_comment(suggestion, neighbour, proposer):
    first = actions.comment_post(subject=suggestion, author=neighbour, text="一")
    reply = actions.comment_post(subject=suggestion, author=proposer, text="二", parent=first)
    deeper = actions.comment_post(subject=suggestion, author=neighbour, text="三", parent=reply)
    assert deeper.parent_id == first.pk


def test_a_reply_must_belong_to_the_same_discussion(community, suggestion, neighbour):
    other = SuggestionFactory(community=community)
    elsewhere = actions.comment_post(subject=other, author=neighbour, text="别处")
    with pytest.raises(ValidationError):
        actions.comment_post(subject=suggestion, author=neighbour, text="回复", parent=elsewhere)


def test_only_residents_of_the_community_write(suggestion, outsider, secretary, proposer):
    with pytest.raises(PermissionDenied):
        actions.comment_post(subject=suggestion, author=outsider, text="外人")
    with pytest.raises(PermissionDenied):
        actions.comment_post(subject=suggestion, author=secretary, text="工作人员")  # staff moderate, not comment
    Suggestion.objects.filter(pk=suggestion.pk).update(status=Suggestion.Status.SUBMITTED)
    suggestion.refresh_from_db()
    with pytest.raises(PermissionDenied):  # not public yet: nobody discusses it
        actions.comment_post(subject=suggestion, author=proposer, text="自己")


def test_comments_on_resolutions_and_published_minutes(published, make_user, community):
    minutes, resolution = published
    resident = make_user(roles.RESIDENT, community)
    on_minutes = actions.comment_post(subject=minutes, author=resident, text="纪要很清楚")
    on_resolution = actions.comment_post(subject=resolution, author=resident, text="盼早日落实")
    assert on_minutes.community_id == community.pk == on_resolution.community_id
    assert CommentFollow.objects.filter(user=resident).count() == 2


def test_the_database_holds_a_comment_to_exactly_one_subject(suggestion, neighbour, published):
    _, resolution = published
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            community=suggestion.community, author=neighbour, text="两处", suggestion=suggestion, resolution=resolution
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(community=suggestion.community, author=neighbour, text="无处")


def test_empty_too_long_and_nul_texts_are_refused(suggestion, neighbour):
    for text in ("", "   ", "长" * 1001, "a\x00b"):
        with pytest.raises(ValidationError) as exc:
            actions.comment_post(subject=suggestion, author=neighbour, text=text)
        assert "text" in exc.value.message_dict
    assert not Comment.objects.exists()


def test_the_rate_limit_refuses_the_sixth_comment_in_a_minute(suggestion, neighbour):
    for n in range(5):
        actions.comment_post(subject=suggestion, author=neighbour, text=f"第{n}条")
    with pytest.raises(ValidationError) as exc:
        actions.comment_post(subject=suggestion, author=neighbour, text="第六条")
    assert exc.value.error_dict["text"][0].code == "rate_limit"
    assert Comment.objects.count() == 5


def test_the_daily_limit_counts_a_whole_day(suggestion, neighbour, monkeypatch):
    monkeypatch.setattr(
        comment_actions,
        "COMMENT_LIMITS",
        (comment_actions.COMMENT_LIMITS[0], Limit(3, dt.timedelta(days=1), comment_actions.COMMENT_LIMITS[1].message)),
    )
    for n in range(3):
        c = actions.comment_post(subject=suggestion, author=neighbour, text=f"{n}")
        Comment.objects.filter(pk=c.pk).update(created_at=timezone.now() - dt.timedelta(hours=n + 1))
    with pytest.raises(ValidationError) as exc:
        actions.comment_post(subject=suggestion, author=neighbour, text="再一条")
    assert "3" in exc.value.message_dict["text"][0]


def test_a_resident_reports_a_comment_once_and_not_their_own(suggestion, neighbour, proposer):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="广告：低价装修")
    report = actions.comment_report(comment=comment, reporter=proposer, reason="广告")
    assert report.handled_at is None
    with pytest.raises(ValidationError):
        actions.comment_report(comment=comment, reporter=proposer)
    with pytest.raises(ValidationError):
        actions.comment_report(comment=comment, reporter=neighbour)
    assert CommentReport.objects.count() == 1


def test_staff_hide_a_comment_with_a_reason_which_closes_its_reports_and_tells_the_author(
    suggestion, neighbour, proposer, secretary
):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="骂人的话")
    assert Notification.objects.filter(recipient=proposer, body="骂人的话").exists()
    actions.comment_report(comment=comment, reporter=proposer)
    with pytest.raises(ValidationError):
        actions.comment_hide(comment=comment, by=secretary, reason="  ")
    actions.comment_hide(comment=comment, by=secretary, reason="含有辱骂")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == secretary and comment.hidden_reason == "含有辱骂"
    assert not CommentReport.objects.open().exists()
    assert AuditLog.objects.filter(action="comment_hide", actor=secretary).exists()
    assert Notification.objects.filter(recipient=neighbour, body__contains="含有辱骂").exists()
    assert not Notification.objects.filter(body__contains="骂人的话").exists()  # no inbox quotes it any more
    with pytest.raises(ValidationError):  # hidden: no replies, no second hiding
        actions.comment_post(subject=suggestion, author=proposer, text="回复", parent=comment)
    with pytest.raises(ValidationError):
        actions.comment_hide(comment=comment, by=secretary, reason="再次")


def test_moderation_is_for_council_staff_of_the_community(suggestion, neighbour, make_user, other_community):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="内容")
    with pytest.raises(PermissionDenied):
        actions.comment_hide(comment=comment, by=make_user(roles.HALL_STAFF, suggestion.community), reason="x")
    with pytest.raises(Http404):
        actions.comment_hide(comment=comment, by=make_user(roles.COUNCIL_SECRETARY, other_community), reason="x")


def test_dismissing_reports_keeps_the_comment(suggestion, neighbour, proposer, convenor):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="正常意见")
    actions.comment_report(comment=comment, reporter=proposer)
    assert actions.comment_reports_dismiss(comment=comment, by=convenor) == 1
    comment.refresh_from_db()
    assert not comment.is_hidden and not CommentReport.objects.open().exists()


def test_unfollowing_stops_the_notifications(suggestion, neighbour, make_user):
    third = make_user(roles.RESIDENT, suggestion.community)
    actions.comment_post(subject=suggestion, author=neighbour, text="一")
    actions.comment_follow(subject=suggestion, user=neighbour, follow=False)
    Notification.objects.all().delete()
    actions.comment_post(subject=suggestion, author=third, text="二")
    assert not Notification.objects.filter(recipient=neighbour).exists()


# --- the pages ---------------------------------------------------------------------------------------------------
def test_the_comment_form_posts_and_the_page_shows_the_thread(client, suggestion, neighbour):
    client.force_login(neighbour)
    response = client.post(_url(suggestion), {"text": "赞成！"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(reverse("councils:suggestion", args=[suggestion.tracking_number])).content.decode()
    assert "赞成！" in page and 'id="comment-form"' in page and "李**" in page and "李秀英" not in page
    reply = client.post(_url(suggestion), {"text": "我也同意", "parent": str(comment.pk)})
    assert reply.status_code == 302 and Comment.objects.get(text="我也同意").parent_id == comment.pk


def test_a_comment_sent_twice_with_one_key_is_published_once(client, suggestion, neighbour):
    client.force_login(neighbour)
    page = client.get(reverse("councils:suggestion", args=[suggestion.tracking_number]))
    form = {"text": "赞成！", "idempotency_key": key_on(page)}
    first, second = client.post(_url(suggestion), form), client.post(_url(suggestion), form)
    assert first.url == second.url and Comment.objects.count() == 1
    # Each comment's reply form carries a key of its own.
    page = client.get(reverse("councils:suggestion", args=[suggestion.tracking_number]))
    assert len(set(KEY_FIELD.findall(page.content.decode()))) == 2


def test_comment_text_is_escaped(client, suggestion, neighbour):
    actions.comment_post(subject=suggestion, author=neighbour, text='<script>alert(1)</script><b onclick="x">粗</b>')
    page = client.get(reverse("councils:suggestion", args=[suggestion.tracking_number])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<b onclick="x">' not in page


@pytest.mark.parametrize(
    "data",
    [
        {"text": ""},
        {"text": "长" * 1001},
        {"text": "x\x00y"},
        {"text": "好", "parent": "abc"},
        {"text": "好", "parent": "99999999"},
        {"text": "好", "parent": "-1"},
        {"text": "好", "parent": "1" * 40},
        {"text": ["a", "b"]},
        {},
    ],
)
def test_invalid_input_comes_back_with_a_message_never_a_500(client, suggestion, neighbour, data):
    client.force_login(neighbour)
    response = client.post(_url(suggestion), data)
    assert response.status_code in (200, 302, 400)  # 400: the site refuses a NUL byte before any view
    if response.status_code == 200:
        form = response.context["thread"]["form"]
        reply_errors = [c.reply_form.errors for c in response.context["thread"]["threads"] if c.reply_form.is_bound]
        assert form.errors or reply_errors
    assert Comment.objects.filter(text__in=["", "长" * 1001]).count() == 0


def test_the_rate_limit_message_keeps_the_typed_text(client, suggestion, neighbour, monkeypatch):
    monkeypatch.setattr(
        comment_actions,
        "COMMENT_LIMITS",
        (Limit(1, dt.timedelta(minutes=1), comment_actions.COMMENT_LIMITS[0].message),),
    )
    client.force_login(neighbour)
    client.post(_url(suggestion), {"text": "第一条"})
    response = client.post(_url(suggestion), {"text": "这条我写了很久"})
    page = response.content.decode()
    assert response.status_code == 200 and "这条我写了很久" in page
    assert "1" in response.context["thread"]["form"].errors["text"][0]
    assert Comment.objects.count() == 1


def test_a_refused_reply_comes_back_open_under_its_comment(client, suggestion, neighbour):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="主楼")
    client.force_login(neighbour)
    response = client.post(_url(suggestion), {"text": "", "parent": str(comment.pk)})
    [shown] = response.context["thread"]["threads"]
    assert shown.reply_open and shown.reply_form.errors["text"]
    assert '<details class="comment-reply-form" open>' in response.content.decode()


def test_who_may_post_a_comment(client, suggestion, outsider, secretary):
    url = _url(suggestion)
    assert client.post(url, {"text": "匿名"})["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.post(url, {"text": "外人"}).status_code == 403
    client.force_login(secretary)
    assert client.post(url, {"text": "工作人员"}).status_code == 403
    assert client.get(url).status_code == 405
    assert not Comment.objects.exists()


def test_a_hidden_comment_shows_its_reason_and_not_its_text(client, suggestion, neighbour, secretary):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="不堪入目的话")
    client.force_login(secretary)
    hide = reverse("councils:comment_hide", args=[comment.pk])
    assert "不堪入目的话" in client.get(hide).content.decode()
    refused = client.post(hide, {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    assert client.post(hide, {"reason": "含有辱骂"}).status_code == 302
    client.logout()
    with translation.override("zh-hans"):
        page = client.get(reverse("councils:suggestion", args=[suggestion.tracking_number])).content.decode()
    assert "已隐藏：含有辱骂" in page and "不堪入目的话" not in page


def test_hiding_is_refused_to_other_roles_and_communities(client, suggestion, neighbour, make_user, other_community):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="内容")
    hide = reverse("councils:comment_hide", args=[comment.pk])
    client.force_login(neighbour)
    assert client.post(hide, {"reason": "x"}).status_code == 403
    client.force_login(make_user(roles.COUNCIL_SECRETARY, other_community))
    assert client.post(hide, {"reason": "x"}).status_code == 404
    assert not Comment.objects.get().is_hidden


def test_report_abuse_page_and_the_staff_list(client, suggestion, neighbour, proposer, secretary):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="可疑内容")
    url = reverse("councils:comment_report", args=[comment.pk])
    client.force_login(proposer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "x" * 201}).status_code == 200  # too long: the message, nothing sent
    assert client.post(url, {"reason": "<i>广告</i>"}).status_code == 302
    again = client.post(url, {"reason": "再报"})
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    client.force_login(secretary)
    listing = client.get(reverse("councils:comment_reports")).content.decode()
    assert "可疑内容" in listing and "&lt;i&gt;广告&lt;/i&gt;" in listing
    dismiss = reverse("councils:comment_dismiss", args=[comment.pk])
    assert client.get(dismiss).status_code == 200 and CommentReport.objects.open().exists()  # GET only asks
    assert client.post(dismiss).status_code == 302 and not CommentReport.objects.open().exists()


def test_the_workbench_block_lists_reported_comments(client, suggestion, neighbour, proposer, secretary):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="被举报的评论")
    actions.comment_report(comment=comment, reporter=proposer)
    [block] = [b for b in blocks(secretary, timezone.localdate()) if b.key == "councils.comments"]
    assert block.waiting == 1 and block.rows[0].text.startswith("被举报的评论")


def test_follow_and_unfollow_from_the_page(client, suggestion, neighbour):
    url = reverse("councils:suggestion_follow", args=[suggestion.tracking_number])
    client.force_login(neighbour)
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert CommentFollow.objects.filter(user=neighbour).count() == 1
    client.post(url, {"follow": "1"})  # twice: still once
    assert CommentFollow.objects.filter(user=neighbour).count() == 1
    client.post(url, {"follow": "0"})
    assert not CommentFollow.objects.exists()


def test_comments_on_minutes_and_resolution_pages(client, published, make_user, community):
    minutes, resolution = published
    resident = make_user(roles.RESIDENT, community)
    client.force_login(resident)
    for name, subject, page in (
        ("councils:minutes_comment", minutes, "councils:minutes"),
        ("councils:resolution_comment", resolution, "councils:resolution"),
    ):
        assert client.post(reverse(name, args=[subject.pk]), {"text": f"关于{name}"}).status_code == 302
        assert f"关于{name}" in client.get(reverse(page, args=[subject.pk])).content.decode()


def test_the_page_costs_the_same_queries_for_many_comments(
    client, suggestion, make_user, django_assert_max_num_queries, monkeypatch, settings
):
    settings.DEBUG = False
    monkeypatch.setattr(comment_actions, "COMMENT_LIMITS", ())
    url = reverse("councils:suggestion", args=[suggestion.tracking_number])
    people = [make_user(roles.RESIDENT, suggestion.community) for _ in range(3)]
    first = actions.comment_post(subject=suggestion, author=people[0], text="一")
    actions.comment_post(subject=suggestion, author=people[1], text="二", parent=first)
    client.force_login(people[2])
    client.get(url)
    cache.clear()
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for person in people:
        for n in range(3):
            top = actions.comment_post(subject=suggestion, author=person, text=f"{n}")
            actions.comment_post(subject=suggestion, author=people[0], text="回", parent=top)
    cache.clear()
    with django_assert_max_num_queries(20) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_reply_to_a_hidden_comment_is_refused_with_a_message(client, suggestion, neighbour, proposer, secretary):
    comment = actions.comment_post(subject=suggestion, author=neighbour, text="将被隐藏")
    actions.comment_hide(comment=comment, by=secretary, reason="辱骂")
    client.force_login(proposer)
    response = client.post(_url(suggestion), {"text": "我想回复", "parent": str(comment.pk)})
    assert response.status_code == 200
    form = response.context["thread"]["form"]
    assert form.non_field_errors() and form["text"].value() == "我想回复"
    assert "我想回复" in response.content.decode()


def test_my_data_holds_my_comments_and_reports_but_not_who_reported_me(suggestion, neighbour, proposer, secretary):
    from councils.privacy import export_user_data

    comment = actions.comment_post(subject=suggestion, author=neighbour, text="我的评论")
    actions.comment_report(comment=comment, reporter=proposer, reason="举报理由")
    actions.comment_hide(comment=comment, by=secretary, reason="离题")
    mine = export_user_data(neighbour)
    assert [c["text"] for c in mine["comments"]] == ["我的评论"] and mine["comments"][0]["hidden_reason"] == "离题"
    assert mine["comment_reports"] == [] and "举报理由" not in str(mine)
    assert export_user_data(proposer)["comment_reports"][0]["reason"] == "举报理由"
