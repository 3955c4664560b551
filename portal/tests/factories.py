"""Users with roles. `UserFactory(role=roles.HALL_STAFF, community=c)` gives a member of hall staff of c."""

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from portal.core import roles
from portal.core.models import User

PASSWORD = "Test-pass-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"186{n:08d}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """The user's role (a group name from portal.core.roles); staff roles also get is_staff."""
        name = extracted or roles.RESIDENT
        if not create:
            return
        self.groups.add(Group.objects.get(name=name))
        if name in roles.STAFF_ROLES and not self.is_staff:
            self.is_staff = True
            self.save(update_fields=["is_staff"])
