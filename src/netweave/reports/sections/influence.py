"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("outcomes", heading=_("outcomes"), order=70, figures={})
def build_outcomes(network, year: int) -> Section:
    raise NotImplementedError


@section("indicators", heading=_("indicators"), order=80, figures={})
def build_indicators(network, year: int) -> Section:
    raise NotImplementedError
