"""The staff workbench (工作台): the landing page of every member of community staff after login; the district
administrator's is the district overview, a resident's is 我的."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from portal.core.access import is_community_staff, sees_all_communities
from portal.core.pagecache import own_page
from portal.core.waiting import WORKBENCH_SECONDS, page_depends, workbench_blocks


def landing_url(user) -> str:
    """Where this person starts after login."""
    if sees_all_communities(user):
        return reverse("portal:district")
    if is_community_staff(user):
        return reverse("portal:workbench")
    return reverse("portal:my")


@login_required
@own_page(depends=page_depends, timeout=WORKBENCH_SECONDS)
def workbench(request: HttpRequest) -> HttpResponse:
    """What waits for me and my community today, block by block, each linking to where it is worked."""
    user = request.user
    if not is_community_staff(user) or sees_all_communities(user):
        return redirect(landing_url(user))
    blocks = workbench_blocks(user, timezone.localdate())
    return render(
        request,
        "portal/workbench.html",
        {"blocks": blocks, "community": user.community, "today": timezone.localdate()},
    )
