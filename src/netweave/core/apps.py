from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "netweave.core"
    label = "core"
    verbose_name = _("Netweave core")

    def ready(self) -> None:
        from netweave.core import signals  # noqa: F401 — connects the security log receivers
