"""Every write through the admin is an audit row, whichever app's model it is (portal.core.admin_scope.AuditedAdmin)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.core.admin_scope import AuditedAdmin
from portal.core.models import AuditLog
from portal.site.models import Notice

OWN_APPS = {"portal", "site", "residents", "services", "councils", "volunteers"}
# Third-party records staff do not write (login attempts) or that have their own history.
NOT_AUDITED = {"axes", "django_celery_beat"}


def test_every_admin_of_the_portals_records_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin)
        and (model._meta.app_label in OWN_APPS or model._meta.label == "auth.Group")
    ]
    assert unaudited == []


def test_role_groups_and_schedules_are_audited_too():
    from django_celery_beat.models import PeriodicTask

    assert isinstance(admin.site._registry[Group], AuditedAdmin)
    assert isinstance(admin.site._registry[PeriodicTask], AuditedAdmin)


@pytest.mark.django_db
def test_an_admin_change_and_delete_are_audited_with_field_names_only(client, hall_staff, community):
    notice = Notice.objects.create(community=community, title="停水通知", body="明日停水")
    client.force_login(hall_staff)
    url = reverse("admin:site_notice_change", args=[notice.pk])
    data = {
        "community": community.pk,
        "category": "general",
        "title": "停水通知（更新）",
        "body": "后日停水",
        "publish_at_0": "2026-12-01",
        "publish_at_1": "08:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    row = AuditLog.objects.get(action="admin_change", object_type="site.notice", object_id=str(notice.pk))
    assert row.actor == hall_staff and row.community_id == community.pk
    assert "后日停水" not in row.summary  # names of fields, never their values
    client.post(reverse("admin:site_notice_delete", args=[notice.pk]), {"post": "yes"})
    assert AuditLog.objects.filter(action="admin_delete", object_type="site.notice", object_id=str(notice.pk)).exists()
