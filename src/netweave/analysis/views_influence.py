"""Who can introduce whom: an influencing goal joined with the network map.

Political data like the goal itself: facilitators and steering committee members only
(404 for everyone else, through ``influence.mapping.mapping_for``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from netweave.analysis.influence import goal_paths
from netweave.analysis.services import SOURCES, AnalysisParams
from netweave.analysis.views import SOURCE_LABELS
from netweave.directory.models import Organisation
from netweave.influence.mapping import mapping_for
from netweave.influence.models import InfluenceGoal

# Every organisation-level record says who knows whom; the map joins them all by default.
DEFAULT_SOURCES = ("attendance", "task_groups", "activities", "relationships", "partnerships")


def _params(query: Any) -> tuple[AnalysisParams, list[str], str]:
    """The map's parameters from ticked ``source`` boxes and a ``year``."""
    chosen = [name for name in query.getlist("source") if name in SOURCES] or list(DEFAULT_SOURCES)
    year = query.get("year", "").strip()
    data = {"level": "organisation", "graph": ",".join(chosen)}
    if year:
        data["year"] = year
    return AnalysisParams.from_query(data), chosen, year


@require_GET
def influence_paths(request: HttpRequest, network: str, goal: str) -> HttpResponse:
    """For a goal, the shortest chains of ties from supportive members to influential
    actors who are undecided or opposed."""
    net, access = mapping_for(request, network)
    try:
        item = InfluenceGoal.objects.select_related("network").get(network=net, uid=goal)
    except (InfluenceGoal.DoesNotExist, ValidationError):
        raise Http404 from None
    error = ""
    result = None
    try:
        params, chosen, year = _params(request.GET)
    except ValidationError as problem:
        error = " ".join(problem.messages)
        chosen, year = list(DEFAULT_SOURCES), ""
    else:
        result = goal_paths(item, params)
    rows = []
    if result is not None:
        on_paths = {node for paths in result.paths.values() for p in paths for node in p.nodes}
        names = {org.pk: org.display_name for org in Organisation.objects.filter(pk__in=on_paths)}
        for target in result.targets:
            paths = [
                {
                    "hops": path.hops,
                    "weight": round(path.weight, 2),
                    "steps": [
                        {
                            "label": names.get(node) or result.label(node),
                            "url": result.info.get(node, {}).get("url"),
                        }
                        for node in path.nodes
                    ],
                }
                for path in result.paths.get(target.organisation_id, [])
            ]
            rows.append({"target": target, "paths": paths})
    return render(
        request,
        "analysis/influence_paths.html",
        {
            "network": net,
            "access": access,
            "goal": item,
            "result": result,
            "rows": rows,
            "error": error,
            "sources": [(name, SOURCE_LABELS.get(name, name)) for name in SOURCES],
            "chosen": chosen,
            "year": year,
        },
        status=400 if error else 200,
    )
