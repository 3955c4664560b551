"""Every admin URL a ModelAdmin or a mixin adds — the list (with hostile ?q, ?o, ?p and filters), add, change,
delete, history, a history entry and its revert form, import/export, custom pages, every action and every
autocomplete — generated from the admin registry:

- as staff of the owner community (the first staff role that may view the model): never a 500;
- as the same role of the other community: every URL naming the record answers 403 or 404 (the change page's
  scope), and an action posted with the record's id changes nothing.

A new ModelAdmin, a new URL in get_urls() or a new action is covered as soon as it exists.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse

from tests.security.conftest import STAFF_ROLES
from tests.security.test_hostile_matrix import WRONG, form_fields
from tests.security.test_url_matrix import snapshot

LIST_HOSTILE = {"q": WRONG, "o": ["abc", "99", "-1.2", "1.-"], "p": ["-1", "abc", "99999999999999999999"]}
LIST_HOSTILE["_to_field"] = ["abc"]
OBJECT_PARAMS = {"object_id", "pk", "id"}  # "id": the User admin's password form
HISTORY_PARAMS = {"version_id", "history_id"}
# Admin URLs whose pattern has unnamed groups, by the end of their name: what each group is, in order.
POSITIONAL = {"simple_history": ("object_id", "history_id")}


def _suffix(name: str) -> str | None:
    return next((suffix for suffix in POSITIONAL if name.endswith(f"_{suffix}")), None)


def registry() -> list[tuple[str, admin.ModelAdmin]]:
    return sorted((model._meta.label_lower, model_admin) for model, model_admin in admin.site._registry.items())


def _admin(label: str) -> admin.ModelAdmin:
    return dict(registry())[label]


def _request(user, method="get", data=None):
    request = getattr(RequestFactory(), method)("/admin/", data or {})
    request.user = user
    return request


def _owner(world, model_admin) -> str | None:
    for key, _ in STAFF_ROLES:
        if model_admin.has_view_permission(_request(world.users[f"{key}_a"])):
            return f"{key}_a"
    if model_admin.has_view_permission(_request(world.users["district"])):
        return "district"
    return None


def _client(world, who) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = world.cookies[who]
    return client


def _record(model_admin, user):
    return model_admin.get_queryset(_request(user)).order_by("pk").first()


def _history_id(obj):
    history = getattr(obj, "history", None)
    entry = history.order_by("history_id").first() if history is not None else None
    return entry.history_id if entry else None


def urls(model_admin, obj) -> list[tuple[str, str, set[str]]]:
    """(name, url, path parameters) of every named URL this admin adds, filled for `obj`."""
    out = []
    for pattern in model_admin.urls:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        params = set(pattern.pattern.converters)
        positional = POSITIONAL.get(_suffix(pattern.name))
        if positional is None and pattern.pattern.regex.groups > len(pattern.pattern.regex.groupindex):
            raise AssertionError(f"admin URL {pattern.name} takes positional groups: name them in POSITIONAL")
        params |= set(positional or ())
        unknown = params - OBJECT_PARAMS - HISTORY_PARAMS
        assert not unknown, f"admin URL {pattern.name} takes {unknown}: teach test_admin_hostile to fill them"
        kwargs = {}
        if params & OBJECT_PARAMS:
            if obj is None:
                continue
            kwargs.update(dict.fromkeys(params & OBJECT_PARAMS, obj.pk))
        if params & HISTORY_PARAMS:
            history_id = _history_id(obj) if obj is not None else None
            if history_id is None:
                continue
            kwargs.update(dict.fromkeys(params & HISTORY_PARAMS, history_id))
        if positional:  # a regex with unnamed groups (django-simple-history's revert form) reverses by position
            out.append((pattern.name, reverse(f"admin:{pattern.name}", args=[kwargs[p] for p in positional]), params))
        else:
            out.append((pattern.name, reverse(f"admin:{pattern.name}", kwargs=kwargs), params))
    return out


def _filter_params(model_admin, user) -> list[str]:
    changelist = model_admin.get_changelist_instance(_request(user))
    return sorted({p for spec in changelist.filter_specs for p in spec.expected_parameters()})


def _autocompletes(label: str):
    """(app_label, model_name, field_name) of every autocomplete field of this admin and its inlines."""
    model_admin = _admin(label)
    model = model_admin.model
    out = [(model._meta.app_label, model._meta.model_name, f) for f in model_admin.autocomplete_fields]
    for inline in model_admin.inlines:
        for field in getattr(inline, "autocomplete_fields", ()):
            out.append((inline.model._meta.app_label, inline.model._meta.model_name, field))
    return out


LABELS = [label for label, _ in registry()]


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.sweep
def test_admin_as_the_owner_never_fails(world, db, label):
    model_admin = _admin(label)
    owner = _owner(world, model_admin)
    if owner is None:
        pytest.skip("no community staff role or district administrator may view it (superusers only)")
    user = world.users[owner]
    client = _client(world, owner)
    obj = _record(model_admin, user)
    failures = []

    def check(response, what):
        if response.status_code >= 500:
            failures.append(f"{what} as {owner}: {response.status_code}")
        return response

    changelist = None
    for name, url, params in urls(model_admin, obj):
        page = check(client.get(url), f"GET {url}")
        if name.endswith("_changelist"):
            changelist = url
        if page.status_code == 200 and (name.endswith(("_change", "_add")) or params & HISTORY_PARAMS):
            fields = form_fields(page) | _admin_form_fields(page)
            for value in ("abc", "-1", "2026-13-45", "²"):
                check(client.post(url, dict.fromkeys(fields, value)), f"POST {url} every field = {value!r}")
    if changelist:
        for param, values in {**LIST_HOSTILE, **dict.fromkeys(_filter_params(model_admin, user), WRONG)}.items():
            for value in values:
                check(client.get(changelist, {param: value}), f"GET {changelist}?{param}={value!r}")
        selected = [obj.pk] if obj is not None else []
        for action in [*model_admin.get_actions(_request(user)), "no-such-action"]:
            data = {"action": action, helpers.ACTION_CHECKBOX_NAME: selected, "index": "0"}
            check(client.post(changelist, data), f"POST {changelist} action={action}")
        check(client.post(changelist, {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: "abc"}), "abc id")
    for app_label, model_name, field in _autocompletes(label):
        for term in WRONG:
            query = {"app_label": app_label, "model_name": model_name, "field_name": field, "term": term}
            check(client.get("/admin/autocomplete/", query), f"autocomplete {query}")
    assert failures == [], "\n".join(failures)


def _admin_form_fields(page) -> set[str]:
    """The fields of the admin's own form and of its inline formsets (wrapped in the admin's helpers)."""
    names = set()
    for key in ("adminform", "inline_admin_formsets"):
        value = page.context.get(key) if page.context is not None else None
        for helper in value if isinstance(value, list) else [value] if value is not None else []:
            form = getattr(helper, "form", None)
            if form is not None:
                names |= {form.add_prefix(f) for f in form.fields}
            formset = getattr(helper, "formset", None)
            if formset is not None:
                for form in [formset.management_form, *formset.forms]:
                    names |= {form.add_prefix(f) for f in form.fields}
    return names


SCOPED = [label for label, model_admin in registry() if hasattr(model_admin, "community_path")]


@pytest.mark.parametrize("label", SCOPED)
@pytest.mark.sweep
def test_admin_as_the_other_community_finds_nothing(world, db, label):
    model_admin = _admin(label)
    owner = _owner(world, model_admin)
    if owner is None or owner == "district":
        pytest.skip("no community staff role may view it")
    other = owner[:-2] + "_b"
    obj = _record(model_admin, world.users[owner])
    if obj is None:
        pytest.skip("the seed holds no record of it in community A")
    assert _record(model_admin, world.users[other]) is None or not (
        model_admin.get_queryset(_request(world.users[other])).filter(pk=obj.pk).exists()
    ), "community B's staff see community A's record in the list's own queryset"
    client = _client(world, other)
    failures = []
    before = snapshot()
    for _name, url, params in urls(model_admin, obj):
        if not params & (OBJECT_PARAMS | HISTORY_PARAMS):
            continue
        for method in ("get", "post"):
            code = getattr(client, method)(url, {}).status_code
            if code not in (403, 404):
                failures.append(f"{method.upper()} {url} as {other}: {code} (want 403/404)")
    changelist = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    for action in model_admin.get_actions(_request(world.users[other])):
        data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk], "index": "0", "post": "yes"}
        code = client.post(changelist, data).status_code
        if code >= 500:
            failures.append(f"POST {changelist} action={action} as {other}: {code}")
    assert failures == [], "\n".join(failures)
    assert snapshot() == before, "another community's staff changed data through the admin"
