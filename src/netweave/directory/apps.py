from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "netweave.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.directory import exports  # noqa: F401
