"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("activities", heading=_("activities"), order=50, figures={})
def build_activities(network, year: int) -> Section:
    raise NotImplementedError
