"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("meetings", heading=_("meetings"), order=20, figures={})
def build_meetings(network, year: int) -> Section:
    raise NotImplementedError
