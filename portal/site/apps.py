from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top floor: the site's pages (home, notices, boards, civility, 我的, dashboard, district) and records."""

    name = "portal.site"
    label = "site"
    verbose_name = _("Notices, boards and appraisals")
