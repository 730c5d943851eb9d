"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("network", heading=_("network"), order=90, figures={})
def build_network(network, year: int) -> Section:
    raise NotImplementedError
