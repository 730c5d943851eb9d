"""The outcome log, the outcome page and recording outcomes (pages and services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.activities.tests.factories import JointActivityFactory
from netweave.governance.tests.factories import make_group
from netweave.influence import services
from netweave.influence.models import Outcome
from netweave.influence.tests.factories import OutcomeFactory
from netweave.meetings.tests.factories import MeetingFactory
from netweave.networks.models import StageMilestone

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"influence:{name}", kwargs={"network": "testnet", **kwargs})


def form_data(**overrides) -> dict:
    data = {
        "title": "Drinking-water law adopted",
        "description": "Parliament adopted the law on drinking water with the network's wording.",
        "kind": "law",
        "actor_name": "Parliament",
        "date": "2010-12-20",
        "place": "Dushanbe",
        "significance": "The first law on drinking water.",
        "contribution": "The legislation task group drafted two articles.",
        "substantiation": "pending",
    }
    data.update(overrides)
    return data


# Services --------------------------------------------------------------------------------------
def test_record_outcome_with_links(personas):
    """An outcome keeps its actor, its links and a history row."""
    net = personas.network
    meeting = MeetingFactory(network=net)
    group = make_group(personas)
    activity = JointActivityFactory(network=net)
    outcome = services.record_outcome(
        net,
        acting_user=personas.fiona,
        title="Tariff methodology",
        description="The regulator adopted a tariff methodology.",
        kind="regulation",
        actor_organisation=personas.org_b,
        actor_name="ignored when an organisation is chosen",
        date=dt.date(2014, 3, 1),
        meetings=[meeting],
        task_groups=[group],
        activities=[activity],
    )
    assert outcome.actor == personas.org_b.name
    assert outcome.actor_name == ""
    assert list(outcome.meetings.all()) == [meeting]
    assert list(outcome.task_groups.all()) == [group]
    assert list(outcome.activities.all()) == [activity]
    assert outcome.recorded_by == personas.fiona
    assert outcome.history.count() == 1


def test_future_date_is_refused(personas):
    """A change cannot have happened tomorrow; nothing is saved."""
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            personas.network,
            title="Soon",
            description="Will change",
            kind="law",
            actor_name="Parliament",
            date=tomorrow,
            confirm=True,
        )
    assert "future" in caught.value.message_dict["date"][0]
    assert not Outcome.objects.exists()


def test_outcome_before_the_network_needs_confirmation(personas):
    """Dated before the network existed: refused with a warning unless confirmed."""
    net = personas.network  # launched 1 November 2009
    data = {
        "title": "Old change",
        "description": "d",
        "kind": "policy",
        "actor_name": "Ministry",
        "date": dt.date(2008, 5, 1),
    }
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(net, **data)
    assert caught.value.error_dict["date"][0].code == "unconfirmed"
    assert "before the network existed" in caught.value.message_dict["date"][0]
    assert not Outcome.objects.exists()
    outcome = services.record_outcome(net, confirm=True, **data)
    assert services.outcome_warnings(net, outcome.date)


def test_first_milestone_counts_as_the_start(personas):
    """An informal stage before the launch moves the network's start earlier."""
    net = personas.network
    StageMilestone.objects.create(network=net, stage="informal", date=dt.date(2008, 1, 1))
    assert services.network_started(net) == dt.date(2008, 1, 1)
    assert services.outcome_warnings(net, dt.date(2008, 5, 1)) == []
    assert services.outcome_warnings(net, dt.date(2007, 5, 1))


def test_links_to_another_networks_records_are_refused(personas):
    """A meeting, task group or activity of another network cannot be linked."""
    foreign = MeetingFactory(network=personas.other_network)
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            personas.network,
            title="t",
            description="d",
            kind="law",
            actor_name="P",
            date=dt.date(2012, 1, 1),
            meetings=[foreign],
            activities=[JointActivityFactory(network=personas.other_network)],
        )
    assert "not a meeting of this network" in caught.value.message_dict["meetings"][0]
    assert "activities" in caught.value.message_dict
    assert not Outcome.objects.exists()


def test_actor_and_substantiation_rules(personas):
    """An actor is needed; a substantiation other than pending names its source."""
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(
            personas.network,
            title="t",
            description="d",
            kind="law",
            date=dt.date(2012, 1, 1),
            substantiation="yes",
        )
    assert set(caught.value.message_dict) == {"actor_name", "substantiated_by"}


def test_update_keeps_links_not_given(personas):
    """Changing the text leaves the links as they were; a new date is checked again."""
    net = personas.network
    meeting = MeetingFactory(network=net)
    outcome = OutcomeFactory(network=net)
    outcome.meetings.add(meeting)
    services.update_outcome(outcome, {"title": "Renamed"}, acting_user=personas.fiona)
    outcome.refresh_from_db()
    assert outcome.title == "Renamed"
    assert list(outcome.meetings.all()) == [meeting]
    with pytest.raises(ValidationError):
        services.update_outcome(outcome, {"date": dt.date(2001, 1, 1)})
    outcome.refresh_from_db()
    assert outcome.date == dt.date(2013, 5, 1)


# Pages -----------------------------------------------------------------------------------------
def test_facilitator_records_an_outcome(client, personas):
    """The facilitator's form saves the outcome with its links and opens its page."""
    net = personas.network
    meeting = MeetingFactory(network=net, title="Roundtable on the draft law")
    client.force_login(personas.fiona)
    assert client.get(url("outcome_create")).status_code == 200
    response = client.post(
        url("outcome_create"),
        form_data(meetings=[meeting.pk], actor_organisation=personas.org_b.slug),
    )
    outcome = Outcome.objects.get()
    assert response.status_code == 302
    assert response["Location"] == outcome.get_absolute_url()
    assert outcome.actor_organisation == personas.org_b
    page = client.get(outcome.get_absolute_url())
    assert "Roundtable on the draft law" in page.content.decode()
    assert "Drinking-water law adopted" in page.content.decode()


def test_form_warns_and_asks_to_confirm_an_early_date(client, personas):
    """Before the network: the form warns, shows a confirmation box; confirmed, it saves."""
    client.force_login(personas.fiona)
    response = client.post(url("outcome_create"), form_data(date="2008-03-01"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "before the network existed" in page
    assert 'type="checkbox" name="confirm"' in page
    assert not Outcome.objects.exists()
    response = client.post(url("outcome_create"), form_data(date="2008-03-01", confirm="on"))
    assert response.status_code == 302
    assert Outcome.objects.get().date == dt.date(2008, 3, 1)


def test_form_refuses_a_future_date(client, personas):
    """A date in the future gets a clear message and nothing is saved."""
    client.force_login(personas.fiona)
    later = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url("outcome_create"), form_data(date=later, confirm="on"))
    assert "cannot be in the future" in response.content.decode()
    assert not Outcome.objects.exists()


def test_form_refuses_another_networks_meeting(client, personas):
    """A forged id of another network's meeting is not a valid choice."""
    foreign = MeetingFactory(network=personas.other_network)
    client.force_login(personas.fiona)
    response = client.post(url("outcome_create"), form_data(meetings=[foreign.pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Outcome.objects.exists()


def test_facilitator_edits_an_outcome(client, personas):
    """The edit form shows the outcome and saves the change."""
    outcome = OutcomeFactory(network=personas.network, title="Before")
    client.force_login(personas.fiona)
    edit = url("outcome_edit", uid=outcome.uid)
    assert "Before" in client.get(edit).content.decode()
    response = client.post(edit, form_data(title="After", date="2013-05-01"))
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.title == "After"
    assert outcome.history.count() == 2


@pytest.mark.parametrize("who", ["alice", "sam", "olga"])
def test_only_the_facilitator_records_outcomes(client, personas, who):
    """Focal points, steering members and observers read but cannot record or edit."""
    outcome = OutcomeFactory(network=personas.network)
    client.force_login(getattr(personas, who))
    assert client.get(url("outcome_list")).status_code == 200
    assert client.get(url("outcome_detail", uid=outcome.uid)).status_code == 200
    assert client.get(url("outcome_create")).status_code == 403
    assert client.post(url("outcome_create"), form_data()).status_code == 403
    assert client.post(url("outcome_edit", uid=outcome.uid), form_data()).status_code == 403
    assert Outcome.objects.count() == 1


def test_other_networks_facilitator_gets_404(client, personas):
    """Another network's facilitator finds neither the log nor an outcome."""
    outcome = OutcomeFactory(network=personas.network)
    client.force_login(personas.frank)
    assert client.get(url("outcome_list")).status_code == 404
    assert client.get(url("outcome_detail", uid=outcome.uid)).status_code == 404
    assert client.post(url("outcome_create"), form_data()).status_code == 404


def test_outcome_of_another_network_is_missing(client, personas):
    """An outcome is found only under its own network's address."""
    foreign = OutcomeFactory(network=personas.other_network)
    client.force_login(personas.fiona)
    assert client.get(url("outcome_detail", uid=foreign.uid)).status_code == 404
    assert client.get(url("outcome_edit", uid=foreign.uid)).status_code == 404


def test_public_network_needs_a_role(client, personas):
    """On a public network, signed-in people without a role are refused the log."""
    personas.network.visibility = "public"
    personas.network.save()
    client.force_login(personas.charlie)
    assert client.get(url("outcome_list")).status_code == 403


def test_log_filters_and_milestones(client, personas):
    """Filters by kind, year and substantiation; milestones sit between the outcomes."""
    net = personas.network
    StageMilestone.objects.create(
        network=net, stage="formal", date=dt.date(2012, 3, 14), note="Terms adopted"
    )
    OutcomeFactory(network=net, title="Law of 2010", kind="law", date=dt.date(2010, 12, 1))
    OutcomeFactory(
        network=net,
        title="Targets of 2013",
        kind="policy",
        date=dt.date(2013, 5, 22),
        substantiation="yes",
        substantiated_by="Ministry of Health",
    )
    client.force_login(personas.sam)
    page = client.get(url("outcome_list")).content.decode()
    log = page[page.index('id="log-heading"') :]
    assert log.index("Targets of 2013") < log.index("The network becomes Formal")
    assert log.index("The network becomes Formal") < log.index("Law of 2010")
    assert "<svg" in page  # the stage timeline
    assert "Law of 2010" not in client.get(url("outcome_list"), {"kind": "policy"}).content.decode()
    by_year = client.get(url("outcome_list"), {"year": "2010"}).content.decode()
    assert "Law of 2010" in by_year and "Targets of 2013" not in by_year
    assert "The network becomes" not in by_year  # milestones only in the full log
    yes = client.get(url("outcome_list"), {"substantiation": "yes"}).content.decode()
    assert "Targets of 2013" in yes and "Law of 2010" not in yes


def _outcomes(personas, count: int) -> None:
    net = personas.network
    meetings = [MeetingFactory(network=net) for _ in range(3)]
    for i in range(count):
        outcome = OutcomeFactory(network=net, actor_organisation=personas.org_a if i % 2 else None)
        outcome.meetings.set(meetings)


@pytest.mark.parametrize("count", [1, 30])
def test_log_query_count_is_constant(client, personas, count, django_assert_max_num_queries):
    """The log costs the same number of queries for 1 outcome and for 30."""
    _outcomes(personas, count)
    client.force_login(personas.sam)
    # session, user, network, roles, outcomes with actors, milestones
    with django_assert_max_num_queries(7):
        response = client.get(url("outcome_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_outcome_page_query_count_is_constant(
    client, personas, count, django_assert_max_num_queries
):
    """An outcome's page with 1 or 20 linked meetings costs the same."""
    net = personas.network
    outcome = OutcomeFactory(network=net)
    outcome.meetings.set([MeetingFactory(network=net) for _ in range(count)])
    client.force_login(personas.fiona)
    # session, user, network, roles, outcome, 4 link lists, milestones (warning), history
    with django_assert_max_num_queries(13):
        response = client.get(url("outcome_detail", uid=outcome.uid))
    assert response.status_code == 200


class TestCsrf:
    """With CSRF checks on, a post without the token is refused."""

    def test_post_without_token_is_refused(self, personas):
        """The outcome form refuses a cross-site post."""
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.fiona)
        response = client.post(url("outcome_create"), form_data())
        assert response.status_code == 403
        assert not Outcome.objects.exists()
