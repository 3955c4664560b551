"""The staff workbench (工作台): what waits for *me* and my community today, contributed by every app's `workbench.py`
as `blocks(user, today) -> list[Block]`.

Each app decides which blocks a member of staff sees by `user.has_perm(...)` (never by a group name) and computes
each block with one or two queries whatever the community's size: the counts in one aggregate, the first rows in one
query. A block links to the page that works it; each count and row links to where that work is done.

An app's module that names the models its blocks read (`DEPENDS`) has its blocks kept in the cache per person, day
and language (portal.core.pagecache.remember) until one of those models, or the person's permissions, change, and
for WORKBENCH_SECONDS at most (what passes with the clock: a deadline that goes by, an event that begins).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import get_language

from portal.core import pagecache
from portal.core.plugins import app_modules, modules_depend

FIRST_ROWS = 5  # rows shown under a block's counts
WORKBENCH_SECONDS = 60


@dataclass
class Tally:
    """One count of a block ("overdue 3"), linking to the list of exactly those records."""

    label: str
    count: int
    url: str
    urgent: bool = False  # shown in red when above zero


@dataclass
class Row:
    """One of the first records waiting: its text, where to work it, a short note (time, deadline)."""

    text: str
    url: str
    note: str = ""
    urgent: bool = False


@dataclass
class Block:
    key: str  # stable name ("hall.cases"): the HTML id, and what tests ask for
    title: str
    url: str  # the page that works this block
    tallies: list[Tally] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url): the station's other pages
    empty: str = ""  # said when there are no rows

    @property
    def waiting(self) -> int:
        return sum(t.count for t in self.tallies)


def page_depends() -> tuple[str, ...] | None:
    """Every model the workbench's blocks read, or None while an app's blocks do not say (the page is then always
    drawn afresh)."""
    return modules_depend("workbench")


def workbench_blocks(user, today: dt.date) -> list[Block]:
    """Every app's blocks for this member of staff, in INSTALLED_APPS order."""
    from portal.core.backends import USER_SCOPE  # lazy: the backends need the models

    found: list[Block] = []
    for app, module in app_modules("workbench"):
        depends = getattr(module, "DEPENDS", None)
        if depends is None:
            found.extend(module.blocks(user, today))
            continue
        who = f"{user.pk}:{user.community_id}:{int(user.is_staff)}:{pagecache.scoped_version(USER_SCOPE, user.pk)}"
        key = f"workbench:{app.label}:{who}:{today.isoformat()}:{get_language()}"
        found.extend(
            pagecache.remember(
                key,
                (*depends, *pagecache.permission_depends()),
                lambda m=module: m.blocks(user, today),
                WORKBENCH_SECONDS,
            )
        )
    return found
