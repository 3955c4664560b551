"""services' part of seed_demo. The lead merges the hall's seeding in here."""

from services.seed_stations import counts as stations_counts
from services.seed_stations import seed_community as seed_stations


def seed_community(community, *, rng, scale_index):
    seed_stations(community, rng=rng, scale_index=scale_index)


def counts():
    return stations_counts()
