from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from netweave.activities.models import Contribution, ExchangeRate, JointActivity, Participation
from netweave.networks.tests.factories import NetworkFactory


class JointActivityFactory(DjangoModelFactory):
    class Meta:
        model = JointActivity

    network = factory.SubFactory(NetworkFactory)
    kind = "research"
    title = factory.Sequence(lambda n: f"Activity {n}")
    start = dt.date(2012, 1, 1)
    status = "ongoing"


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(JointActivityFactory)
    role = "lead"


class ContributionFactory(DjangoModelFactory):
    class Meta:
        model = Contribution

    activity = factory.SubFactory(JointActivityFactory)
    kind = "money"
    amount = "1000.00"
    currency = "USD"
    year = 2012


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    network = factory.SubFactory(NetworkFactory)
    year = 2012
    currency = "EUR"
    rate = "1.25"
