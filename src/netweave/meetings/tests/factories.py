from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from netweave.meetings.models import Attendance, Meeting
from netweave.networks.tests.factories import NetworkFactory


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Network meeting {n}")
    kind = "regular"
    start = factory.Sequence(
        lambda n: dt.datetime(2012, 1, 10, 9, tzinfo=dt.UTC) + dt.timedelta(days=90 * n)
    )
    end = factory.LazyAttribute(lambda m: m.start + dt.timedelta(hours=3))
    time_zone = "Asia/Dushanbe"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory("netweave.directory.tests.factories.PersonFactory")
    organisation = factory.LazyAttribute(lambda a: a.person.organisation)
    source = "import"
