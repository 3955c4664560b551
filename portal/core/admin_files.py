"""Private files in Django admin: the file input and the read-only link go to the record's serving view (the model's
`private_file_url(field_name)`), never to a media URL — a private file has none (its storage refuses to make one)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers as admin_helpers
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import FileField
from django.utils.html import format_html

from portal.core.uploads import is_private


def served_url(field_file) -> str:
    """The URL of the view that serves this private file after its record's check; "" when nothing serves it."""
    url_of = getattr(field_file.instance, "private_file_url", None)
    return url_of(field_file.field.name) if url_of and field_file else ""


def file_link(field_file) -> str:
    """A private file in an admin page: its name, linked to its serving view when it has one."""
    if not field_file:
        return "—"
    name = field_file.name.rsplit("/", 1)[-1]
    url = served_url(field_file)
    return format_html('<a href="{}">{}</a>', url, name) if url else name


class ServedFile:
    """What the admin's file template reads from its value: `url` and the name."""

    def __init__(self, field_file):
        self.url = served_url(field_file)
        self.name = field_file.name.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return self.name


class PrivateFileInput(AdminFileWidget):
    """The admin's file input for a private file: "currently" links to the serving view."""

    def is_initial(self, value) -> bool:
        return bool(value)  # AdminFileWidget asks the file for .url, which a private file refuses

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and hasattr(value, "instance"):
            context["widget"]["value"] = ServedFile(value)
        return context


class PrivateFilesAdminMixin(admin.options.BaseModelAdmin):
    """For ModelAdmins (AuditedAdmin has it) and inlines that edit a private file field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, FileField) and is_private(db_field):
            kwargs["widget"] = PrivateFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _display_for_field(value, field, empty_value_display, avoid_link=False):
    """Django's read-only display of a field (a final record's change page, a read-only inline) links a file to its
    `.url`, which a private file refuses: link it to its serving view instead."""
    if isinstance(field, FileField) and is_private(field):
        return file_link(value) if value else empty_value_display
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


# The one place Django's admin renders a read-only field's value (helpers.AdminReadonlyField.contents).
_django_display_for_field = admin_helpers.display_for_field
admin_helpers.display_for_field = _display_for_field
