"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("consultations", heading=_("consultations"), order=60, figures={})
def build_consultations(network, year: int) -> Section:
    raise NotImplementedError
