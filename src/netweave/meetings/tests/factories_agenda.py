"""Factories of the agenda part: agenda items and members' offers."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from netweave.meetings.models import AgendaItem, AgendaOffer
from netweave.meetings.tests.factories import MeetingFactory
from netweave.networks.tests.factories import NetworkFactory


def coming_meeting(network, **kwargs):
    """A meeting of ``network`` a week from now, three hours long, in Dushanbe time."""
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    kwargs.setdefault("start", start)
    kwargs.setdefault("end", kwargs["start"] + dt.timedelta(hours=3))
    return MeetingFactory(network=network, **kwargs)


def past_meeting(network, **kwargs):
    """A meeting of ``network`` a month ago (``MeetingFactory``'s dates run on with its
    sequence, so a long test run reaches the future)."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)
    kwargs.setdefault("start", start)
    kwargs.setdefault("end", kwargs["start"] + dt.timedelta(hours=3))
    return MeetingFactory(network=network, **kwargs)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    position = factory.Sequence(lambda n: n)
    kind = "presentation"
    duration_minutes = 20


class AgendaOfferFactory(DjangoModelFactory):
    class Meta:
        model = AgendaOffer

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory("netweave.directory.tests.factories.OrganisationFactory")
    title = factory.Sequence(lambda n: f"Offer {n}")
    kind = "showcase"
    duration_minutes = 20
    urgency = 1
