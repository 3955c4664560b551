"""Django's ModelBackend, with the signed-in user's resident record loaded with the account and the user's
permissions read through the cache.

- Every resident page needs the resident record: one query, not two.
- Every staff page checks permissions, and Django reads them with two queries (the user's own and their
  groups') on every request. They are kept in the cache under the user and their superuser flag, for five
  minutes at most, and retired at once (now and on commit, portal.core.pagecache generations): everyone's when a
  group, a permission or a group's permissions change, one user's when their groups or own permissions do.
  An inactive user has no permissions whatever the cache holds.
- The account with its resident record is read through the cache too (USER_SECONDS at most), with the unread
  badge in the same round trip: a signed-in page costs no query for who is signed in. A save or delete of the
  account or of its resident record forgets the copy, now and on commit (the session's check of the password hash
  is made against the account as saved); so does every sign-in (portal.core.sessions updates the row in place).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal.core import pagecache
from portal.core.account_cache import forget_user, unread_key, user_key
from portal.core.pagecache import permission_depends, permission_throughs

PERMISSION_SECONDS = 300
USER_SECONDS = 300
USER_SCOPE = "portal.user-permissions"


def connect_permission_signals() -> None:
    """Adding or removing a group's permissions or a user's groups sends m2m_changed, not post_save."""
    for through in permission_throughs():
        m2m_changed.connect(_through_changed, sender=through, weak=False, dispatch_uid=f"perms-{through._meta.label}")


def _through_changed(sender, instance, action, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    user_model = get_user_model()
    if sender in (user_model.groups.through, user_model.user_permissions.through):
        # One user's groups or own permissions: only that user's (or, from the group's side, those users').
        if isinstance(instance, user_model):
            pagecache.touch(USER_SCOPE, instance.pk)
            return
        if pk_set is not None:
            for pk in pk_set:
                pagecache.touch(USER_SCOPE, pk)
            return
    pagecache.bump(sender)  # a group's permissions, or a group emptied of its users: everyone's


def _account_changed(sender, instance, **kwargs) -> None:
    forget_user(instance.pk)


def _resident_changed(sender, instance, **kwargs) -> None:
    forget_user(getattr(instance, "user_id", None))


def connect_account_signals() -> None:
    """The account and the record loaded with it (the reverse one-to-one `resident`, named by the user model)."""
    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_account_changed, sender=user_model, weak=False, dispatch_uid=f"account-{signal}")
        resident_model = user_model._meta.get_field("resident").related_model
        signal.connect(_resident_changed, sender=resident_model, weak=False, dispatch_uid=f"account-res-{signal}")


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        key, unread = user_key(user_id), unread_key(user_id)
        found = cache.get_many([key, unread])
        user = found.get(key)
        if user is None:
            user = get_user_model()._default_manager.select_related("resident").filter(pk=user_id).first()
            if user is None:
                return None
            cache.set(key, user, USER_SECONDS)
        if unread in found:
            user._unread_count = found[unread]  # portal.core.notify.unread_count
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            # ModelBackend (kept for older sessions) finds the same attribute and does not read them again.
            user_obj._perm_cache = pagecache.remember(
                f"perms:{user_obj.pk}:{int(user_obj.is_superuser)}:{pagecache.scoped_version(USER_SCOPE, user_obj.pk)}",
                permission_depends(),
                lambda: super(PortalModelBackend, self).get_all_permissions(user_obj),
                PERMISSION_SECONDS,
            )
        return user_obj._perm_cache
