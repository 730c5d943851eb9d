from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "netweave.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.meetings import exports  # noqa: F401
