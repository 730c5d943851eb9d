"""The water network's yearly survey in 2014 and 2015, answered through the survey services.

Who rates whom follows the network's own records: organisations that declared a
relationship or share a task group know each other best and work together most often;
ministries, the utility and the facilitating NGO are named by many; a few ties to others
of the same sector complete the picture. Trust and value rise a little from 2014 to 2015,
as the network matured. Draws are seeded, so a run gives the same answers every time.

``load_surveys()`` is idempotent: a year that has a round is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from netweave.directory.models import Organisation, Relationship
from netweave.governance.models import TaskGroupMember
from netweave.networks.models import Network
from netweave.surveys.models import SurveyRound
from netweave.surveys.services import (
    close_round,
    create_round,
    open_round,
    round_members,
    submit_ratings,
)

NETWORK = "water-sanitation"
# year → (opens, closes, share of members who answer, how much trust and value grew)
ROUNDS = {
    2014: (dt.date(2014, 10, 1), dt.date(2014, 11, 14), 0.68, 0.0),
    2015: (dt.date(2015, 10, 1), dt.date(2015, 11, 13), 0.81, 0.35),
}
# Named by many: the ministry, the utility, the facilitating NGO and the lead donor.
HUBS = ("MEWR", "KMK", "OI", "HDCA", "AMS")


def load_surveys(network: Network | None = None) -> int:
    """Add the 2014 and 2015 rounds of the water network if missing; returns how many."""
    network = network or Network.objects.filter(slug=NETWORK).first()
    if network is None or network.slug != NETWORK:
        return 0
    existing = set(SurveyRound.objects.filter(network=network).values_list("year", flat=True))
    added = 0
    with transaction.atomic():
        known = _known_pairs(network)
        for year, (opens, closes, share, growth) in ROUNDS.items():
            if year in existing:
                continue
            _answer_round(network, year, opens, closes, share, growth, known)
            added += 1
    return added


def _known_pairs(network: Network) -> dict[int, set[int]]:
    """Who knows whom from the records: declared relationships and shared task groups."""
    known: dict[int, set[int]] = defaultdict(set)
    for source, target in Relationship.objects.filter(network=network).values_list(
        "source_id", "target_id"
    ):
        known[source].add(target)
        known[target].add(source)
    groups: dict[int, list[int]] = defaultdict(list)
    for group, org in TaskGroupMember.objects.filter(task_group__network=network).values_list(
        "task_group_id", "organisation_id"
    ):
        groups[group].append(org)
    for orgs in groups.values():
        for org in orgs:
            known[org].update(other for other in orgs if other != org)
    return known


def _answer_round(
    network: Network,
    year: int,
    opens: dt.date,
    closes: dt.date,
    share: float,
    growth: float,
    known: dict[int, set[int]],
) -> None:
    rng = random.Random(f"survey-{network.slug}-{year}")  # noqa: S311 — demo data, not secrets
    survey_round = create_round(
        network,
        year=year,
        title=f"Network survey {year}",
        opens=opens,
        closes=closes,
        acting_user=None,
    )
    open_round(survey_round, acting_user=None)
    members: list[Organisation] = list(round_members(survey_round))
    by_id = {org.pk: org for org in members}
    hubs = [org for org in members if org.acronym in HUBS]
    answering = [org for org in members if org.acronym in HUBS or rng.random() < share]
    for rater in answering:
        close = [by_id[pk] for pk in sorted(known.get(rater.pk, ())) if pk in by_id]
        same_sector = [o for o in members if o.sector_id == rater.sector_id and o.pk != rater.pk]
        picks = {org.pk: org for org in rng.sample(close, min(len(close), rng.randint(2, 6)))}
        for org in rng.sample(hubs, min(len(hubs), rng.randint(1, 3))):
            picks.setdefault(org.pk, org)
        for org in rng.sample(same_sector, min(len(same_sector), rng.randint(0, 2))):
            picks.setdefault(org.pk, org)
        picks.pop(rater.pk, None)
        ratings = {}
        for pk, org in sorted(picks.items()):
            is_close = pk in known.get(rater.pk, ())
            ratings[org] = {
                "frequency": _scale(rng.gauss(3.6 if is_close else 2.2, 0.9)),
                "trust": _scale(rng.gauss((3.7 if is_close else 3.0) + growth, 0.8)),
                "value": _scale(rng.gauss((3.8 if is_close else 2.8) + growth, 0.8)),
            }
        submit_ratings(survey_round, rater=rater, ratings=ratings, acting_user=None)
    close_round(survey_round, acting_user=None)


def _scale(draw: float) -> int:
    return min(5, max(1, round(draw)))
