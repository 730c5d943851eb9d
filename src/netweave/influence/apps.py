from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluenceConfig(AppConfig):
    name = "netweave.influence"
    label = "influence"
    verbose_name = _("Influence")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.influence import exports, exports_mapping  # noqa: F401
