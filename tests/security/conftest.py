"""The seeded world of the security sweep: two real communities, built once per xdist worker and shared."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from portal.core import roles

# Who is asked, in the order the matrix lists them: (key, role, community "A"/"B"/None).
STAFF_ROLES = [
    ("hall", roles.HALL_STAFF),
    ("health", roles.HEALTH_STAFF),
    ("culture", roles.CULTURE_STAFF),
    ("council_sec", roles.COUNCIL_SECRETARY),
    ("branch_sec", roles.BRANCH_SECRETARY),
    ("director", roles.COMMITTEE_DIRECTOR),
    ("volunteer", roles.VOLUNTEER),
]
WHO = [
    ("anonymous", None, None),
    ("resident_a", roles.RESIDENT, "A"),
    ("resident_b", roles.RESIDENT, "A"),
    *[(f"{key}_a", role, "A") for key, role in STAFF_ROLES],
    *[(f"{key}_b", role, "B") for key, role in STAFF_ROLES],
    ("district", roles.DISTRICT_ADMIN, None),
]


def _seeded_user(role, community):
    from portal.core.models import User

    return User.objects.filter(groups__name=role, community=community, is_active=True).order_by("pk").first()


def _team_leader(community):
    """A volunteer (role 志愿者) who leads an active team of `community`: a coordinator of that team."""
    from portal.tests.factories import UserFactory
    from volunteers.models import Team, Volunteer

    team = (
        Team.objects.filter(community=community, is_active=True, leader__status=Volunteer.Status.APPROVED)
        .select_related("leader__resident")
        .order_by("pk")
        .first()
    )
    resident = team.leader.resident
    if resident.user_id:
        from django.contrib.auth.models import Group

        resident.user.groups.add(Group.objects.get(name=roles.VOLUNTEER))
        return resident.user
    user = UserFactory(role=roles.VOLUNTEER, community=community, name=resident.name)
    resident.user = user
    resident.save(update_fields=["user"])
    return user


def build_world(communities: int = 2) -> SimpleNamespace:
    """Seed the communities (A, and B unless one is enough), pick the people of every role and log each in once (a
    session cookie per person)."""
    from django.test import Client

    from portal.core import seeding
    from portal.core.models import Community
    from tests.security import objects

    seeding.run(communities=communities)
    a, b = [*Community.objects.order_by("pk")[:2], None][:2]
    objs = objects.build(a, b)
    users = {"anonymous": None, "resident_a": objs.resident_a.user, "resident_b": objs.resident_b.user}
    for key, role in STAFF_ROLES:
        for suffix, community in (("a", a), ("b", b)) if b else (("a", a),):
            if role == roles.VOLUNTEER:
                users[f"{key}_{suffix}"] = _team_leader(community)
                continue
            user = _seeded_user(role, community)
            if user is None:
                from portal.tests.factories import UserFactory

                user = UserFactory(role=role, community=community)
            users[f"{key}_{suffix}"] = user
    users["district"] = _seeded_user(roles.DISTRICT_ADMIN, None)
    cookies = {}
    for key, user in users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        cookies[key] = client.cookies["sessionid"].value
    return SimpleNamespace(a=a, b=b, objects=objs, users=users, cookies=cookies)


class SharedWorld:
    """The seeded world of a worker, built once and shared by every module that asks for it: it lives in a
    transaction opened around it and rolled back when a test that does not use it comes next (the root conftest
    runs the world's tests last, so that happens once per worker at most) or when the session ends. Each test runs
    in a savepoint inside it (pytest-django's `db`), and a module that changes the world at module scope does so in
    a savepoint of its own (`module_changes`), so no module sees another's changes."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.built: SimpleNamespace | None = None
        self._atomic = None

    def get(self) -> SimpleNamespace:
        if self.built is None:
            with self.blocker.unblock():
                self._atomic = transaction.atomic()
                self._atomic.__enter__()
                self.built = build_world()
                # Check the seed's deferred foreign keys now, once: otherwise every test's teardown
                # (SET CONSTRAINTS ALL IMMEDIATE inside its savepoint) re-checks all of them again.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return self.built

    def drop(self) -> None:
        if self._atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = self.built = None


SHARED: list[SharedWorld] = []  # the worker's one SharedWorld, once a test has asked for it


@pytest.fixture(scope="session")
def shared_world(django_db_setup, django_db_blocker):
    holder = SharedWorld(django_db_blocker)
    SHARED.append(holder)
    yield holder
    holder.drop()
    SHARED.remove(holder)


@pytest.fixture(scope="module")
def world(shared_world):
    """The seeded world (see SharedWorld). Every test sends its person's cookie (the sessions table is rolled back
    around each test, so whatever a request does to the session is undone)."""
    return shared_world.get()


@contextmanager
def module_changes(django_db_blocker):
    """Changes a module makes to the world for all its tests: kept until the module ends, then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
