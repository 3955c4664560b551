"""`{% idempotency_field %}`: the hidden idempotency key of a form that writes (portal/core/idempotency.py)."""

from django import template
from django.utils.html import format_html

from portal.core.idempotency import FIELD, form_key

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context) -> str:
    request = context.get("request")
    key = form_key(request) if request is not None else ""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key)


@register.simple_tag(takes_context=True)
def idempotency_value(context) -> str:
    """The key alone, for a form drawn by an included partial: `{% idempotency_value as key %}`."""
    request = context.get("request")
    return form_key(request) if request is not None else ""
