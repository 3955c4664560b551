"""`{{ value|nowrap }}`: the value in a span that never breaks across lines (a date inside a translated sentence)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def nowrap(value) -> str:
    return format_html('<span class="text-nowrap">{}</span>', value)
