"""The rows of every admin list, as Django draws them (admin_list.items_for_result) but planned once per page.

Django works out, for every cell of every row, what the column is (a model field, a display of the admin, a
method of the model), its CSS classes, its empty-value text and whether it links, and then renders each cell
through the template one by one: about 0.3 ms a row of 10 columns, 15 ms for a page of 50. Here the column plan
is made once, each cell of a model field reads its value directly, and a row reaches the template as one string.
The HTML is the same as Django's (tests/test_admin_rows.py compares the two on every admin list). Lists with
editable columns (none today) keep Django's own path.
"""

from __future__ import annotations

import datetime
import hashlib

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.core import admin_urls, pagecache

register = template.Library()


class Column:
    def __init__(self, cl, index: int, name, first_link: bool):
        self.name = name
        self.classes = [f"field-{admin_list._coerce_field_name(name, index)}"]
        self.link = first_link
        self.field = None
        self.display = None  # a display of the admin (or any callable): called with the row
        if isinstance(name, str):
            try:
                self.field = _get_non_gfk_field(cl.lookup_opts, name)
            except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
                self.field = None
        # What many rows share is drawn once: a choice's label, a yes/no icon, a date in the page's format.
        self.memo: dict = {}
        self.memo_field = self.field is not None and (
            bool(getattr(self.field, "flatchoices", None))
            or isinstance(self.field, (models.BooleanField, models.DateField, models.TimeField))
        )
        if self.field is None:
            if callable(name):
                self.display = name
            elif name != "__str__" and hasattr(cl.model_admin, name):
                self.display = getattr(cl.model_admin, name)

    def shown(self, draw, value, *args):
        if type(value) not in MEMO_TYPES:
            return draw(value, *args)
        key = (type(value), value, *args)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = draw(value, *args)
        return found

    def lookup(self, result, model_admin):
        """(field, attr, value) as django.contrib.admin.utils.lookup_field gives them."""
        if self.field is not None:
            return self.field, None, getattr(result, self.name)
        if self.display is not None:
            return None, self.display, self.display(result)
        return lookup_field(self.name, result, model_admin)


def change_url(cl, result) -> str:
    """cl.url_for_result(result), reversed once per page (portal.core.admin_urls)."""
    opts = cl.opts
    pk = getattr(result, cl.pk_attname)
    if not isinstance(pk, int):
        return cl.url_for_result(result)
    return admin_urls.change_url(
        f"admin:{opts.app_label}_{opts.model_name}_change", pk, current_app=cl.model_admin.admin_site.name
    )


MEMO_TYPES = frozenset({bool, int, str, datetime.date, datetime.datetime, datetime.time, type(None)})


def _display_field(field):
    def draw(value, empty_value_display, avoid_link):
        return display_for_field(value, field, empty_value_display, avoid_link=avoid_link)

    return draw


def _draw(draw, value, *args):
    return draw(value, *args)


def _plan(cl) -> list[Column]:
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        columns.append(Column(cl, index, name, link))
        if link:
            first = False
    return columns


def _cells(cl, result, columns: list[Column], empty: str, pk_attname: str):
    first = True
    model_admin = cl.model_admin
    for column in columns:
        row_classes = list(column.classes)
        empty_value_display = empty
        try:
            f, attr, value = column.lookup(result, model_admin)
        except ObjectDoesNotExist:
            result_repr = empty_value_display
        else:
            empty_value_display = getattr(attr, "empty_value_display", empty_value_display)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if f is None or f.auto_created:
                if column.name == "action_checkbox":
                    row_classes = ["action-checkbox"]
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                if boolean:
                    result_repr = column.shown(display_for_value, value, empty_value_display, boolean)
                else:
                    result_repr = display_for_value(value, empty_value_display, boolean)
                if isinstance(value, (datetime.date, datetime.time)):
                    row_classes.append("nowrap")
            else:
                if isinstance(f.remote_field, models.ManyToOneRel):
                    field_val = getattr(result, f.name)
                    result_repr = empty_value_display if field_val is None else field_val
                else:
                    draw = column.shown if column.memo_field else _draw
                    result_repr = draw(_display_field(f), value, empty_value_display, column.link)
                if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                    row_classes.append("nowrap")
        row_class = mark_safe(f' class="{" ".join(row_classes)}"')  # noqa: S308 - class names of the columns
        if column.link:
            table_tag = "th" if first else "td"
            first = False
            try:
                url = change_url(cl, result)
            except NoReverseMatch:
                link_or_text = result_repr
            else:
                url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
                value = result.serializable_value(str(cl.to_field) if cl.to_field else pk_attname)
                link_or_text = format_html(
                    '<a href="{}"{}>{}</a>',
                    url,
                    format_html(' data-popup-opener="{}"', value) if cl.is_popup else "",
                    result_repr,
                )
            yield f"<{table_tag}{row_class}>{conditional_escape(link_or_text)}</{table_tag}>"
        else:
            yield f"<td{row_class}>{conditional_escape(result_repr)}</td>"


def rows(cl) -> list:
    """Each row as one piece of HTML (admin/change_list_results.html joins a row's items)."""
    columns = _plan(cl)
    empty = cl.model_admin.get_empty_value_display()
    pk_attname = cl.lookup_opts.pk.attname
    return [
        admin_list.ResultList(None, [mark_safe("".join(_cells(cl, result, columns, empty, pk_attname)))])  # noqa: S308
        for result in cl.result_list
    ]


def result_list(cl):
    if cl.formset:
        return admin_list.result_list(cl)  # editable lists: Django's own rows, with their forms
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }


@register.tag(name="portal_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=result_list, template_name="change_list_results.html", takes_context=False
    )


@register.simple_tag(takes_context=True)
def admin_filters_key(context, cl) -> str:
    """The key of a list's filter column in the fragment cache, or "" to draw it afresh.

    The column shows the filters' choices with a link each (Django builds ~70 query strings for the case desk's
    seven filters); the choices depend on who asks (their community and what they may filter by), the page's own
    query string and language, and on the rows of the listed model and of the models the filters choose from. The
    key names all of these, the models by their generations (portal.core.pagecache), so the cached column is
    retired when any of them changes."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return ""
    labels = {cl.model._meta.label}
    for spec in cl.filter_specs:
        related = getattr(getattr(spec, "field", None), "related_model", None)
        if related is not None:
            labels.add(related._meta.label)
    labels.add(get_user_model()._meta.label)  # assignee and staff filters choose among the accounts
    if not all(pagecache.is_watched(label) for label in labels):
        return ""
    depends = tuple(sorted(labels))
    parts = [
        f"{type(cl.model_admin).__module__}.{type(cl.model_admin).__qualname__}",
        request.get_full_path(),
        get_language() or "",
        str(user.pk),
        pagecache.version(depends),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
