"""factory_boy factories for the volunteers app; every record stays inside one community."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from residents.tests.factories import CommunityFactory, ResidentFactory
from volunteers import models


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = models.Team

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"服务队{n}")
    kind = models.Team.Kind.ENVIRONMENT


class VolunteerFactory(DjangoModelFactory):
    """An approved volunteer with a number (status=applied for an application)."""

    class Meta:
        model = models.Volunteer

    community = factory.SubFactory(CommunityFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..community"))
    status = models.Volunteer.Status.APPROVED
    number = factory.LazyAttributeSequence(lambda o, n: f"ZY999{n:05d}" if o.status == "approved" else "")
    skills = factory.LazyFunction(lambda: ["haircut"])
    availability = factory.LazyFunction(lambda: ["weekend"])
    approved_on = factory.LazyAttribute(lambda o: timezone.localdate() if o.status == "approved" else None)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = models.Activity

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"清扫楼院{n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    start_time = dt.time(9, 0)
    end_time = dt.time(12, 0)
    place = "3号楼院"
    capacity = 5


class SignUpFactory(DjangoModelFactory):
    """A confirmed place taken directly (tests of the seat primitive go through actions.signup_create)."""

    class Meta:
        model = models.SignUp

    activity = factory.SubFactory(ActivityFactory)
    volunteer = factory.SubFactory(VolunteerFactory, community=factory.SelfAttribute("..activity.community"))


class PersonServedFactory(DjangoModelFactory):
    class Meta:
        model = models.PersonServed

    community = factory.SubFactory(CommunityFactory)
    resident = factory.SubFactory(ResidentFactory, community=factory.SelfAttribute("..community"), lives_alone=True)
    kind = models.PersonServed.Kind.ELDERLY_ALONE
