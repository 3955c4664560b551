"""The admin's action bar, rendered without a template per option; autocomplete inputs that never fail on a
value that is not a key.

Django renders a select through django/forms/widgets/select.html, with an include per option and another for
its attributes: about 0.1 ms an option, 2 ms for the case desk's action and assignee lists on every page of
the list. PlainSelect writes the same markup directly (flatatt quotes and escapes as the templates do).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """A single select with flat choices (no option groups), written without templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            "\n  <option{}>{}</option>",
            (
                (flatatt({"value": str(option["value"]), **option["attrs"]}), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', name, flatatt(widget["attrs"]), options)


class PlainHiddenInput(forms.HiddenInput):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attrs = {"type": "hidden", "name": name, **({"value": widget["value"]} if widget["value"] is not None else {})}
        return format_html("<input{}>", flatatt({**attrs, **widget["attrs"]}))


class PortalActionForm(ActionForm):
    """Django's action form (the action list and the "select all" flag), with plain widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            elif type(field.widget) is forms.HiddenInput:
                field.widget = PlainHiddenInput(attrs=field.widget.attrs)


def _keys_only(widget: AutocompleteMixin, values) -> list:
    """The values that can be keys of the autocomplete's model ("abc", "²" or a date cannot be an id)."""
    remote = widget.field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
    kept = []
    for value in values:
        try:
            target.get_prep_value(target.to_python(value))
        except (TypeError, ValueError, ValidationError):
            continue
        kept.append(value)
    return kept


def _optgroups(self, name, value, attr=None):
    # An invalid form is shown again with what was sent: Django's autocomplete looks the sent values up as keys
    # (AutocompleteMixin.optgroups) and a value that is not one ("abc" for an id) was a 500 instead of the form's
    # own message next to the field. Such a value is simply not shown as chosen.
    return _django_optgroups(self, name, _keys_only(self, value), attr)


# The one place Django's admin renders the chosen values of an autocomplete (every ModelAdmin and inline).
_django_optgroups = AutocompleteMixin.optgroups
AutocompleteMixin.optgroups = _optgroups
