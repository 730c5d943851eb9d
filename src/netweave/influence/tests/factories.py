"""Factories of outcomes and indicators for the influence tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from netweave.influence.models import Indicator, IndicatorTarget, IndicatorValue, Outcome
from netweave.networks.tests.factories import NetworkFactory


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Outcome {n}")
    description = "The ministry adopted the methodology."
    kind = "policy"
    actor_name = "Ministry of Finance"
    date = dt.date(2013, 5, 1)
    substantiation = "pending"


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    source = "entered"
    computation = ""


class IndicatorTargetFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2014
    value = Decimal("10")


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2014
    value = Decimal("8")
