from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "netweave.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.networks import exports  # noqa: F401
        from netweave.networks.stats import connect_signals

        connect_signals()
