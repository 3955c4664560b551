"""Cache upkeep: a resident's appointment list is cached until one of their bookings changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.core import pagecache
from services.hall.models import Booking


def bookings_scope(resident_id: int) -> str:
    return f"resident:{resident_id}"


@receiver(post_save, sender=Booking, dispatch_uid="services-booking-touch-save")
@receiver(post_delete, sender=Booking, dispatch_uid="services-booking-touch-delete")
def _booking_changed(sender, instance: Booking, **kwargs) -> None:
    pagecache.touch("services.Booking", bookings_scope(instance.resident_id))
