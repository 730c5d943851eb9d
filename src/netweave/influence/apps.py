from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluenceConfig(AppConfig):
    name = "netweave.influence"
    label = "influence"
    verbose_name = _("Influence")
