"""The admin side of the disclosure table (portal/core/disclosure.py), for every ModelAdmin (through AuditedAdmin)
and for inlines that show personal fields.

For a field the user may not see in full:
- lists show it masked (`disclosed__<field>` in place of the field), and it is neither a filter nor a search field,
  nor a lookup in the query string (?phone__startswith=138 would let anyone probe it);
- change pages show it masked and read-only: the form does not hold it, so a save can neither blank nor overwrite
  it. The add page keeps it editable (there is nothing to disclose yet).
A change page that shows a sensitive kind in full (ID number, allowance, disability) logs a sensitive_read().
Health files keep their own access log (services/health/access.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.core import disclosure
from portal.core.audit import sensitive_read

PREFIX = "disclosed__"
ADMIN_PURPOSE = _("administration (admin)")


def masked_display(model, name: str):
    """An admin display of `model`'s field `name`, masked."""
    field = model._meta.get_field(name)
    kind = disclosure.kind_of(model, name)

    @admin.display(description=field.verbose_name)
    def show(obj):
        return disclosure.mask(kind, getattr(obj, name))

    return show


class DisclosureMixin:
    """Masks and locks what the user may not see in full; for ModelAdmin and InlineModelAdmin alike."""

    def hidden_fields(self, request) -> set[str]:
        return {
            name for name, kind in disclosure.fields_of(self.model).items() if not disclosure.sees(request.user, kind)
        }

    def __getattr__(self, name: str):
        # Only the masked displays are made up here; everything else is a missing attribute as usual.
        if name.startswith(PREFIX):
            return masked_display(self.model, name[len(PREFIX) :])
        raise AttributeError(name)

    def omitted_fields(self, request) -> set[str]:
        """Fields left out altogether rather than shown masked (an admin may say so for the sensitive ones)."""
        return set()

    def _swap(self, names, hidden: set[str], omitted: set[str] = frozenset()) -> list:
        kept = [n for n in names if not (isinstance(n, str) and n.removeprefix(PREFIX) in omitted)]
        return [PREFIX + n if isinstance(n, str) and n in hidden else n for n in kept]

    def get_exclude(self, request, obj=None):
        exclude = [*(super().get_exclude(request, obj) or []), *sorted(self.omitted_fields(request))]
        if obj is not None:
            exclude.extend(sorted(self.hidden_fields(request)))
        return exclude or None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = self.hidden_fields(request) if obj is not None else set()
        omitted = self.omitted_fields(request)
        if not (hidden or omitted):
            return fieldsets
        seen: set = set()
        swapped = []
        for title, options in fieldsets:
            names = [n for n in self._swap(options["fields"], hidden, omitted) if not (n in seen or seen.add(n))]
            if names:
                swapped.append((title, {**options, "fields": names}))
        return swapped

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        hidden = sorted(self.hidden_fields(request))
        omitted = self.omitted_fields(request)
        # The field itself too, so that Django drops it from the form even when the form declares it; the page
        # shows only the masked display in its place (get_fieldsets).
        return [*readonly, *hidden, *(PREFIX + n for n in hidden if n not in omitted)]

    def get_list_display(self, request):
        return self._swap(super().get_list_display(request), self.hidden_fields(request), self.omitted_fields(request))

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return self._swap(links, self.hidden_fields(request)) if links else links

    def get_list_filter(self, request):
        return [f for f in super().get_list_filter(request) if self.may_use_path(request, f)]

    def get_search_fields(self, request):
        return [f for f in super().get_search_fields(request) if self.may_use_path(request, f)]

    def may_use_path(self, request, path) -> bool:
        if isinstance(path, (list, tuple)):
            path = path[0]
        if not isinstance(path, str):
            return True  # a filter class decides for itself
        return disclosure.sees(request.user, disclosure.kind_of_path(self.model, path))

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and not self.may_use_path(request, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and request.method == "GET":
            shown = {
                kind
                for name, kind in disclosure.fields_of(self.model).items()
                if kind in disclosure.SENSITIVE and kind != disclosure.Kind.HEALTH
                if name in self.shown_fields(request, obj) and disclosure.sees(request.user, kind)
            }
            if shown:
                log_full_read(request.user, disclosure.subjects_of(obj), shown, ADMIN_PURPOSE)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def shown_fields(self, request, obj) -> set[str]:
        return {n for _title, options in self.get_fieldsets(request, obj) for n in _flat(options["fields"])}


def _flat(fields) -> list:
    flat = []
    for name in fields:
        flat.extend(name if isinstance(name, (list, tuple)) else [name])
    return flat


def log_full_read(user, subjects, kinds, purpose) -> None:
    """One sensitive_read() row per person for a read (or an export) of `kinds` in full."""
    field = ", ".join(sorted(str(disclosure.Kind(k).value) for k in kinds))
    sensitive_read(actor=user, subjects=subjects, field=field[:60], purpose=purpose)
