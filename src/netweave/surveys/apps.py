from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "netweave.surveys"
    label = "surveys"
    verbose_name = _("Network surveys")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.surveys import exports  # noqa: F401
