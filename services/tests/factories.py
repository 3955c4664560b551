"""Factories of the service hall. `hall_catalogue(community)` gives the real demo catalogue (counters, hours, items)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from residents.tests.factories import CommunityFactory, ResidentFactory
from services.models import Booking, Case, Counter, ServiceCategory, ServiceItem, Slot


class ServiceCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


class CounterFactory(DjangoModelFactory):
    class Meta:
        model = Counter

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: n + 10)
    name = factory.Sequence(lambda n: f"窗口{n}")
    seats_per_slot = 3


class ServiceItemFactory(DjangoModelFactory):
    class Meta:
        model = ServiceItem

    community = factory.SubFactory(CommunityFactory)
    category = factory.SubFactory(ServiceCategoryFactory)
    counter = factory.SubFactory(CounterFactory, community=factory.SelfAttribute("..community"))
    name = factory.Sequence(lambda n: f"事项{n}")
    documents = factory.LazyFunction(lambda: ["居民身份证原件及复印件", "户口簿"])
    time_limit_days = 5


def next_weekday(days: int = 1) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


class SlotFactory(DjangoModelFactory):
    class Meta:
        model = Slot

    counter = factory.SubFactory(CounterFactory)
    community = factory.SelfAttribute("counter.community")
    date = factory.Sequence(lambda n: next_weekday(1) + dt.timedelta(weeks=n // 18))
    starts_at = factory.LazyAttributeSequence(
        lambda o, n: (
            dt.datetime.combine(o.date, dt.time(8, 0), tzinfo=timezone.get_current_timezone())
            + dt.timedelta(minutes=30 * (n % 18))
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=30))
    capacity = 3


class BookingFactory(DjangoModelFactory):
    """A booking row made directly (for list pages); real bookings go through actions.booking_create."""

    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    community = factory.SelfAttribute("slot.community")
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..community"))
    item = factory.SubFactory(
        ServiceItemFactory,
        community=factory.SelfAttribute("..community"),
        counter=factory.SelfAttribute("..slot.counter"),
    )
    date = factory.SelfAttribute("slot.date")


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    community = factory.SubFactory(CommunityFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..community"))
    title = factory.Sequence(lambda n: f"报修{n}")
    description = "厨房水管漏水"
    kind = "repair"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
