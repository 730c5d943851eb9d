from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "netweave.activities"
    label = "activities"
    verbose_name = _("Joint activities")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.activities import exports  # noqa: F401
