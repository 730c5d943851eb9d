"""Background work for network analysis: large networks are analysed in the task worker.

:func:`netweave.analysis.services.get_analysis` enqueues this task on a cache miss and
pages poll the cache, where :func:`netweave.analysis.services.run_analysis` keeps the
progress and, at the end, the result.
"""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger("netweave.analysis")


@task()
def analyse_network_task(network_id: int, query: dict[str, str], version: str) -> None:
    from netweave.analysis import services
    from netweave.networks.models import Network

    network = Network.objects.filter(pk=network_id).first()
    if network is None:
        return
    params = services.AnalysisParams.from_query(query)
    try:
        services.run_analysis(network, params, version)
    except Exception:
        # run_analysis has put the failure in the cache for the page; keep the trace here.
        logger.exception("analysis of %s failed", network.slug)
        raise
