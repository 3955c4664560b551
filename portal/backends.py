"""Django's ModelBackend, loading the signed-in user's resident record with the account (one query, not two, on
every resident page: they all need it)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("resident").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
