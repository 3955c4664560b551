"""factory_boy factories for the health and culture stations."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from services import models
from services.health.models import CURRENT_NOTICE_VERSION


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A local time `days` from today (tests book the future)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


class HealthConsentFactory(DjangoModelFactory):
    class Meta:
        model = models.HealthConsent

    resident = factory.SubFactory("residents.tests.factories.ResidentFactory")
    community = factory.SelfAttribute("resident.community")
    notice_version = CURRENT_NOTICE_VERSION


class HealthFileFactory(DjangoModelFactory):
    class Meta:
        model = models.HealthFile

    consent = factory.SubFactory(HealthConsentFactory)
    resident = factory.SelfAttribute("consent.resident")
    community = factory.SelfAttribute("resident.community")
    household = factory.SelfAttribute("resident.household")
    chronic_conditions = "高血压"
    allergies = "青霉素过敏"
    medications = "氨氯地平片"
    retention_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3650))


class ReadingFactory(DjangoModelFactory):
    class Meta:
        model = models.Reading

    file = factory.SubFactory(HealthFileFactory)
    kind = "bp"
    taken_on = factory.Sequence(lambda n: timezone.localdate() - dt.timedelta(days=30 * n))
    value = 148
    value2 = 92


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = models.Room

    community = factory.SubFactory("residents.tests.factories.CommunityFactory")
    kind = "painting"
    name = factory.Sequence(lambda n: f"书画室{n}")
    capacity = 20
    opens_at = dt.time(8, 0)
    closes_at = dt.time(21, 0)


class StationEventFactory(DjangoModelFactory):
    class Meta:
        model = models.StationEvent

    community = factory.SubFactory("residents.tests.factories.CommunityFactory")
    station = "culture"
    kind = "games"
    title = factory.Sequence(lambda n: f"趣味运动会{n}")
    place = "社区广场"
    starts_at = factory.LazyFunction(lambda: at(7, 9))
    ends_at = factory.LazyFunction(lambda: at(7, 11))
    capacity = 50


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = models.Team

    community = factory.SubFactory("residents.tests.factories.CommunityFactory")
    name = factory.Sequence(lambda n: f"老年合唱团{n}")


class CultureClassFactory(DjangoModelFactory):
    class Meta:
        model = models.CultureClass

    room = factory.SubFactory(RoomFactory)
    community = factory.SelfAttribute("room.community")
    name = factory.Sequence(lambda n: f"传统乐器演奏培训班{n}")
    capacity = 10


class CheckupCampaignFactory(DjangoModelFactory):
    class Meta:
        model = models.CheckupCampaign

    community = factory.SubFactory("residents.tests.factories.CommunityFactory")
    title = factory.LazyAttribute(lambda o: f"{o.year}年退休人员免费体检")
    year = factory.Sequence(lambda n: 2026 + n)
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class CheckupSlotFactory(DjangoModelFactory):
    class Meta:
        model = models.CheckupSlot

    campaign = factory.SubFactory(CheckupCampaignFactory)
    starts_at = factory.LazyFunction(lambda: at(3, 8))
    ends_at = factory.LazyFunction(lambda: at(3, 9))
    capacity = 20
