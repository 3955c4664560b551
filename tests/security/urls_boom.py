"""The portal's URLs plus one view that fails on purpose, for the server-error test (never in portal.urls)."""

from django.urls import include, path

from portal.urls import handler400, handler403, handler404


class Boom(Exception):
    """An exception no view would raise by accident."""


def boom(request):
    raise Boom("forced failure for the 500-page test")


urlpatterns = [
    path("__boom__/", boom, name="boom"),
    path("", include("portal.urls")),
]

__all__ = ["handler400", "handler403", "handler404", "urlpatterns"]
