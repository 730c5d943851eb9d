"""The registry of report sections: each section module registers one builder.

A builder takes a network and a year and returns a ``Section``; it declares the keys of
the figures it produces (with their labels) so that a template's placeholders can be
checked without computing anything. A builder reads with a constant number of queries,
whatever the size of the network.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from netweave.networks.models import Network
    from netweave.reports.report import Section

Builder = Callable[["Network", int], "Section"]


@dataclass(frozen=True)
class SectionType:
    key: str
    heading: str | Promise
    order: int
    figures: dict[str, str | Promise]
    build: Builder
    do_not_call_in_templates = True


_SECTIONS: dict[str, SectionType] = {}

# Whether a builder may wait for long work (the year's network analysis). The command line,
# the downloads and the API wait; the page does not: it shows the section as pending and
# looks again in a moment, while the work runs in the background.
may_wait: ContextVar[bool] = ContextVar("netweave_report_may_wait", default=True)


def section(
    key: str, *, heading: str | Promise, order: int, figures: dict[str, str | Promise]
) -> Callable[[Builder], Builder]:
    """Register ``build(network, year) -> Section`` as the section ``key``."""

    def register(build: Builder) -> Builder:
        _SECTIONS[key] = SectionType(key, heading, order, dict(figures), build)
        return build

    return register


def section_types() -> list[SectionType]:
    """Every registered section, in the default order."""
    import netweave.reports.sections  # noqa: F401  (registers them)

    return sorted(_SECTIONS.values(), key=lambda s: s.order)


def section_type(key: str) -> SectionType:
    return {s.key: s for s in section_types()}[key]
