"""A cached report is stale the moment anything it counts changes.

The report page caches the built report under the network's data version
(``networks.stats``); these tests prove that each kind of record a section counts, when
added, changed or deleted, gives the network a new version, and only that network.
"""

from __future__ import annotations

import pytest

from netweave.activities.tests.factories import (
    ContributionFactory,
    ExchangeRateFactory,
    JointActivityFactory,
)
from netweave.consultations.tests.factories import comment, make_consultation
from netweave.governance.models import Deliverable
from netweave.governance.tests.factories import make_group, make_request
from netweave.influence.tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    OutcomeFactory,
)
from netweave.networks.models import StageMilestone
from netweave.networks.stats import data_version

pytestmark = pytest.mark.django_db


def changes_version(personas, make):
    """``make()`` gives ``personas.network`` a new data version and leaves the other's alone."""
    here, there = data_version(personas.network), data_version(personas.other_network)
    result = make()
    assert data_version(personas.network) != here
    assert data_version(personas.other_network) == there
    return result


def test_every_record_a_report_counts_refreshes_the_version(personas):
    net = personas.network
    activity = changes_version(personas, lambda: JointActivityFactory(network=net))
    contribution = changes_version(
        personas, lambda: ContributionFactory(activity=activity, organisation=personas.org_a)
    )
    changes_version(personas, lambda: ExchangeRateFactory(network=net))
    group = changes_version(personas, lambda: make_group(personas))
    changes_version(
        personas, lambda: Deliverable.objects.create(task_group=group, title="Draft law")
    )
    changes_version(personas, lambda: make_request(personas))
    consultation = changes_version(personas, lambda: make_consultation(personas))
    changes_version(personas, lambda: comment(consultation, personas.org_a))
    outcome = changes_version(personas, lambda: OutcomeFactory(network=net))
    indicator = changes_version(personas, lambda: IndicatorFactory(network=net))
    changes_version(personas, lambda: IndicatorValueFactory(indicator=indicator))
    changes_version(
        personas,
        lambda: StageMilestone.objects.create(network=net, stage="formal", date="2014-01-01"),
    )

    def edit_outcome():
        outcome.substantiation = "yes"
        outcome.save()

    changes_version(personas, edit_outcome)
    changes_version(personas, contribution.delete)
