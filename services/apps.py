from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Stations")

    def ready(self) -> None:
        # lazy: the receivers need the models, which are loaded only once the app registry is ready
        from services.hall import signals  # noqa: F401 - cache upkeep receivers
