"""Staff pages follow the disclosure table too (portal/core/disclosure.py):

{% load disclosure %}
{% disclosed resident.phone "phone" %}                    the value in full, or masked, for the reader
{% if request.user|sees:"address" %}…{% endif %}          whether the reader sees a kind in full
"""

from django import template

from portal.core import disclosure

register = template.Library()


@register.simple_tag(takes_context=True)
def disclosed(context, value, kind):
    request = context.get("request")
    return disclosure.shown(getattr(request, "user", None), kind, value)


@register.filter
def sees(user, kind):
    return disclosure.sees(user, kind)
