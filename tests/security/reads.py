"""Which query parameters and form fields a view reads: a middleware (last in MIDDLEWARE, for the tests only) that
swaps request.GET and request.POST for QueryDicts recording every key asked for — by the view, its forms (a
widget asks `data.get(name)`), its filters and its templates — and hands the names back on the response as
`response.reads = {"GET": {...}, "POST": {...}}`."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import QueryDict

_reads: ContextVar[set | None] = ContextVar("reads", default=None)

# Names no view reads for itself (the CSRF token is read by the middleware when checks are enforced).
IGNORED = {"csrfmiddlewaretoken"}


class RecordingQueryDict(QueryDict):
    def _record(self, key):
        seen = getattr(self, "_seen", None)
        if seen is not None and isinstance(key, str) and key not in IGNORED:
            seen.add(key)

    def __getitem__(self, key):
        self._record(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._record(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._record(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._record(key)
        return super().getlist(key, default)

    def copy(self):
        twin = super().copy()
        twin._seen = getattr(self, "_seen", None)
        return twin

    __copy__ = copy


def _recording(qd: QueryDict, seen: set) -> QueryDict:
    qd.__class__ = RecordingQueryDict
    qd._seen = seen
    return qd


class RecordReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = {"GET": set(), "POST": set()}
        request.GET = _recording(request.GET, reads["GET"])
        if request.method == "POST":
            request.POST = _recording(request.POST, reads["POST"])
        response = self.get_response(request)
        response.reads = reads
        return response
