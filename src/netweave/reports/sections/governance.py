"""Report section(s): to be written."""

from django.utils.translation import gettext_lazy as _

from netweave.reports.registry import section
from netweave.reports.report import Section


@section("task_groups", heading=_("task_groups"), order=30, figures={})
def build_task_groups(network, year: int) -> Section:
    raise NotImplementedError


@section("requests", heading=_("requests"), order=40, figures={})
def build_requests(network, year: int) -> Section:
    raise NotImplementedError
