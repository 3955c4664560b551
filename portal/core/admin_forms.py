"""The admin's action bar, rendered without a template per option.

Django renders a select through django/forms/widgets/select.html, with an include per option and another for
its attributes: about 0.1 ms an option, 2 ms for the case desk's action and assignee lists on every page of
the list. PlainSelect writes the same markup directly (flatatt quotes and escapes as the templates do).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.helpers import ActionForm
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
