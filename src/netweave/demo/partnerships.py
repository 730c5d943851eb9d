"""Demo partnerships from the seeds' world, loaded through the partnership services.

- water-sanitation: a public–private–NGO partnership for water services to poor
  customers (with placements that diverge and three health checks, the last with a drop),
  and an alliance of four international organisations supporting refugees and host
  communities;
- food-security: a coordination network of berry-sector market actors and a bank.

``load_partnerships(network)`` is idempotent: a partnership that exists (by name) is left
as it is, so running the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.db import transaction

from netweave.directory.models import Organisation
from netweave.networks.models import Membership, Network
from netweave.partnerships.arrangements import ensure_arrangement_types
from netweave.partnerships.models import ArrangementType, Partnership
from netweave.partnerships.services import (
    add_contribution,
    answer_health_check,
    create_partnership,
    may_answer,
    open_health_round,
    record_placement,
)


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    role: str
    brings: tuple[tuple[str, str], ...] = ()
    gains: tuple[tuple[str, str], ...] = ()
    # (service ↔ policy, regulation ↔ innovation) now, and optionally in a year
    placement: tuple[D, D] | None = None
    target: tuple[D, D] | None = None


@dataclass(frozen=True)
class RoundSpec:
    opens: dt.date
    closes: dt.date
    # username → (trust, value, communication, equity, purpose, comment)
    answers: dict[str, tuple[int, int, int, int, int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PartnershipSpec:
    network: str
    name: str
    arrangement: str
    purpose: str
    start: dt.date
    partners: tuple[PartnerSpec, ...]
    placed_on: dt.date
    rounds: tuple[RoundSpec, ...] = ()
    status: str = "active"
    agreement_url: str = ""


PARTNERSHIPS: tuple[PartnershipSpec, ...] = (
    PartnershipSpec(
        network="water-sanitation",
        name="Water services for poor customers in Bokhtar and Kulob",
        arrangement="partnership",
        purpose=(
            "The municipal utility, a private operator, NGOs, the ministry, a donor and a "
            "development bank work together so that poor households on the towns' edges "
            "get a piped connection, a fair tariff and a say in how the service is run."
        ),
        start=dt.date(2023, 2, 1),
        agreement_url="https://oasis.example.org/agreements/bokhtar-kulob-water-partnership.pdf",
        placed_on=dt.date(2026, 3, 20),
        partners=(
            PartnerSpec(
                "Bokhtar Vodokanal",
                "operator",
                brings=(("infrastructure", "Network, treatment plant and billing system"),),
                gains=(("reach", "Paying customers in unserved districts"),),
                placement=(D("-0.70"), D("-0.40")),
                target=(D("-0.50"), D("-0.10")),
            ),
            PartnerSpec(
                "Obi Zulol LLC",
                "operator",
                brings=(
                    ("expertise", "Lease-contract operation, metering and customer service"),
                    ("funds", "Working capital for new connections"),
                ),
                gains=(("legitimacy", "A track record for the next lease contracts"),),
                placement=(D("-0.80"), D("0.60")),
                target=(D("-0.70"), D("0.70")),
            ),
            PartnerSpec(
                "Public Organisation «Obi Pok»",
                "partner",
                brings=(
                    ("reach", "Community water committees in 14 mahallas"),
                    ("data", "Household survey of willingness to pay"),
                ),
                gains=(("influence", "Pro-poor tariff rules"), ("funds", "Core funding")),
                placement=(D("0.40"), D("0.20")),
                target=(D("0.60"), D("0.30")),
            ),
            PartnerSpec(
                "Ministry of Energy and Water Resources",
                "lead",
                brings=(("legitimacy", "Mandate and the tariff-setting process"),),
                gains=(("data", "Evidence for the national water supply strategy"),),
                placement=(D("0.10"), D("-0.80")),
                target=(D("0.30"), D("-0.50")),
            ),
            PartnerSpec(
                "Helvetic Development Cooperation Agency",
                "funder",
                brings=(("funds", "Grant for connections of poor households"),),
                gains=(("data", "Lessons for the regional programme"),),
                placement=(D("-0.20"), D("0.10")),
            ),
            PartnerSpec(
                "Global Reconstruction and Development Bank",
                "funder",
                brings=(
                    ("funds", "Loan for network rehabilitation"),
                    ("expertise", "Tariff study"),
                ),
                gains=(("legitimacy", "Stakeholder endorsement of its sector research"),),
                placement=(D("0.20"), D("0.00")),
            ),
            PartnerSpec(
                "Oasis International",
                "technical",
                brings=(("expertise", "Facilitation and social mobilisation"),),
                gains=(("reach", "A model to replicate in other towns"),),
                placement=(D("0.00"), D("0.30")),
            ),
        ),
        rounds=(
            RoundSpec(
                dt.date(2025, 3, 3),
                dt.date(2025, 3, 28),
                {
                    "focal": (4, 4, 3, 4, 4, "The tariff working group meets regularly."),
                    "focal-ngo": (4, 5, 4, 4, 5, ""),
                    "facilitator": (4, 4, 4, 3, 4, "Reporting to the donor takes too long."),
                    "steering": (5, 4, 4, 4, 4, ""),
                },
            ),
            RoundSpec(
                dt.date(2025, 9, 1),
                dt.date(2025, 9, 26),
                {
                    "focal": (4, 4, 4, 4, 4, ""),
                    "focal-ngo": (4, 4, 3, 3, 4, ""),
                },
            ),
            RoundSpec(
                dt.date(2026, 3, 2),
                dt.date(2026, 3, 27),
                {
                    "focal": (4, 4, 4, 3, 4, ""),
                    "focal-ngo": (3, 4, 3, 2, 4, "Households bear the connection cost alone."),
                    "facilitator": (4, 4, 3, 3, 4, ""),
                    "steering": (4, 4, 4, 3, 4, "The operator's costs are not shared openly."),
                    "observer": (4, 3, 3, 3, 4, ""),
                },
            ),
        ),
    ),
    PartnershipSpec(
        network="water-sanitation",
        name="Alliance for refugees and host communities",
        arrangement="alliance",
        purpose=(
            "Four international organisations pool resources to develop joint water, "
            "sanitation and hygiene projects for refugees and the host communities "
            "affected by the crisis across the border."
        ),
        start=dt.date(2024, 5, 15),
        placed_on=dt.date(2026, 2, 10),
        partners=(
            PartnerSpec(
                "Oasis International",
                "lead",
                brings=(("expertise", "Emergency water supply"), ("reach", "Field teams")),
                gains=(("funds", "Joint proposals to humanitarian donors"),),
                placement=(D("-0.60"), D("0.20")),
            ),
            PartnerSpec(
                "Children First International",
                "partner",
                brings=(("expertise", "Hygiene in schools"),),
                gains=(("reach", "Access to host-community schools"),),
                placement=(D("-0.50"), D("0.10")),
            ),
            PartnerSpec(
                "Clearwater Aid International",
                "partner",
                brings=(("infrastructure", "Water trucking and storage"),),
                gains=(("data", "Shared needs assessment"),),
                placement=(D("-0.70"), D("0.00")),
            ),
            PartnerSpec(
                "United Nations Childhood Fund – Tajikistan Office (fictional)",
                "funder",
                brings=(("funds", "Pooled emergency fund"), ("legitimacy", "Cluster lead")),
                gains=(("data", "Monitoring of refugee households"),),
                placement=(D("0.30"), D("-0.30")),
            ),
        ),
    ),
    PartnershipSpec(
        network="food-security",
        name="Tavush berry market coordination network",
        arrangement="network",
        purpose=(
            "Berry growers, a processor, input suppliers and a credit union meet to "
            "negotiate better access to markets and to link farmers with mainstream "
            "financial services."
        ),
        start=dt.date(2024, 4, 1),
        placed_on=dt.date(2026, 4, 20),
        partners=(
            PartnerSpec(
                "Tavush Berry Growers' Cooperative",
                "lead",
                brings=(("reach", "Over 200 smallholder berry growers"),),
                gains=(("funds", "Seasonal credit"), ("reach", "Buyers for the harvest")),
                placement=(D("-0.60"), D("0.40")),
            ),
            PartnerSpec(
                "Ararat Valley Processing LLC",
                "partner",
                brings=(("infrastructure", "Cold store and processing line"),),
                gains=(("in_kind", "A steady supply of graded berries"),),
                placement=(D("-0.70"), D("0.60")),
            ),
            PartnerSpec(
                "Union of Agricultural Input Suppliers",
                "partner",
                brings=(("expertise", "Advice on seedlings and irrigation"),),
                gains=(("reach", "New customers among smallholders"),),
                placement=(D("-0.50"), D("0.30")),
            ),
            PartnerSpec(
                "Credit Union «Agrovark»",
                "funder",
                brings=(("funds", "Seasonal loans tied to purchase contracts"),),
                gains=(("reach", "Borrowers with secured sales"),),
                placement=(D("-0.20"), D("0.50")),
            ),
        ),
    ),
)


def load_partnerships(network: Network) -> int:
    """Create the demo partnerships of ``network`` that do not exist yet; returns how many."""
    ensure_arrangement_types()
    created = 0
    for spec in PARTNERSHIPS:
        if spec.network != network.slug:
            continue
        if Partnership.objects.filter(network=network, name=spec.name).exists():
            continue
        with transaction.atomic():
            _load(network, spec)
        created += 1
    return created


def _load(network: Network, spec: PartnershipSpec) -> None:
    members = set(
        Membership.objects.current()
        .filter(network=network)
        .values_list("organisation_id", flat=True)
    )
    organisations = {}
    for partner_spec in spec.partners:
        organisation = Organisation.objects.filter(name=partner_spec.name).first()
        # A demo that was changed by hand may miss a member: leave that partner out.
        if organisation is not None and organisation.pk in members:
            organisations[partner_spec.name] = organisation
    partnership = create_partnership(
        network,
        acting_user=None,
        name=spec.name,
        arrangement=ArrangementType.objects.get(slug=spec.arrangement),
        purpose=spec.purpose,
        status=spec.status,
        start=spec.start,
        agreement_url=spec.agreement_url,
        partners=[
            (organisations[p.name], p.role) for p in spec.partners if p.name in organisations
        ],
    )
    partners = {p.organisation.name: p for p in partnership.partners.select_related("organisation")}
    for partner_spec in spec.partners:
        partner = partners.get(partner_spec.name)
        if partner is None:
            continue
        for direction, items in (("brings", partner_spec.brings), ("gains", partner_spec.gains)):
            for kind, description in items:
                add_contribution(
                    partner,
                    direction=direction,
                    kind=kind,
                    description=description,
                    acting_user=None,
                )
        if partner_spec.placement:
            target = partner_spec.target or (None, None)
            record_placement(
                partner,
                service_policy=partner_spec.placement[0],
                regulation_innovation=partner_spec.placement[1],
                target_service_policy=target[0],
                target_regulation_innovation=target[1],
                placed_on=spec.placed_on,
                acting_user=None,
            )
    users = {u.username: u for u in get_user_model().objects.all()}
    for round_spec in spec.rounds:
        health_round = open_health_round(
            partnership, opens=round_spec.opens, closes=round_spec.closes, acting_user=None
        )
        for username, (*scores, comment) in round_spec.answers.items():
            user = users.get(username)
            if user is None or not may_answer(partnership, user):
                continue
            answer_health_check(
                health_round,
                acting_user=user,
                scores=dict(
                    zip(
                        ("trust", "value", "communication", "equity", "purpose"),
                        scores,
                        strict=True,
                    )
                ),
                comments=comment,
                today=round_spec.opens,
            )
