"""The stations' blocks on the staff workbench (portal.core.waiting), each station's from its own module."""

from __future__ import annotations

import datetime as dt

from services.culture import workbench as culture
from services.grids import workbench as grids
from services.hall import workbench as hall
from services.health import workbench as health
from services.property import workbench as property_management

DEPENDS = (*hall.DEPENDS, *health.DEPENDS, *culture.DEPENDS, *property_management.DEPENDS, *grids.DEPENDS)


def blocks(user, today: dt.date) -> list:
    return [
        *hall.blocks(user, today),
        *health.blocks(user, today),
        *culture.blocks(user, today),
        *property_management.blocks(user, today),
        *grids.blocks(user, today),
    ]
