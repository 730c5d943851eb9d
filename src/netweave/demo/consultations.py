"""The water network's consultation of July 2015: the development bank's poverty diagnostic.

The seed: in 2015 the bank "approached the network and asked if it could be used as a
platform to present their research on 'Poverty Diagnostic and Social Impact Assessment of
the Water Supply and Sanitation Sector in Tajikistan' and get coordinated feedback and
recommendations", presented at the network's special event of 21 July 2015. Here members
from several sectors comment section by section, the secretariat synthesises, one member
objects to a recommendation, and the bank answers.

It is entered for the record (it ran in 2015), through the same services as a live one.
Everything is added only when missing, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from netweave.consultations import services
from netweave.consultations.models import Consultation
from netweave.directory.models import Organisation
from netweave.library.models import Document
from netweave.library.services import add_document
from netweave.networks.models import Network

TITLE = (
    "Poverty Diagnostic and Social Impact Assessment of the Water Supply and Sanitation "
    "Sector in Tajikistan"
)
OWNER = "Global Reconstruction and Development Bank"
TZ = ZoneInfo("Asia/Dushanbe")
OPENS = dt.datetime(2015, 7, 6, 9, 0, tzinfo=TZ)
CLOSES = dt.datetime(2015, 7, 31, 18, 0, tzinfo=TZ)
REPORT_URL = "http://www.tajwss.tj/new/images/povertydiagnosticcn_eng.pdf"

SECTIONS = [
    (
        "Poverty and access to water supply and sanitation",
        "<p>Fewer than half of rural households have piped water on their premises; the "
        "poorest quintile relies on canals, springs and trucked water, and spends up to "
        "two hours a day fetching it.</p>",
    ),
    (
        "Affordability and tariffs",
        "<p>Tariffs cover less than half of operating costs in most towns. A move to "
        "cost-recovery tariffs would take water bills of the poorest households above 5% "
        "of their spending unless they are protected.</p>",
    ),
    (
        "Service quality and health",
        "<p>Intermittent supply and old networks lead to contamination; water-borne "
        "diseases weigh most on children in poor rural households.</p>",
    ),
    (
        "Institutions and social accountability",
        "<p>Responsibilities for rural water are split between ministries, the state "
        "enterprise, local authorities and community organisations; users have few "
        "channels to complain or take part in decisions.</p>",
    ),
]

# (organisation, section index, kind, text, received on)
COMMENTS = [
    (
        "Ministry of Energy and Water Resources",
        0,
        "support",
        "The access figures match the ministry's inventory of rural systems. We ask that "
        "the diagnostic be used in the national water sector strategy now being drafted.",
        dt.date(2015, 7, 13),
    ),
    (
        "United Nations Childhood Fund – Tajikistan Office (fictional)",
        2,
        "concern",
        "Schools and health centres are missing from the analysis; many have no water or "
        "latrines at all, and children are the first to fall ill.",
        dt.date(2015, 7, 15),
    ),
    (
        "Public Organisation «Obi Pok»",
        1,
        "suggestion",
        "A lifeline tariff for the first cubic metres per person, paid for by higher "
        "blocks, would protect the poorest while utilities recover their costs.",
        dt.date(2015, 7, 21),
    ),
    (
        "Women's Water Committee of Khatlon",
        0,
        "concern",
        "Women and girls carry the water in the households the diagnostic describes; the "
        "time they lose should be counted in the social impact.",
        dt.date(2015, 7, 21),
    ),
    (
        "State Unitary Enterprise «Khojagii Manziliyu Kommunali»",
        1,
        "concern",
        "Without cost-recovery tariffs the networks keep decaying. Social protection "
        "should come from the budget, not from cross-subsidies between customers.",
        dt.date(2015, 7, 22),
    ),
    (
        "Dushanbe Institute of Water Engineering",
        2,
        "suggestion",
        "Water-quality data from district laboratories could be linked to the poverty "
        "map; our institute can help to compile them.",
        dt.date(2015, 7, 23),
    ),
    (
        "Oasis International",
        3,
        "suggestion",
        "Water user committees in pilot jamoats already publish their accounts and hold "
        "public hearings; the report could recommend this model nationally.",
        dt.date(2015, 7, 24),
    ),
    (
        "Antimonopoly Service under the Government",
        1,
        "question",
        "Which cost items would the proposed tariff methodology include, and how would "
        "it be reviewed each year?",
        dt.date(2015, 7, 27),
    ),
    (
        "Journalists' Association «Ekojurnalist»",
        3,
        "suggestion",
        "Publish the findings in Tajik and Russian, with district summaries that local "
        "media can use.",
        dt.date(2015, 7, 28),
    ),
]

# (endorsing organisation, index into COMMENTS)
ENDORSEMENTS = [
    ("Ministry of Health and Social Protection of Population", 1),
    ("Children First International", 1),
    ("Gender and Development Centre «Zan va Zamin»", 3),
    ("Consumers' Union of Tajikistan", 2),
    ("Aqua Solidarité", 6),
]

# (text, section index or None, supporting comment indexes, response, response note)
RECOMMENDATIONS = [
    (
        "Protect the poorest households when tariffs move towards cost recovery, through a "
        "lifeline block or targeted social assistance, and publish the tariff methodology.",
        1,
        [2, 4, 7],
        "partly",
        "The bank's follow-up note recommends targeted assistance through the social "
        "protection system; a lifeline block is left to the tariff methodology work.",
    ),
    (
        "Extend the diagnostic to water and sanitation in schools and health centres, and "
        "count the time women and girls spend fetching water as a social cost.",
        2,
        [1, 3],
        "taken_up",
        "A module on schools and health facilities was added to the final report.",
    ),
    (
        "Recommend user committees with public accounts and hearings as the national model "
        "of social accountability for rural water.",
        3,
        [6],
        "pending",
        "",
    ),
    (
        "Link the poverty map with water-quality data from district laboratories and "
        "publish district summaries in Tajik and Russian.",
        None,
        [5, 8],
        "taken_up",
        "District summaries were published with the final report in 2016.",
    ),
    (
        "Use the diagnostic in the national water sector strategy.",
        None,
        [0],
        "taken_up",
        "",
    ),
]

# (recommendation index, objecting organisation, reason)
DISSENT = [
    (
        0,
        "State Unitary Enterprise «Khojagii Manziliyu Kommunali»",
        "A lifeline block shifts the cost to other customers; social protection belongs in "
        "the state budget.",
    ),
]

SYNTHESIS_NOTE = (
    "The bank presented its draft at the network's special event of 21 July 2015. Member "
    "organisations commented section by section until 31 July; the secretariat grouped "
    "their comments into the recommendations below. The annex lists every comment."
)


def _received(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=TZ)


def load_consultations(network: Network | None = None) -> int:
    """Enter the poverty diagnostic consultation when missing; returns how many were added."""
    network = network or Network.objects.filter(slug="water-sanitation").first()
    if network is None or network.slug != "water-sanitation":
        return 0
    if Consultation.objects.filter(network=network, title=TITLE).exists():
        return 0
    owner = Organisation.objects.filter(name=OWNER).first()
    if owner is None:
        return 0
    by_name = {org.name: org for org in Organisation.objects.in_network(network)}
    with transaction.atomic():
        document = Document.objects.filter(network=network, url=REPORT_URL).first()
        if document is None:
            document = add_document(
                network,
                acting_user=None,
                title=TITLE + " (concept note)",
                kind="research",
                language="en",
                author_organisation=owner,
                date=dt.date(2015, 7, 1),
                url=REPORT_URL,
            )
        consultation = services.create_consultation(
            network,
            owner=owner,
            title=TITLE,
            description=(
                "The bank asks the network for coordinated feedback and recommendations on "
                "its diagnostic, to enhance the final report and its follow-up."
            ),
            opens=OPENS,
            closes=CLOSES,
            time_zone="Asia/Dushanbe",
            documents=[document],
            sections=[{"heading": heading, "body": body} for heading, body in SECTIONS],
            status="closed",
        )
        sections = list(consultation.sections.all())
        invited = services.invited_ids(consultation)
        comments = []
        for org_name, section, kind, text, day in COMMENTS:
            organisation = by_name.get(org_name)
            if organisation is None or organisation.pk not in invited:
                comments.append(None)
                continue
            comments.append(
                services.add_comment(
                    consultation,
                    section=sections[section],
                    organisation=organisation,
                    kind=kind,
                    text=text,
                    received_at=_received(day),
                )
            )
        for org_name, index in ENDORSEMENTS:
            organisation = by_name.get(org_name)
            target = comments[index]
            if organisation is None or target is None or organisation.pk not in invited:
                continue
            services.endorse_comment(
                target, organisation=organisation, received_at=_received(dt.date(2015, 7, 29))
            )
        recommendations = []
        for text, section, supporting, _response, _note in RECOMMENDATIONS:
            recommendations.append(
                services.create_recommendation(
                    consultation,
                    text=text,
                    section=sections[section] if section is not None else None,
                    comments=[comments[i] for i in supporting if comments[i] is not None],
                )
            )
        for index, org_name, reason in DISSENT:
            organisation = by_name.get(org_name)
            if organisation is not None and organisation.pk in invited:
                services.record_dissent(
                    recommendations[index], organisation=organisation, note=reason
                )
        services.publish_synthesis(consultation, note=SYNTHESIS_NOTE)
        Consultation.objects.filter(pk=consultation.pk).update(
            published_at=dt.datetime(2015, 8, 14, 10, 0, tzinfo=TZ)
        )
        for recommendation, (_t, _s, _c, response, note) in zip(
            recommendations, RECOMMENDATIONS, strict=True
        ):
            services.record_response(recommendation, response=response, note=note)
    return 1
