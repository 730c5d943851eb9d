"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("membership", heading=_("membership"), order=10, figures={})
def build_membership(network, year: int) -> Section:
    raise NotImplementedError
