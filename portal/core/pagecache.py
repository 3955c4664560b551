"""Whole-page cache for the public pages (home, service guide and items, notices, events, the published ledgers),
and for pages of one person's own (`own_page`: a case, 我的, the workbench, the admin's lists).

Django's `cache_page` cannot serve these: every page carries this request's CSP nonce on its scripts and CSRF
tokens in its forms, and both must be the visitor's own. So the rendered body is stored with those two values
replaced by markers; each hit puts the visitor's own nonce back, and portal.core.middleware.CsrfHoleMiddleware their
own CSRF token (`get_token` also makes the CSRF middleware set the cookie, exactly as a rendered page would).

Who shares a copy: every anonymous visitor; and signed-in people of the same community with the same roles,
staff flags and unread count (the only things of theirs these pages show: links their permissions allow, the
badge in the navigation bar). A request with messages waiting is always rendered afresh. An entry names the
models the page shows (`depends`): saving or deleting one of them moves that model's generation on, which
retires every entry built on it. `timeout` bounds what signals cannot see (bulk updates, permission changes).

A person's own page (`own_page`) is kept for them alone, under the same rules: their roles, permissions and unread
count in the key, retired when a model it names changes, never while messages wait or their reads are pinned.

With a read replica (portal.core.replica): a copy built from the replica may lag the write that retired the last
one, so it is kept REPLICA_TIMEOUT seconds at most; and a person who has just written (their reads pinned to the
primary) is never served a cached copy: they get the page fresh from the primary, which also replaces the copy.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

from portal.core import replica
from portal.core.access import bulk_written
from portal.core.context_processors import elder_mode
from portal.core.notify import unread_count

NONCE_MARK = b"\x00nonce\x00"
CSRF_MARK = b"\x00csrf\x00"
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
PREFIX = "page:v1"
REPLICA_TIMEOUT = 5  # seconds: the longest a copy built from the replica is served


def generation_key(label: str) -> str:
    return f"{PREFIX}:gen:{label.lower()}"


def _renew(key: str) -> None:
    """Move a generation on, now and again once the change is committed (so that no entry built in between from
    the old rows survives)."""
    _set_generation(key)
    transaction.on_commit(lambda: _set_generation(key))


def _set_generation(key: str) -> None:
    read = _read_this_request.get()
    if read is not None:
        read.pop(key, None)  # this request reads the new one if it asks again
    renew = getattr(cache, "renew", None)  # the Redis cache owes it while Redis is away (portal.core.cache)
    if renew is not None:
        renew(key)
    else:
        cache.set(key, time.time_ns(), None)


def bump(sender, **kwargs) -> None:
    """A model the cached pages show has changed: every entry built on it is retired."""
    _renew(generation_key(sender._meta.label))


# Models whose rows change all the time and that no cached page or value shows: a save of theirs moves no generation.
UNWATCHED = {
    "portal.session",
    "portal.auditlog",
    "portal.sensitiveaccesslog",
    "portal.delivery",
    "portal.notification",  # the unread badge has its own key (portal.core.notify)
    "portal.searchentry",
    "portal.idempotencykey",
    "admin.logentry",
}
UNWATCHED_APPS = {"axes", "django_celery_beat", "sessions", "contenttypes"}


def is_watched(label: str) -> bool:
    app_label = label.split(".", 1)[0].lower()
    return label.lower() not in UNWATCHED and app_label not in UNWATCHED_APPS


# Saves that change nothing a page shows: an account's sign-in time, written at every sign-in.
QUIET_SAVES = {"portal.user": frozenset({"last_login"})}


def _model_changed(sender, **kwargs) -> None:
    label = sender._meta.label_lower
    if not is_watched(label) or label.split(".", 1)[1].startswith("historical"):
        return
    fields = kwargs.get("update_fields")
    if fields and label in QUIET_SAVES and frozenset(fields) <= QUIET_SAVES[label]:
        return
    bump(sender)


def connect_signals() -> None:
    """Every model's save and delete move its generation on, in every process (web and Celery workers alike), from
    start-up (CoreConfig.ready): no page or value needs to have been drawn first for its entries to be retired."""
    post_save.connect(_model_changed, weak=False, dispatch_uid="pagecache-save")
    bulk_written.connect(_model_changed, weak=False, dispatch_uid="pagecache-bulk")
    post_delete.connect(_model_changed, weak=False, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_links_changed, weak=False, dispatch_uid="pagecache-links")
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(_roles_changed, sender=through, weak=False, dispatch_uid=f"pagecache-roles-{through}")


def _links_changed(sender, instance, action, model, **kwargs) -> None:
    """A many-to-many link added or removed (a resident's tags, a post's holders): both sides have changed."""
    if action in ("post_add", "post_remove", "post_clear") and sender not in permission_throughs():
        # (a person's groups and permissions move their own scoped generation: portal.core.backends)
        _model_changed(type(instance))
        _model_changed(model)


def _require_watched(depends: tuple[str, ...]) -> None:
    unwatched = [label for label in depends if not is_watched(label)]
    if unwatched:
        raise ValueError(f"pagecache: {unwatched} change without moving a generation; nothing may depend on them")
    if apps.ready:
        unknown = [label for label in depends if not _is_model(label)]
        if unknown:
            raise ValueError(f"pagecache: {unknown} name no model; a copy built on them would never be retired")


@functools.cache
def _is_model(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def role_signature(user) -> str:
    """The user's groups (or, with permissions of their own, the user): who else sees the same links."""
    key = f"{PREFIX}:roles:{user.pk}"
    signature = cache.get(key)
    if signature is None:
        if user.user_permissions.exists():
            signature = f"own{user.pk}"
        else:
            signature = ",".join(str(pk) for pk in sorted(user.groups.values_list("pk", flat=True)))
        cache.set(key, signature, 60 * 60)
    return f"{int(user.is_staff)}{int(user.is_superuser)}:{signature}"


def _roles_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, get_user_model()):
        cache.delete(f"{PREFIX}:roles:{instance.pk}")
    else:  # changed from the group's or permission's side: forget the users named
        cache.delete_many([f"{PREFIX}:roles:{pk}" for pk in kwargs.get("pk_set") or ()])


def _viewer(request) -> str | None:
    """Whose copy this request may share (see the module docstring); None: render it afresh."""
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.get("_messages"):
        return None  # messages waiting in the session
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return f"user:{user.community_id}:{role_signature(user)}:{unread_count(user)}"


# Generations are read once per request: the first read fetches every model generation this process has been asked
# for so far, in one round trip, and the request keeps them (a generation it moves on itself is read again).
_read_this_request: ContextVar[dict | None] = ContextVar("pagecache_generations", default=None)
_asked: set[str] = set()  # the model generation keys asked for in this process (bounded by the number of models)


def _begin_request(**kwargs) -> None:
    _read_this_request.set({})


def _end_request(**kwargs) -> None:
    _read_this_request.set(None)


request_started.connect(_begin_request, dispatch_uid="pagecache-begin")
request_finished.connect(_end_request, dispatch_uid="pagecache-end")


def _generations(keys: list[str], *, plain: bool = True) -> dict:
    read = _read_this_request.get()
    if read is None:  # outside a request (tasks, commands): read them as they are now
        found = cache.get_many(keys)
        return {k: found.get(k, 0) for k in keys}
    missing = [k for k in keys if k not in read]
    if missing:
        if plain:
            _asked.update(missing)
            missing = list(_asked.union(missing).difference(read))
        found = cache.get_many(missing)
        for k in missing:
            read[k] = found.get(k, 0)
    return {k: read[k] for k in keys}


def version(depends: tuple[str, ...]) -> str:
    """The generations of these models, as one string: a key part for any cache entry built on them."""
    _require_watched(depends)
    gens = _generations([generation_key(label) for label in depends]) if depends else {}
    return ".".join(str(gens.get(generation_key(label), 0)) for label in depends)


def remember(key: str, depends: tuple[str, ...], compute, timeout: int):
    """`compute()`, kept in the cache under `key` until one of the `depends` models changes (`timeout` at most).
    `compute` must not return None (None is a miss). The key with its generations names the value, so each process
    keeps a copy beside the shared one (portal.core.cache.SettledCache)."""
    entry_key = f"{key}:{version(depends)}"
    if len(entry_key) > 200:  # many models: their generations named by a digest
        entry_key = f"{key}:{hashlib.sha256(entry_key.encode()).hexdigest()}"
    settled = caches["settled"]
    value = settled.get(entry_key)
    if value is None:
        value = compute()
        settled.set(entry_key, value, timeout)
    return value


def _key(request, viewer: str, depends: tuple[str, ...]) -> str:
    parts = [
        request.get_full_path(),
        get_language() or "",
        "elder" if elder_mode(request) else "",
        viewer,
        version(depends),
    ]
    return f"{PREFIX}:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"


def _pack(response: HttpResponse, request) -> dict:
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        body = body.replace(str(nonce).encode(), NONCE_MARK)
    body = CSRF_VALUE.sub(rb"\1" + CSRF_MARK + rb"\3", body)
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "vary")}
    return {"body": body, "status": response.status_code, "headers": headers}


def _unpack(entry: dict, request) -> HttpResponse:
    body = entry["body"]
    if NONCE_MARK in body:
        body = body.replace(NONCE_MARK, str(request.csp_nonce).encode())
    # CSRF markers are filled by portal.core.middleware.CsrfHoleMiddleware on the way out.
    response = HttpResponse(body, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def public_page(*, depends: tuple[str, ...] = (), timeout: int = 60):
    """Serve the decorated view from the whole-page cache to whoever may share a copy (see the module docstring)."""
    _require_watched(depends)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            viewer = _viewer(request)
            return served(request, viewer, depends, timeout, lambda: view(request, *args, **kwargs), shared=True)

        return wrapped

    return decorator


def own_page(*, depends: tuple[str, ...] | Callable[[], tuple[str, ...] | None] = (), timeout: int = 60):
    """Like `public_page`, for a page of one person's own (their case, 我的, the workbench, an admin list): each
    person has their own copy, retired when a model in `depends` or their roles, permissions or unread count change.
    `depends` may be a function, asked at the first request (None from it: the page is always drawn afresh).
    A page that logs a read of sensitive data on every view (sensitive_read) must not use it."""
    resolved: list[tuple[str, ...] | None] = []
    if not callable(depends):
        _require_watched(depends)
        resolved.append((*depends,))

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not resolved:
                named = depends()
                if named is not None:
                    _require_watched(named)
                resolved.append(named)
            named = resolved[0]
            draw = lambda: view(request, *args, **kwargs)  # noqa: E731
            return draw() if named is None else own_copy(request, named, timeout, draw)

        return wrapped

    return decorator


def permission_throughs() -> tuple:
    """The link tables that decide a user's permissions: user–group, user–permission, group–permission."""
    user_model = get_user_model()
    group_permissions = user_model.groups.field.related_model.permissions.through
    return (user_model.groups.through, user_model.user_permissions.through, group_permissions)


def permission_depends() -> tuple[str, ...]:
    """The models whose changes change someone's permissions (portal.core.backends moves their generations on)."""
    return ("auth.Group", "auth.Permission", *(through._meta.label for through in permission_throughs()))


def own_copy(request, depends: tuple[str, ...], timeout: int, draw):
    """The person's own copy of the page `draw()` makes (see `own_page`)."""
    return served(request, own_viewer(request), (*depends, *permission_depends()), timeout, draw, shared=False)


def own_viewer(request) -> str | None:
    """One person's own copy (None: render it afresh)."""
    viewer = _viewer(request)
    if viewer is None or viewer == "anonymous":
        return None
    return f"{viewer}:person:{request.user.pk}:{request.user.community_id}"


def served(request, viewer: str | None, depends: tuple[str, ...], timeout: int, draw, *, shared: bool):
    """The page from the cache for `viewer`, else `draw()`'d and kept: a 200 that sets no cookie (but the CSRF
    token's), is no stream and showed no message, and, for a copy `shared` by several people, is not marked private."""
    if viewer is None:
        return draw()
    key = _key(request, viewer, depends)
    # A hard reload (the browser's Ctrl+F5 sends no-cache) draws the page afresh and renews the copy.
    fresh = replica.pinned() or "no-cache" in request.headers.get("Cache-Control", "")
    entry = None if fresh else cache.get(key)
    if entry is not None:
        return _unpack(entry, request)
    from_replica = replica.reading()
    response = draw()
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # a TemplateResponse (the admin's): its body is needed now
    if (
        response.status_code == 200
        and not response.streaming
        # The CSRF cookie alone may be set (the admin's views are csrf_protect'ed): each hit sets the visitor's own.
        and not set(response.cookies).difference({settings.CSRF_COOKIE_NAME})
        and not (shared and "private" in response.get("Cache-Control", ""))
        and not _showed_messages(request)
    ):
        cache.set(key, _pack(response, request), min(timeout, REPLICA_TIMEOUT) if from_replica else timeout)
    return response


def _showed_messages(request) -> bool:
    """Whether the page added or showed a message (one of its own, not to be seen again from a copy)."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (getattr(storage, "added_new", False) or getattr(storage, "used", False)))


def _scoped_key(label: str, scope: object) -> str:
    return f"{generation_key(label)}:{scope}"


def touch(label: str, scope: object) -> None:
    """Like `bump`, for one slice of a model (e.g. one resident's bookings): entries built on other slices stay."""
    _renew(_scoped_key(label, scope))


def scoped_version(label: str, scope: object) -> str:
    key = _scoped_key(label, scope)
    return str(_generations([key], plain=False)[key])
