"""Browser journey of the comments: on a phone (375 px) a resident comments on a suggestion without JavaScript, the
proposer replies, a neighbour reports abuse; staff hide the comment at a desk (1280 px) and everyone sees the reason
in its place. Selectors by id and by the comment's anchor: the UI language may change."""

from __future__ import annotations

import pytest

from councils.models import Comment, CommentReport, Suggestion
from councils.tests.factories import SuggestionFactory
from portal.core import roles
from portal.core.models import Notification
from portal.tests.factories import UserFactory
from tests.e2e.test_councils import csp_errors, login

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling


def test_residents_comment_and_reply_on_a_phone_and_staff_hide_one(
    browser, phone, desktop, live_server, community, transactional_db, screenshot
):
    proposer = UserFactory(role=roles.RESIDENT, community=community, name="王建国")
    writer = UserFactory(role=roles.RESIDENT, community=community, name="李秀英")
    neighbour = UserFactory(role=roles.RESIDENT, community=community, name="赵大妈")
    secretary = UserFactory(role=roles.COUNCIL_SECRETARY, community=community, name="秘书小王")
    suggestion = SuggestionFactory(
        community=community,
        proposer=proposer,
        title="3号楼门口增设垃圾分类箱",
        text="3号楼门口只有一个垃圾桶，经常满溢，建议增设分类垃圾箱。",
        status=Suggestion.Status.ACCEPTED,
    )
    url = f"/councils/s/{suggestion.tracking_number}/"

    # A resident on a phone with JavaScript off: the plain form works.
    no_js = browser.new_context(base_url=live_server.url, locale="zh-CN", java_script_enabled=False, **PHONE)
    page = no_js.new_page()
    login(page, writer, live_server.url)
    page.goto(url)
    _fits(page)
    page.fill("#id_text", "同意！垃圾桶旁边还可以加一个<b>旧衣回收箱</b>。")
    page.click("#send-comment")
    comment = Comment.objects.get()
    assert page.url.endswith(f"#comment-{comment.pk}")
    assert "<b>旧衣回收箱</b>" in page.inner_text(f"#comment-{comment.pk} .comment-text")  # escaped, shown as typed
    assert Notification.objects.filter(recipient=proposer).exists()
    screenshot(page, "comments-phone-commented")
    no_js.close()

    # The proposer replies on a phone: the reply form opens under the comment.
    errors = csp_errors(phone)
    login(phone, proposer, live_server.url)
    phone.goto(url)
    phone.click(f"#comment-{comment.pk} .comment-reply-form summary")
    phone.fill(f"#reply-{comment.pk}-text", "谢谢支持，我们一起向居委会反映。")
    phone.locator(f"#comment-{comment.pk} .comment-reply-form button[type=submit]").click()
    phone.wait_for_load_state()
    reply = Comment.objects.get(parent=comment)
    assert phone.locator(f"#comment-{comment.pk} .comment-replies #comment-{reply.pk}").is_visible()
    assert Notification.objects.filter(recipient=writer).exists()  # the writer follows the discussion
    _fits(phone)
    screenshot(phone, "comments-phone-replied")

    # An empty reply comes back open, with the message next to the field.
    phone.click(f"#comment-{comment.pk} .comment-reply-form summary")
    phone.locator(f"#comment-{comment.pk} .comment-reply-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator(f"#reply-{comment.pk}-text_error").is_visible()
    assert errors == []

    # A neighbour reports the first comment.
    login(phone, neighbour, live_server.url)
    phone.goto(url)
    phone.locator(f"#comment-{comment.pk} .comment-actions a").first.click()
    phone.fill("#id_reason", "与建议无关")
    phone.click("#send-report")
    assert CommentReport.objects.filter(comment=comment, reporter=neighbour).exists()

    # Staff at a desk: the workbench shows the report; they hide the comment with a reason.
    login(desktop, secretary, live_server.url)
    desktop.goto("/work/")
    assert desktop.locator("#block-councils\\.comments").is_visible()
    desktop.goto("/councils/work/comments/")
    desktop.locator(f"#reported-{comment.pk} a.btn-danger").click()
    desktop.fill("#id_reason", "含有广告内容")
    screenshot(desktop, "comments-desk-hide")
    desktop.click("#hide-comment")
    desktop.wait_for_load_state()
    hidden = desktop.inner_text(f"#comment-{comment.pk}")
    assert "含有广告内容" in hidden and "旧衣回收箱" not in hidden
    screenshot(desktop, "comments-desk-hidden")

    # Everyone sees the reason in the comment's place; the reply stays.
    phone.goto(url)
    text = phone.inner_text("#comments")
    assert "含有广告内容" in text and "旧衣回收箱" not in text and "谢谢支持" in text
    _fits(phone)
    screenshot(phone, "comments-phone-hidden")
