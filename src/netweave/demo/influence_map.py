"""The water network's influence map of the national water tariff methodology.

The tariffs task group drafts a methodology to calculate water tariffs; whether the
government adopts it depends on a few actors. The facilitator assessed them in March 2014
and again in April 2015, after the task group's consultations: the regulator and the
Ministry of Economic Development came round, the consumers' union too once the draft
protected poor households, while the Ministry of Finance still leans against and the
state utility moved only from opposing to leaning against.

``load_influence_map()`` is idempotent: a goal that exists (by title) is left as
it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from netweave.directory.models import Organisation
from netweave.influence.mapping import create_goal, record_assessment
from netweave.influence.models import InfluenceGoal
from netweave.networks.models import Network

NETWORK = "water-sanitation"
TITLE = "National water tariff methodology"
DESCRIPTION = (
    "The government adopts a national methodology to calculate drinking-water tariffs that "
    "cover operation and maintenance costs and protect poor households, drafted by the "
    "network's tariffs task group."
)
FIRST, SECOND = dt.date(2014, 3, 12), dt.date(2015, 4, 20)
# organisation name → ((influence, position) in 2014, (influence, position) in 2015, note)
ASSESSMENTS: dict[str, tuple[tuple[int, int], tuple[int, int], str]] = {
    "Antimonopoly Service under the Government": (
        (5, 0),
        (5, 1),
        "Approves tariffs; chairs the tariffs task group since the 2014 consultations.",
    ),
    "Ministry of Finance": (
        (5, -1),
        (5, -1),
        "Worried that cost-recovery tariffs raise the subsidies it pays for the poorest.",
    ),
    "Ministry of Energy and Water Resources": (
        (4, 1),
        (4, 2),
        "Asked the network for the draft; its minister spoke for it in April 2015.",
    ),
    "State Unitary Enterprise «Khojagii Manziliyu Kommunali»": (
        (4, -2),
        (4, -1),
        "Fears losing control of the tariffs of its branches.",
    ),
    "Parliamentary Committee on Energy, Water and Environment": (
        (4, 0),
        (4, 0),
        "Would have to amend the law on drinking water; has not taken a position.",
    ),
    "Global Reconstruction and Development Bank": (
        (4, 2),
        (4, 2),
        "Makes a tariff methodology a condition of its next water supply loan.",
    ),
    "Ministry of Economic Development and Trade": (
        (3, 0),
        (3, 1),
        "Came round after the task group's cost study.",
    ),
    "Helvetic Development Cooperation Agency": ((3, 2), (3, 2), "Funds the task group."),
    "Consumers' Union of Tajikistan": (
        (2, -1),
        (2, 1),
        "Supports the draft since it protects poor households with a social tariff.",
    ),
    "Khujand Vodokanal": ((2, 1), (2, 2), "Piloted cost-based tariffs in 2014."),
    "Oasis International": ((2, 2), (2, 2), "The network's facilitator."),
    "Journalists' Association «Ekojurnalist»": (
        (2, 0),
        (2, 1),
        "Reported the consultations; editorials now favour fair tariffs.",
    ),
}


def load_influence_map(network: Network | None = None) -> InfluenceGoal | None:
    """Add the tariff goal and its 2014 and 2015 assessments, unless the goal exists."""
    network = network or Network.objects.filter(slug=NETWORK).first()
    if network is None or network.slug != NETWORK:
        return None
    if InfluenceGoal.objects.filter(network=network, title=TITLE).exists():
        return None
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=list(ASSESSMENTS))}
    with transaction.atomic():
        goal = create_goal(network, title=TITLE, description=DESCRIPTION, acting_user=None)
        for name, (before, after, note) in ASSESSMENTS.items():
            organisation = organisations.get(name)
            if organisation is None:  # a directory edited since: map who is there
                continue
            for day, (influence, position) in ((FIRST, before), (SECOND, after)):
                record_assessment(
                    goal,
                    organisation=organisation,
                    influence=influence,
                    position=position,
                    assessed_on=day,
                    note=note if day == SECOND else "",
                    acting_user=None,
                )
    return goal
