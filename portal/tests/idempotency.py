"""The idempotency key a rendered form carries (portal/core/idempotency.py), for tests that send a form twice."""

import re

KEY_FIELD = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


def key_on(page, count: int = 1) -> str:
    """The key of the page's one keyed form (`count`: how many keyed forms the page shows; they share the key)."""
    found = KEY_FIELD.findall(page.content.decode())
    assert len(found) == count, f"the page carries {count} keyed form(s), not {len(found)}"
    return found[0]
