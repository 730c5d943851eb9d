"""Demo meetings, loaded through the meeting services.

- water-sanitation: quarterly network meetings from 2010 to 2016 in Dushanbe, hosted in
  turn by members, with skewed attendance (a core of active organisations, many occasional
  ones, growing with the membership), agendas on members' topics, minutes with decisions and
  action items followed up at the next meeting (most done, a few still open and overdue);
  and the special event of 21 July 2015 where the development bank presented its poverty
  diagnostic of the sector and asked for coordinated feedback.
- food-security: coffee meetings in 2011–2012 (four to eight people) that became
  roundtables in 2013 and regular network meetings from 2014.
- water-sanitation's governance: the steering committee meets twice a year from 2024 (one
  meeting short of its quorum, one still to come), and each task group has its kick-off and
  follow-up meetings; each meeting belongs to its body or task group.

``load_meetings(network)`` is deterministic and idempotent: a meeting that exists (by
title) is left as it is, so running the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from netweave.directory.models import Organisation, OrganisationInterest, Person, Topic
from netweave.governance.models import Body, BodyKind, TaskGroup, TaskGroupMember
from netweave.meetings.models import AgendaItemKind, AttendanceSource, Meeting
from netweave.meetings.services import (
    add_agenda_item,
    add_decision,
    create_action_item,
    create_meeting,
    offer_item,
    record_attendance,
    save_minutes,
    set_action_status,
    sync_follow_ups,
)
from netweave.networks.models import Membership, Network

SEED = 2010
DEVELOPMENT_BANK = "Global Reconstruction and Development Bank"
DIAGNOSTIC = (
    "Poverty Diagnostic and Social Impact Assessment of the Water Supply and Sanitation Sector"
)


@dataclass(frozen=True)
class MeetingPlan:
    title: str
    kind: str
    day: dt.date
    hour: int
    hours: int
    venue: str
    size: tuple[int, int] | None = None  # a fixed range of people (coffee meetings)
    turnout: float = 1.0  # scales every organisation's chance of coming


class _Members:
    """Member organisations over time, their people, topics and how active they are."""

    def __init__(self, network: Network, rng: random.Random) -> None:
        self.periods: list[tuple[int, dt.date, dt.date | None]] = list(
            Membership.objects.filter(network=network)
            .order_by("joined", "organisation__name", "pk")
            .values_list("organisation_id", "joined", "left")
        )
        ids = sorted({org for org, _joined, _left in self.periods})
        self.organisations = Organisation.objects.in_bulk(ids)
        self.people: dict[int, list[Person]] = defaultdict(list)
        for person in Person.objects.filter(organisation_id__in=ids).order_by("name", "pk"):
            self.people[person.organisation_id].append(person)
        self.topics: dict[int, list[Topic]] = defaultdict(list)
        interests = OrganisationInterest.objects.filter(organisation_id__in=ids).select_related(
            "topic"
        )
        for interest in interests.order_by("organisation_id", "topic__name"):
            self.topics[interest.organisation_id].append(interest.topic)
        # A core of about one in five comes nearly always; most come now and then.
        self.activity: dict[int, float] = {}
        for org_id in ids:
            draw = rng.random()
            self.activity[org_id] = 0.85 if draw < 0.2 else 0.45 if draw < 0.5 else 0.15

    def on(self, day: dt.date) -> list[int]:
        """Organisations that were members on ``day``, with someone to send."""
        return [
            org
            for org, joined, left in self.periods
            if joined <= day and (left is None or left > day) and self.people.get(org)
        ]

    def current(self, orgs: list[int]) -> list[int]:
        """Those of ``orgs`` that are members today (presenters and owners must be)."""
        open_ = {org for org, _joined, left in self.periods if left is None}
        return [org for org in orgs if org in open_]

    def core(self, day: dt.date) -> list[int]:
        return [org for org in self.on(day) if self.activity[org] >= 0.8]


# What a meeting may decide, and the action that carries each decision out.
DECISIONS = {
    "The next meeting focuses on one shared topic chosen by members' votes.": (
        "Run the members' vote on the next meeting's topic"
    ),
    "A task group drafts a joint position for the sector coordination council.": (
        "Draft the joint position for the sector coordination council"
    ),
    "Members share their monitoring data with the secretariat every quarter.": (
        "Collect the members' monitoring data for the quarter"
    ),
    "The network publishes a short brief of this meeting's presentations.": (
        "Publish the brief of this meeting's presentations"
    ),
    "Members who host field visits open them to the whole network.": (
        "Circulate the calendar of members' field visits"
    ),
}

# The next meeting, still being planned: members have offered items for its agenda, so the
# agenda builder has something to choose from.
NEXT_MEETING = "Network meeting Q1 2027"
NEXT_MEETING_DAY = dt.date(2027, 3, 18)
OFFERS = [
    (
        "Tariff methodology: one year of experience in three districts",
        "presentation",
        30,
        2,
        ["tariffs"],
    ),
    (
        "Our rural water pilot: what the handpump data show",
        "showcase",
        20,
        1,
        ["rural-water-supply", "operation-and-maintenance"],
    ),
    (
        "Raise an issue: water quality testing in schools",
        "discussion",
        25,
        3,
        ["water-quality", "hygiene-promotion"],
    ),
    ("Gender balance in water user associations", "discussion", 20, 1, ["gender-and-inclusion"]),
    (
        "Climate-resilient water supply: a draft checklist",
        "presentation",
        25,
        2,
        ["climate-resilience"],
    ),
    (
        "Financing operation and maintenance after donor projects end",
        "discussion",
        30,
        2,
        ["financing", "operation-and-maintenance"],
    ),
]


def load_meetings(network: Network) -> int:
    """Add the demo meetings of ``network`` that do not exist yet; returns how many."""
    plans = {"water-sanitation": _water_plans, "food-security": _food_plans}.get(network.slug)
    if plans is None:
        return 0
    existing = set(Meeting.objects.filter(network=network).values_list("title", flat=True))
    todo = [plan for plan in plans() if plan.title not in existing]
    added = load_governance_meetings(network)
    if not todo:
        return added
    rng = random.Random(f"{SEED}-{network.slug}")  # noqa: S311 — demo data, not secrets
    zone = "Asia/Dushanbe" if network.slug == "water-sanitation" else "Asia/Yerevan"
    with transaction.atomic():
        members = _Members(network, rng)
        for plan in todo:
            _hold(network, plan, members, rng, zone)
    return len(todo) + added


def load_next_meeting(network: Network) -> Meeting | None:
    """The water network's next meeting with members' offers; idempotent."""
    if network.slug != "water-sanitation":
        return None
    meeting = Meeting.objects.filter(network=network, title=NEXT_MEETING).first()
    if meeting is not None:
        return meeting
    zone = ZoneInfo("Asia/Dushanbe")
    day = NEXT_MEETING_DAY
    start = dt.datetime(day.year, day.month, day.day, 10, tzinfo=zone)
    with transaction.atomic():
        meeting = create_meeting(
            network,
            {
                "title": NEXT_MEETING,
                "kind": "regular",
                "start": start,
                "end": start + dt.timedelta(hours=3),
                "time_zone": "Asia/Dushanbe",
                "venue": "Conference room, Ministry of Energy and Water Resources, Dushanbe",
                "languages": "tg, ru, en",
                "visibility": "members",
            },
        )
        members = list(
            Organisation.objects.in_network(network).order_by("name").values_list("pk", flat=True)
        )
        topics = {topic.slug: topic for topic in Topic.objects.all()}
        for index, (title, kind, minutes, urgency, slugs) in enumerate(OFFERS):
            organisation = Organisation.objects.get(pk=members[(index * 11) % len(members)])
            offer_item(
                network,
                {"title": title, "kind": kind, "duration_minutes": minutes, "urgency": urgency},
                organisation=organisation,
                meeting=meeting,
                topics=[topics[slug] for slug in slugs if slug in topics],
            )
    return meeting


# Plans -------------------------------------------------------------------------------------


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _water_plans() -> list[MeetingPlan]:
    plans = []
    for year in range(2010, 2017):
        for quarter, month in enumerate((3, 6, 9, 12), start=1):
            day = _weekday_on_or_after(dt.date(year, month, 15), 3)  # a Thursday
            plans.append(
                MeetingPlan(
                    title=f"Network meeting Q{quarter} {year}",
                    kind="regular",
                    day=day,
                    hour=10,
                    hours=3,
                    venue="",
                )
            )
    plans.append(
        MeetingPlan(
            title="Special event: " + DIAGNOSTIC,
            kind="special_event",
            day=dt.date(2015, 7, 21),
            hour=9,
            hours=4,
            venue="Conference hall, Hotel Tajikistan, Dushanbe",
            turnout=2.2,
        )
    )
    return sorted(plans, key=lambda p: p.day)


def _food_plans() -> list[MeetingPlan]:
    plans = []
    for year in (2011, 2012):
        for month in (3, 5, 7, 9, 11):
            if (year, month) < (2011, 3):
                continue
            plans.append(
                MeetingPlan(
                    title=f"Coffee meeting {dt.date(year, month, 1):%B %Y}",
                    kind="coffee",
                    day=_weekday_on_or_after(dt.date(year, month, 10), 3),
                    hour=9,
                    hours=1,
                    venue="Café Artbridge, Abovyan Street, Yerevan",
                    size=(4, 8),
                )
            )
    for quarter, month in enumerate((3, 6, 9, 12), start=1):
        plans.append(
            MeetingPlan(
                title=f"Roundtable Q{quarter} 2013",
                kind="roundtable",
                day=_weekday_on_or_after(dt.date(2013, month, 12), 2),
                hour=10,
                hours=2,
                venue="",
                turnout=1.5,
            )
        )
    for year in (2014, 2015, 2016):
        for quarter, month in enumerate((3, 6, 9, 12), start=1):
            plans.append(
                MeetingPlan(
                    title=f"Network meeting Q{quarter} {year}",
                    kind="regular",
                    day=_weekday_on_or_after(dt.date(year, month, 12), 2),
                    hour=10,
                    hours=3,
                    venue="",
                    turnout=2.0,
                )
            )
    return plans


# One meeting -------------------------------------------------------------------------------


def _hold(
    network: Network, plan: MeetingPlan, members: _Members, rng: random.Random, zone: str
) -> None:
    on = members.on(plan.day)
    if not on:
        return
    bank = next((o for o in members.organisations.values() if o.name == DEVELOPMENT_BANK), None)
    special = plan.kind == "special_event" and bank is not None
    hosts = members.current(members.core(plan.day)) or members.current(on)
    host = members.organisations[bank.pk if special else rng.choice(hosts)]
    venue = plan.venue or f"{host.display_name}, {'Dushanbe' if 'Dushanbe' in zone else 'Yerevan'}"
    start = dt.datetime(
        plan.day.year, plan.day.month, plan.day.day, plan.hour, tzinfo=ZoneInfo(zone)
    )
    meeting = create_meeting(
        network,
        {
            "title": plan.title,
            "kind": plan.kind,
            "start": start,
            "end": start + dt.timedelta(hours=plan.hours),
            "time_zone": zone,
            "venue": venue,
            "host": host,
            "languages": "tg, ru, en" if "Dushanbe" in zone else "hy, en",
            "visibility": "public" if special else "members",
        },
    )
    # What was still open from earlier meetings is followed up first.
    for item in sync_follow_ups(meeting, as_of=meeting.start):
        action = item.action_item
        draw = rng.random()
        late = plan.day.year >= 2015
        if draw < (0.6 if late else 0.85):
            set_action_status(action, "done")
        elif draw < (0.7 if late else 0.95):
            set_action_status(action, "dropped")
        elif late and draw < 0.8:
            set_action_status(action, "in_progress")
    attending = _attendance(meeting, plan, members, rng, on, host.pk)
    _agenda(meeting, plan, members, rng, attending, host.pk, bank if special else None)
    _minutes(meeting, plan, members, rng, attending, bank if special else None)


def _attendance(
    meeting: Meeting,
    plan: MeetingPlan,
    members: _Members,
    rng: random.Random,
    on: list[int],
    host_id: int,
) -> list[int]:
    """Record who came; returns the organisations present, in the order they signed in."""
    if plan.size is not None:
        # A coffee meeting: a handful of people, mostly from the most active organisations.
        orgs = sorted(on, key=lambda org: -members.activity[org] * rng.random())
        wanted = rng.randint(*plan.size)
    else:
        chance = {org: min(0.95, members.activity[org] * plan.turnout) for org in on}
        orgs = [org for org in on if org == host_id or rng.random() < chance[org]]
        wanted = None
    present: list[int] = []
    count = 0
    for org in orgs:
        staff = members.people[org]
        # Core organisations often send two people; the others their representative.
        two = members.activity[org] >= 0.8 and len(staff) > 1 and rng.random() < 0.5
        for person in staff[: 2 if two else 1]:
            if wanted is not None and count >= wanted:
                return present
            record_attendance(meeting, person, source=AttendanceSource.IMPORT, invited=True)
            count += 1
            if org not in present:
                present.append(org)
    return present


def _agenda(
    meeting: Meeting,
    plan: MeetingPlan,
    members: _Members,
    rng: random.Random,
    attending: list[int],
    host_id: int,
    bank: Organisation | None,
) -> None:
    if bank is not None:
        topics = members.topics.get(bank.pk, [])
        add_agenda_item(
            meeting,
            {
                "title": f"{DIAGNOSTIC}: findings",
                "kind": AgendaItemKind.PRESENTATION,
                "duration_minutes": 60,
                "presenter_organisation": bank,
                "presenter_person": (members.people.get(bank.pk) or [None])[0],
                "description": "The bank presents its diagnostic of who the sector's "
                "services reach and miss, and what reforms would mean for poor households.",
            },
            topics=topics,
        )
        add_agenda_item(
            meeting,
            {
                "title": "Coordinated feedback from the network on the diagnostic",
                "kind": AgendaItemKind.CONSULTATION,
                "duration_minutes": 90,
                "description": "Members comment by theme; the secretariat consolidates the "
                "comments into one response from the network.",
            },
            topics=topics,
        )
        return
    if plan.kind == "coffee":
        add_agenda_item(
            meeting,
            {"title": "News from members", "kind": AgendaItemKind.DISCUSSION},
        )
        return
    presenters = [org for org in members.current(attending) if members.topics.get(org)]
    rng.shuffle(presenters)
    for org in presenters[: rng.randint(2, 3)]:
        topic = rng.choice(members.topics[org])
        organisation = members.organisations[org]
        kind = rng.choice((AgendaItemKind.SHOWCASE, AgendaItemKind.PRESENTATION))
        add_agenda_item(
            meeting,
            {
                "title": f"{topic.name}: {organisation.acronym or organisation.name}'s work",
                "kind": kind,
                "duration_minutes": rng.choice((15, 20, 30)),
                "presenter_organisation": organisation,
            },
            topics=[topic],
        )
    add_agenda_item(
        meeting,
        {
            "title": "Any other business",
            "kind": AgendaItemKind.DISCUSSION,
            "duration_minutes": 15,
        },
    )


def _minutes(
    meeting: Meeting,
    plan: MeetingPlan,
    members: _Members,
    rng: random.Random,
    attending: list[int],
    bank: Organisation | None,
) -> None:
    present = len(attending)
    if bank is not None:
        save_minutes(
            meeting,
            text=(
                f"<p>{bank.name} presented the draft {DIAGNOSTIC}. Members welcomed the "
                "attention to poor and rural households and asked for the data by region.</p>"
                "<p>Members agreed to send one coordinated response rather than separate "
                "letters.</p>"
            ),
            published=True,
        )
        decision = add_decision(
            meeting,
            text="The network sends the bank one coordinated response on the diagnostic, "
            "consolidated by the secretariat.",
        )
        owner = next((org for org in members.current(attending) if org != bank.pk), None)
        if owner is not None:
            create_action_item(
                meeting,
                {
                    "title": "Consolidate members' comments and send the network's response "
                    "to the bank",
                    "owner_organisation": members.organisations[owner],
                    "due": dt.date(2015, 9, 15),
                    "decision": decision,
                },
            )
        return
    if plan.kind == "coffee":
        save_minutes(
            meeting,
            text=f"<p>{present} organisations met informally and shared news.</p>",
            published=True,
        )
        return
    save_minutes(
        meeting,
        text=(
            f"<p>{present} member organisations took part. Presenters shared their work; "
            "members discussed how to follow up together.</p>"
        ),
        published=True,
    )
    decisions = [
        add_decision(meeting, text=text)
        for text in rng.sample(
            list(DECISIONS),
            rng.randint(1, 2),
        )
    ]
    owners = members.current(attending)
    for decision in decisions:
        if not owners:
            break
        owner = members.organisations[rng.choice(owners)]
        create_action_item(
            meeting,
            {
                "title": DECISIONS[decision.text],
                "owner_organisation": owner,
                "owner_person": (members.people.get(owner.pk) or [None])[0],
                "due": plan.day + dt.timedelta(days=rng.choice((30, 45, 60))),
                "decision": decision,
            },
        )


# The steering committee's and the task groups' meetings --------------------------------------
DUSHANBE = "Asia/Dushanbe"
STEERING_DAYS = [
    dt.date(2024, 2, 15),
    dt.date(2024, 9, 12),
    dt.date(2025, 2, 13),
    dt.date(2025, 9, 11),
    dt.date(2026, 2, 12),
    dt.date(2026, 9, 10),
    dt.date(2027, 2, 11),  # still to come
]
SHORT_OF_QUORUM = dt.date(2025, 9, 11)  # several seats sent nobody that day
# Months after a task group's start when it meets: kick-off, then follow-ups.
TASK_GROUP_MONTHS = [0, 3, 6, 12]
# Groups with an open deliverable meet again; these meetings are still to come.
TASK_GROUP_NEXT = {
    "Legislation": dt.date(2027, 1, 21),
    "Tariffs": dt.date(2027, 2, 4),
}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def _governance_meeting(
    network: Network, *, title: str, kind: str, day: dt.date, venue: str, **owner: object
) -> Meeting:
    start = dt.datetime(day.year, day.month, day.day, 14, tzinfo=ZoneInfo(DUSHANBE))
    return create_meeting(
        network,
        {
            "title": title,
            "kind": kind,
            "start": start,
            "end": start + dt.timedelta(hours=2),
            "time_zone": DUSHANBE,
            "venue": venue,
            "languages": "tg, ru",
            "visibility": "members",
            **owner,
        },
    )


def _steering_title(day: dt.date) -> str:
    return f"Steering committee meeting {day:%B %Y}"


def _task_group_title(group: TaskGroup, day: dt.date, first: bool) -> str:
    what = "kick-off" if first else "meeting"
    return f"{group.name} task group {what} {day:%B %Y}"


def load_governance_meetings(network: Network) -> int:
    """The water network's steering committee and task group meetings; returns how many were
    added. Meetings that exist (by title) are only linked to their body or task group."""
    if network.slug != "water-sanitation":
        return 0
    existing = {m.title: m for m in Meeting.objects.filter(network=network)}
    added = 0
    now = timezone.now()
    with transaction.atomic():
        body = Body.objects.filter(network=network, kind=BodyKind.STEERING).first()
        if body is not None:
            seats = list(body.seats.select_related("organisation", "person").order_by("id"))
            for index, day in enumerate(STEERING_DAYS):
                title = _steering_title(day)
                if title in existing:
                    _link(existing[title], body=body)
                    continue
                meeting = _governance_meeting(
                    network,
                    title=title,
                    kind="steering",
                    day=day,
                    venue="Ministry of Energy and Water Resources, Dushanbe",
                    body=body,
                )
                added += 1
                if meeting.start > now:
                    continue
                for position, seat in enumerate(seats):
                    held = (seat.start is None or seat.start <= day) and (
                        seat.end is None or seat.end >= day
                    )
                    absent = (position + index) % 4 == 0 or (
                        day == SHORT_OF_QUORUM and position % 2 == 1
                    )
                    if held and (seat.chair or not absent):  # the chair always comes
                        _attend(meeting, seat.organisation, seat.person)
        groups = TaskGroup.objects.filter(network=network).select_related("lead").order_by("name")
        for group in groups:
            if group.start is None:
                continue
            members = list(
                TaskGroupMember.objects.filter(task_group=group)
                .select_related("organisation")
                .prefetch_related("people")
                .order_by("organisation__name")
            )
            days = [_add_months(group.start, months) for months in TASK_GROUP_MONTHS]
            if group.name in TASK_GROUP_NEXT:
                days.append(TASK_GROUP_NEXT[group.name])
            for index, day in enumerate(days):
                title = _task_group_title(group, day, first=index == 0)
                if title in existing:
                    _link(existing[title], task_group=group)
                    continue
                meeting = _governance_meeting(
                    network,
                    title=title,
                    kind="task_group",
                    day=day,
                    venue=f"{group.lead.display_name}, Dushanbe",
                    host=group.lead,
                    task_group=group,
                )
                added += 1
                if meeting.start > now:
                    continue
                for position, member in enumerate(members):
                    lead = member.organisation_id == group.lead_id
                    if lead or (position + index) % 3:
                        people = list(member.people.all())
                        _attend(meeting, member.organisation, people[0] if people else None)
    return added


def _attend(meeting: Meeting, organisation: Organisation, person: Person | None) -> None:
    person = person or organisation.people.order_by("name", "pk").first()
    if person is not None:
        record_attendance(
            meeting, person, organisation=organisation, source=AttendanceSource.IMPORT
        )


def _link(meeting: Meeting, **owner: object) -> None:
    """Give a meeting loaded before meetings had owners its body or task group."""
    changes = {key: value for key, value in owner.items() if getattr(meeting, f"{key}_id") is None}
    if changes:
        Meeting.objects.filter(pk=meeting.pk).update(**changes)
