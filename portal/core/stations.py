"""The four stations of 三会四站, named once: every model field, admin filter and page that says which station
something belongs to uses this enum."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Station(models.TextChoices):
    PARTY = "party", _("party-member service station (党员服务站)")
    HALL = "hall", _("one-stop convenience service hall (便民服务站)")
    HEALTH = "health", _("health service station (健康服务站)")
    CULTURE = "culture", _("culture service station (文化服务站)")
