"""The staff workbench (工作台): what waits for *me* and my community today, contributed by every app's `workbench.py`
as `blocks(user, today) -> list[Block]`.

Each app decides which blocks a member of staff sees by `user.has_perm(...)` (never by a group name) and computes
each block with one or two queries whatever the community's size: the counts in one aggregate, the first rows in one
query. A block links to the page that works it; each count and row links to where that work is done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal.core.plugins import app_modules

FIRST_ROWS = 5  # rows shown under a block's counts


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


def workbench_blocks(user, today: dt.date) -> list[Block]:
    """Every app's blocks for this member of staff, in INSTALLED_APPS order."""
    found: list[Block] = []
    for _app, module in app_modules("workbench"):
        found.extend(module.blocks(user, today))
    return found
