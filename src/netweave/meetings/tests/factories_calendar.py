from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from netweave.meetings.models import Invitation, Registration
from netweave.meetings.tests.factories import MeetingFactory


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory("netweave.directory.tests.factories.PersonFactory")


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory("netweave.directory.tests.factories.PersonFactory")
    response = "yes"
