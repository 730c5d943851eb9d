from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "netweave.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.governance import exports  # noqa: F401
