"""Demo data of the services app, one seed per station (portal.core.seeding runs `seed_community` for each
community): the hall, then the culture station, the health station and the events of both, in that order, all
drawing from the one `rng` of the app. Each station's seed is idempotent on its own."""

from __future__ import annotations

import random

from portal.core.models import Community
from services.culture import seed as culture
from services.events import seed as events
from services.hall import seed as hall
from services.hall.seed import ITEMS, seed_catalogue, seed_hall
from services.health import seed as health
from services.property import seed as property_management

__all__ = ["ITEMS", "counts", "seed_catalogue", "seed_community", "seed_hall", "seed_stations"]


def seed_stations(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """The health and culture stations and their events (each idempotent on its own)."""
    culture.seed_community(community, rng=rng, scale_index=scale_index)
    health.seed_community(community, rng=rng, scale_index=scale_index)
    events.seed_community(community, rng=rng, scale_index=scale_index)


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """The hall, then the health and culture stations."""
    seed_hall(community, rng=rng, scale_index=scale_index)
    seed_stations(community, rng=rng, scale_index=scale_index)
    property_management.seed_community(community, rng=rng, scale_index=scale_index)


def seed_district(communities, *, rng: random.Random) -> None:
    """Once the communities are seeded: the district-wide property appraisal periods (one published)."""
    property_management.seed_district(communities, rng=rng)


def counts() -> dict[str, int]:
    """Whole-database figures of every station, for seed_demo's report."""
    return {**health.counts(), **culture.counts(), **events.counts(), **hall.counts(), **property_management.counts()}
