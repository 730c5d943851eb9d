"""The report's sections, one module each; importing this package registers them all."""

from netweave.reports.sections import (  # noqa: F401
    activities,
    consultations,
    governance,
    influence,
    meetings,
    membership,
    network,
)
