from django import template
from django.utils.translation import ngettext

from volunteers.models import star_level
from volunteers.models.served import mask_name

register = template.Library()


@register.inclusion_tag("volunteers/_stars.html")
def stars(hours) -> dict:
    """★★☆☆☆ with a text alternative, for a total of confirmed hours."""
    level = star_level(hours)
    label = ngettext("%(n)d star", "%(n)d stars", level) % {"n": level} if level else ""
    return {"level": level, "filled": "★" * level, "empty": "☆" * (5 - level), "label": label}


@register.filter
def masked(name: str) -> str:
    return mask_name(name or "")
