"""A booking rush against the served portal: 500 simulated residents, 20 % booking one freshly released slot and
80 % browsing, all arriving as the slot is released. Reports latency, errors and whether any seat was oversold.

Called by bench/run.py after the page benchmarks (the portal must be running at `base`).
"""

from __future__ import annotations

import http.client
import json
import random
import secrets
import statistics
import subprocess
import threading
import time
from urllib.parse import urlencode, urlsplit

SETUP = r"""
import datetime as dt, json, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.utils import timezone
from portal.core import roles
from portal.core.models import User
from portal.core.sessions import SessionStore
from portal.core.models import Community
from residents.models import Resident
from services.hall.actions.slots import is_closed
from services.models import ServiceItem, Slot

n, capacity, csrf = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
community = Community.objects.order_by("pk").first()
item = ServiceItem.objects.filter(community=community, needs_appointment=True).select_related("counter").first()
tz = timezone.get_current_timezone()
day = timezone.localdate() + dt.timedelta(days=20)
while day.weekday() >= 5 or Slot.objects.filter(
    counter=item.counter, starts_at=dt.datetime.combine(day, dt.time(16, 45), tzinfo=tz)
).exists() or is_closed(counter_id=item.counter_id, community_id=community.pk, day=day):
    day += dt.timedelta(days=1)  # a fresh slot for every rush, on an open day with none at that time yet
starts = dt.datetime.combine(day, dt.time(16, 45), tzinfo=tz)
slot = Slot.objects.create(community=community, counter=item.counter, date=day, starts_at=starts,
                           ends_at=starts + dt.timedelta(minutes=15), capacity=capacity)
group = Group.objects.get(name=roles.RESIDENT)
residents = list(Resident.objects.filter(community=community, user__isnull=True).order_by("pk")[:n])
sessions = []
for i, r in enumerate(residents):
    user = User.objects.create(phone=f"17{slot.pk % 10000:04d}{i:05d}", name=r.name, community=community)
    user.groups.add(group)
    r.user = user
    r.save(update_fields=["user"])
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "portal.core.backends.PortalModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    sessions.append(s.session_key)
print(json.dumps({"slot": slot.pk, "item": item.pk, "day": day.isoformat(), "sessions": sessions}))
"""

CHECK = r"""
import json, sys
from portal.core.capacity import SeatStatus
from services.models import Booking, Slot
slot = Slot.objects.get(pk=int(sys.argv[1]))
active = Booking.objects.filter(slot=slot, status=SeatStatus.ACTIVE).count()
print(json.dumps({"capacity": slot.capacity, "seats_taken": slot.seats_taken, "active": active}))
"""

BROWSE = ["/", "/services/", "/notices/", "/councils/", "/services/events/"]
# The booking form shown again with this message is the answer "full"; shown again with any other, "other".
FULL = "抱歉，该时段已约满。"


def manage_json(py: str, root, env, script: str, *args: str) -> dict:
    out = subprocess.run(
        [py, "manage.py", "shell", "-c", f"import sys; sys.argv = ['x', *{list(args)!r}]\n{script}"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def rush(
    *,
    py: str,
    root,
    env,
    base: str,
    users: int = 500,
    capacity: int = 20,
    booking_share: float = 0.2,
    arrival_s: float = 5.0,
    think_s: tuple[float, float] = (1.0, 3.0),
    burst: bool = False,
) -> dict:
    """Residents, each on their own connection, arriving within `arrival_s` seconds of the release and reading
    each page for `think_s` seconds before the next tap. A booker opens the booking page on the slot's day, then
    confirms; a browser reads three pages. With `burst` every resident arrives at once and nobody reads: 100
    connections firing back to back (a stress figure, not people)."""
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the form token
    world = manage_json(py, root, env, SETUP, str(users), str(capacity), csrf)
    host = urlsplit(base)
    rng = random.Random(7)
    sessions = world["sessions"]
    bookers = set(rng.sample(range(len(sessions)), int(len(sessions) * booking_share)))
    lock = threading.Lock()
    timings: dict[str, list[float]] = {"book": [], "browse": []}
    errors: list[str] = []
    outcomes = {"booked": 0, "full": 0, "other": 0}
    book_page = f"/services/items/{world['item']}/book/?day={world['day']}"
    confirm = f"/services/items/{world['item']}/book/{world['slot']}/"

    def one(conn, cookie: str, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        headers = {"Cookie": f"sessionid={cookie}; csrftoken={csrf}", "Host": host.netloc}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = base + path
        t0 = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        return resp.status, (resp.getheader("Location") or text), time.perf_counter() - t0

    def resident(index: int, cookie: str, conn, user_rng: random.Random) -> None:
        def think() -> None:
            if not burst:
                time.sleep(user_rng.uniform(*think_s))

        if index in bookers:
            status, _, seconds = one(conn, cookie, "GET", book_page)
            with lock:
                timings["browse"].append(seconds)
                if status >= 400:
                    errors.append(f"GET book page {status}")
            think()
            body = urlencode({"csrfmiddlewaretoken": csrf, "documents_ready": "on", "note": ""})
            status, where, seconds = one(conn, cookie, "POST", confirm, body)
            with lock:
                timings["book"].append(seconds)
                if status == 302 and "/services/bookings/" in where:
                    outcomes["booked"] += 1
                elif status == 200 and FULL in where:
                    outcomes["full"] += 1
                else:
                    outcomes["other"] += 1
                    errors.append(f"book {status}")
        else:
            for n, path in enumerate(user_rng.sample(BROWSE, 3)):
                if n:
                    think()
                status, _, seconds = one(conn, cookie, "GET", path)
                with lock:
                    timings["browse"].append(seconds)
                    if status >= 500:
                        errors.append(f"GET {path} {status}")

    def run_one(index: int, cookie: str, delay: float) -> None:
        time.sleep(delay)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        try:
            resident(index, cookie, conn, random.Random(index))
        except Exception as exc:  # a dropped connection counts as an error
            with lock:
                errors.append(type(exc).__name__)
        finally:
            conn.close()

    if burst:
        queue = list(enumerate(sessions))
        start = threading.Barrier(min(len(sessions), 100))

        def worker() -> None:
            try:
                start.wait(timeout=120)
            except threading.BrokenBarrierError:
                pass
            while True:
                with lock:
                    if not queue:
                        return
                    index, cookie = queue.pop()
                run_one(index, cookie, 0)

        threads = [threading.Thread(target=worker) for _ in range(min(len(sessions), 100))]
    else:
        arrivals = [rng.uniform(0, arrival_s) for _ in sessions]
        threads = [threading.Thread(target=run_one, args=(i, cookie, arrivals[i])) for i, cookie in enumerate(sessions)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    final = manage_json(py, root, env, CHECK, str(world["slot"]))
    requests = len(timings["book"]) + len(timings["browse"])

    def pct(values: list[float], q: int) -> float:
        if len(values) < 20:
            return max(values, default=0) * 1000
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    return {
        "model": "burst" if burst else "residents",
        "arrival_s": 0 if burst else arrival_s,
        "think_s": (0, 0) if burst else think_s,
        "users": len(sessions),
        "bookers": len(bookers),
        "capacity": final["capacity"],
        "seats_taken": final["seats_taken"],
        "active_bookings": final["active"],
        "oversold": max(final["active"] - final["capacity"], 0),
        "outcomes": outcomes,
        "requests": requests,
        "errors": len(errors),
        "error_rate": len(errors) / max(requests, 1),
        "book_p50_ms": statistics.median(timings["book"]) * 1000 if timings["book"] else 0,
        "book_p95_ms": pct(timings["book"], 95),
        "browse_p50_ms": statistics.median(timings["browse"]) * 1000 if timings["browse"] else 0,
        "browse_p95_ms": pct(timings["browse"], 95),
        "wall_s": wall,
    }
