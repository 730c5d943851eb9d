"""The co-financing chart as a plotly figure dict (drawn by netweave.js)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from netweave.activities.totals import Totals


def sector_figure(by_sector: Totals) -> dict[str, Any]:
    """One bar per sector: the converted total in the reporting currency."""
    rows = by_sector.rows
    return {
        "data": [
            {
                "type": "bar",
                "x": [row.extra["organisation__sector__name"] for row in rows],
                "y": [str(row.converted) for row in rows],
                "marker": {"color": [row.extra["organisation__sector__colour"] for row in rows]},
                "name": by_sector.currency,
            }
        ],
        "layout": {
            "title": {
                "text": _("Contributions by sector (%(currency)s)")
                % {"currency": by_sector.currency}
            },
            "yaxis": {"title": {"text": by_sector.currency}},
            "margin": {"t": 40},
        },
    }
