"""`{% csrf_hole %}`: a CSRF field that may sit inside a cached fragment (the navigation bar, the footer).

It writes a marker instead of a token; portal.core.middleware.CsrfHoleMiddleware puts the reader's own token in its
place on the way out, however the page was assembled (rendered, from a fragment cache, from the page cache).
"""

from django import template
from django.utils.html import format_html

from portal.core.pagecache import CSRF_MARK

register = template.Library()


@register.simple_tag
def csrf_hole():
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_MARK.decode())
