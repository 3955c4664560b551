"""Comments: residents write, reply, follow and report; staff hide (with a reason) and dismiss reports.

A refused comment comes back on its page as typed, with the reason next to the field (a rate limit included);
nothing typed ever makes a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import actions
from councils.actions.comments import comment_url, is_resident_of, subject_url
from councils.forms import CommentForm, HideForm, ReportForm
from councils.models import Comment, CommentReport, Minutes, Resolution, Suggestion
from councils.views.public import minutes_page, resolution_page, suggestion_page
from portal.core.access import staff_object, staff_required
from portal.core.confirm import confirm_first, confirm_page
from portal.core.idempotency import idempotent
from portal.core.requests import form_errors, id_of, paginate

SUBJECT_RELATED = ("suggestion", "resolution", "minutes__meeting__council", "author")


def _subject(request: HttpRequest, kind: str, key):
    """The suggestion, resolution or minutes named in the URL, as this person may see it (404 otherwise)."""
    user = request.user
    if kind == "suggestion":
        return get_object_or_404(Suggestion.objects.visible_to(user).select_related("proposer"), tracking_number=key)
    if kind == "resolution":
        return get_object_or_404(Resolution.objects.visible_to(user), pk=key)
    return get_object_or_404(
        Minutes.objects.visible_to(user).select_related("meeting__council__community", "approved_by"), pk=key
    )


def _page(request: HttpRequest, subject, **thread) -> HttpResponse:
    """The subject's own page with the refused comment in place."""
    if isinstance(subject, Suggestion):
        return suggestion_page(request, subject.tracking_number, thread=thread)
    if isinstance(subject, Resolution):
        return resolution_page(request, subject.pk, thread=thread)
    return minutes_page(request, subject, thread=thread)


@login_required
@require_POST
@idempotent
def comment_post(request: HttpRequest, kind: str, key) -> HttpResponse:
    """A comment on a suggestion, resolution or minutes, or (with `parent`) a reply to one of its comments."""
    subject = _subject(request, kind, key)
    if not actions.comment_may_write(request.user, subject):
        raise PermissionDenied
    parent, problem = None, None
    parent_id = id_of(request.POST.get("parent"))
    if request.POST.get("parent") and parent_id is None:
        problem = _("That comment cannot be answered.")
    elif parent_id is not None:
        parent = Comment.objects.filter(**{kind: subject}, pk=parent_id).first()
        if parent is None:
            problem = _("That comment cannot be answered.")
    thread_id = (parent.parent_id or parent.pk) if parent is not None else None
    # A reply's form keeps the ids of the form under its comment (the page shows one form per comment).
    form = CommentForm(request.POST, auto_id=f"reply-{thread_id}-%s" if thread_id else "id_%s")
    if problem:
        form.add_error(None, problem)
    if form.is_valid():
        try:
            comment = actions.comment_post(
                subject=subject, author=request.user, text=form.cleaned_data["text"], parent=parent
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your comment is published."))
            return redirect(comment_url(comment))
    if thread_id is not None:
        return _page(request, subject, reply_form=form, reply_to=thread_id)
    return _page(request, subject, comment_form=form)


@login_required
@require_POST
def comment_follow(request: HttpRequest, kind: str, key) -> HttpResponse:
    """Follow the discussion (follow=1) or stop following it (follow=0)."""
    subject = _subject(request, kind, key)
    follow = request.POST.get("follow") != "0"
    actions.comment_follow(subject=subject, user=request.user, follow=follow)
    if follow:
        messages.success(request, _("You follow this discussion: new comments reach your inbox."))
    else:
        messages.success(request, _("You no longer follow this discussion."))
    return redirect(f"{subject_url(subject)}#comments")


@login_required
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report abuse: GET asks what is wrong (optional), POST sends the report to the staff's workbench."""
    comment = get_object_or_404(Comment.objects.select_related(*SUBJECT_RELATED), pk=pk, hidden_at__isnull=True)
    subject = comment.subject
    if not (is_resident_of(request.user, subject) and request.user.has_perm("councils.add_commentreport")):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.comment_report(comment=comment, reporter=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Staff of the community will look at this comment."))
            return redirect(comment_url(comment))
    return render(
        request, "councils/comment_report.html", {"comment": comment, "form": form, "back": comment_url(comment)}
    )


def _staff_comment(request: HttpRequest, pk: int) -> Comment:
    return staff_object(Comment.objects.select_related(*SUBJECT_RELATED), request.user, pk=pk)


@staff_required("councils.hide_comment")
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a comment with a reason (GET: the form, with the comment and its reports)."""
    comment = _staff_comment(request, pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The comment is hidden; its place says why."))
            return redirect(comment_url(comment))
    reports = comment.reports.select_related("reporter").order_by("created_at")
    return render(
        request,
        "councils/comment_hide.html",
        {"comment": comment, "form": form, "reports": reports, "back": comment_url(comment)},
    )


@staff_required("councils.hide_comment")
@confirm_first
def comment_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Nothing wrong with a reported comment: close its reports (GET asks first)."""
    comment = _staff_comment(request, pk)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Dismiss the reports"),
            what=_("The comment stays as it is and its reports are closed."),
            details=[(_("Comment"), comment.text[:200])],
            button=_("Dismiss the reports"),
            back=comment_url(comment),
        )
    closed = actions.comment_reports_dismiss(comment=comment, by=request.user)
    messages.success(request, _("Reports closed: %(n)d.") % {"n": closed})
    return redirect("councils:comment_reports")


@staff_required("councils.hide_comment")
def comment_reports(request: HttpRequest) -> HttpResponse:
    """Comments that residents reported and staff have not yet looked at, oldest first."""
    reported = (
        Comment.objects.for_staff(request.user)
        .filter(reports__handled_at__isnull=True)
        .distinct()
        .select_related(*SUBJECT_RELATED)
        .order_by("created_at", "pk")
    )
    page = paginate(request, reported)
    reasons: dict[int, list[CommentReport]] = {}
    for report in CommentReport.objects.open().filter(comment__in=[c.pk for c in page]).order_by("created_at"):
        reasons.setdefault(report.comment_id, []).append(report)
    for comment in page:
        comment.open_reports = reasons.get(comment.pk, [])
        comment.url = comment_url(comment)
    return render(request, "councils/comment_reports.html", {"page": page})
