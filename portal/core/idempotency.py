"""Idempotency keys: a form that writes is applied once, however many times it is sent.

Each rendered form carries a fresh random key in a hidden field (`{% load idempotency %}{% idempotency_field %}`).
The view is decorated with `@idempotent`. A POST with a key:

1. If that person already sent that key to that address, nothing runs: the answer is the first sending's outcome
   (the same redirect), with a line saying the form had already arrived.
2. Otherwise a row for the key is inserted and the view runs, both in one transaction. A redirect (the form was
   applied) is stored as the key's outcome; any other answer (the form shown again with an error to correct)
   deletes the row, so the corrected form may be sent with the same key.

Two sendings at once (a double tap, or a resident pressing "send" again after a host died under their first
try): the second insert waits on the unique index until the first transaction ends, then finds the outcome.
A host killed mid-request rolls its transaction back with the connection, key row included, so a retry applies
the form once. Rows are kept TTL and purged daily (portal.core.tasks.purge_idempotency_keys).

A POST without a key (an old page, a script) runs as before.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from portal.core.models import IdempotencyKey

FIELD = "idempotency_key"
KEY_RE = re.compile(r"^[0-9a-f]{32}$")
TTL = timedelta(days=2)


def new_key() -> str:
    return secrets.token_hex(16)


def key_of(request) -> str | None:
    value = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return value if KEY_RE.fullmatch(value) else None


def form_key(request) -> str:
    """The key a form rendered for this request carries: the one it was sent with, when it is shown again to be
    corrected (so that sending it twice still counts once), else a new one."""
    return key_of(request) or new_key()


def _outcome(user, path: str, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, path=path, key=key).first()


def _replay(request, row: IdempotencyKey):
    messages.info(request, _("This form had already arrived and was done once; it was not done again."))
    return HttpResponseRedirect(row.location)


def idempotent(view):
    """Apply a form-handling view at most once per idempotency key (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = key_of(request)
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated:
            return view(request, *args, **kwargs)
        path = request.path[:200]
        done = _outcome(user, path, key)
        if done is not None:
            return _replay(request, done)
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(user=user, path=path, key=key)
                response = view(request, *args, **kwargs)
                if 300 <= response.status_code < 400 and response.has_header("Location"):
                    row.status, row.location = response.status_code, response["Location"][:500]
                    row.save(update_fields=["status", "location"])
                else:
                    row.delete()  # refused: nothing was applied, the corrected form may use the key again
                return response
        except IntegrityError:
            # The same key is being (or was just) applied by another request: its outcome, once it has committed.
            done = _outcome(user, path, key)
            if done is None:
                raise
            return _replay(request, done)

    return wrapped
