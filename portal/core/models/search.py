"""The search index of public content (see portal.core.search): one row per searchable document."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField()
    community = models.ForeignKey("portal.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300)
    published_at = models.DateTimeField(null=True, blank=True)
    # On PostgreSQL the table also has `search_tokens`, the characters and character pairs of title and text, a
    # generated column under a GIN index that Django does not declare (migration portal 0019, portal.core.search).

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search index")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]

    def __str__(self) -> str:
        return self.title
