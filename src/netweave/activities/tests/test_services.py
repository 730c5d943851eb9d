from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from netweave.activities import services
from netweave.activities.currencies import is_currency
from netweave.activities.models import Contribution, ExchangeRate, JointActivity, Participation
from netweave.directory.tests.factories import OrganisationFactory
from netweave.governance.services import create_task_group


@pytest.fixture
def activity(personas):
    return services.create_activity(
        personas.network, kind="research", title="Tariff study", lead=personas.org_a
    )


def test_create_activity_makes_the_lead_a_participant(personas):
    """A new activity's lead organisation takes part in it as lead."""
    activity = services.create_activity(
        personas.network,
        kind="pilot",
        title="  Water safety plans ",
        start=dt.date(2012, 1, 1),
        lead=personas.org_a,
    )
    assert activity.title == "Water safety plans"
    assert list(activity.participations.values_list("organisation", "role")) == [
        (personas.org_a.pk, "lead")
    ]


def test_create_activity_refuses_an_outsider_lead(personas):
    """A lead that is not a member is refused on the field and nothing is saved."""
    outsider = OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        services.create_activity(personas.network, kind="pilot", title="X", lead=outsider)
    assert "lead" in caught.value.message_dict
    assert not JointActivity.objects.exists()


def test_create_activity_refuses_end_before_start(personas):
    """An end before the start is refused on the end field."""
    with pytest.raises(ValidationError) as caught:
        services.create_activity(
            personas.network,
            kind="pilot",
            title="X",
            start=dt.date(2012, 5, 1),
            end=dt.date(2012, 1, 1),
        )
    assert "end" in caught.value.message_dict


def test_create_activity_refuses_another_networks_task_group(personas):
    """A task group of another network cannot be the activity's origin."""
    other_org = OrganisationFactory()
    from netweave.networks.tests.factories import MembershipFactory

    MembershipFactory(network=personas.other_network, organisation=other_org)
    group = create_task_group(personas.other_network, name="Tariffs", lead=other_org)
    with pytest.raises(ValidationError) as caught:
        services.create_activity(personas.network, kind="pilot", title="X", task_group=group)
    assert "task_group" in caught.value.message_dict


def test_participation_of_an_outsider_is_refused(personas, activity):
    """An organisation outside the network cannot take part."""
    with pytest.raises(ValidationError) as caught:
        services.add_participation(activity, organisation=OrganisationFactory(), role="funder")
    assert "organisation" in caught.value.message_dict
    assert activity.participations.count() == 1


def test_participation_twice_in_the_same_role_is_refused(personas, activity):
    """The same organisation in the same role twice is refused with a message."""
    with pytest.raises(ValidationError) as caught:
        services.add_participation(activity, organisation=personas.org_a, role="lead")
    assert "organisation" in caught.value.message_dict


def test_contribution_records_the_funder_as_participant(personas, activity):
    """A contribution from a member that does not yet take part adds it as funder."""
    contribution = services.add_contribution(
        activity, organisation=personas.org_b, amount="1500.50", currency="eur", year=2012
    )
    assert contribution.amount == Decimal("1500.50")
    assert contribution.currency == "EUR"
    assert Participation.objects.filter(
        activity=activity, organisation=personas.org_b, role="funder"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"year": "last year"}, "year"),
        ({"kind": "in_kind"}, "description"),
        ({"kind": "shares"}, "kind"),
    ],
)
def test_bad_contribution_is_refused_on_its_field(personas, activity, changes, field):
    """Negative, non-numeric or float amounts, unknown currencies … are refused, unsaved."""
    values = {
        "organisation": personas.org_b,
        "amount": "100",
        "currency": "USD",
        "year": 2012,
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        services.add_contribution(activity, **values)
    assert field in caught.value.message_dict
    assert not Contribution.objects.exists()
    assert not Participation.objects.filter(organisation=personas.org_b).exists()


def test_contribution_of_an_outsider_is_refused(personas, activity):
    """An organisation outside the network cannot contribute."""
    with pytest.raises(ValidationError) as caught:
        services.add_contribution(
            activity, organisation=OrganisationFactory(), amount="1", currency="USD", year=2012
        )
    assert "organisation" in caught.value.message_dict


def test_in_kind_contribution_keeps_its_description(personas, activity):
    """In kind, the amount is the estimated value and the description says what is given."""
    contribution = services.add_contribution(
        activity,
        organisation=personas.org_a,
        kind="in_kind",
        amount="2000",
        currency="TJS",
        year=2013,
        description="Laboratory time",
    )
    assert (contribution.kind, contribution.description) == ("in_kind", "Laboratory time")


def test_exchange_rate_is_entered_and_corrected(personas):
    """Entering a rate again for the same year and currency corrects it."""
    services.set_exchange_rate(personas.network, year=2012, currency="EUR", rate="1.25")
    services.set_exchange_rate(personas.network, year="2012", currency="eur", rate="1.30000001")
    assert list(ExchangeRate.objects.values_list("year", "currency", "rate")) == [
        (2012, "EUR", Decimal("1.30000001"))
    ]


@pytest.mark.parametrize("rate", ["0", "-1", "abc", "1.123456789"])
def test_bad_exchange_rate_is_refused(personas, rate):
    """A rate must be a positive number with at most eight decimals."""
    with pytest.raises(ValidationError) as caught:
        services.set_exchange_rate(personas.network, year=2012, currency="EUR", rate=rate)
    assert "rate" in caught.value.message_dict
    assert not ExchangeRate.objects.exists()


def test_reporting_currency_defaults_to_usd_and_can_change(personas):
    """The reporting currency is USD until a facilitator sets another, checked against ISO 4217."""
    assert services.reporting_currency_of(personas.network) == "USD"
    services.set_reporting_currency(personas.network, "chf")
    assert services.reporting_currency_of(personas.network) == "CHF"
    with pytest.raises(ValidationError):
        services.set_reporting_currency(personas.network, "ABC")


def test_currency_list_holds_active_codes_only():
    """The shipped ISO 4217 list knows the demo's currencies and not made-up or retired ones."""
    assert all(is_currency(code) for code in ("USD", "EUR", "CHF", "TJS"))
    assert not any(is_currency(code) for code in ("XYZ", "DEM", "usd", ""))


def test_update_activity_refuses_bad_values_and_keeps_the_old(personas, activity):
    """A refused edit leaves the stored activity as it was."""
    with pytest.raises(ValidationError):
        services.update_activity(activity, {"title": "New", "status": "finished"})
    activity.refresh_from_db()
    assert activity.title == "Tariff study"


def test_output_needs_a_link_or_a_valid_file(personas, activity):
    """An output is a link, or a PDF/.docx checked by content."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as caught:
        services.add_activity_output(activity, title="Report")
    assert "url" in caught.value.message_dict
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError) as caught:
        services.add_activity_output(activity, title="Report", file=fake)
    assert "file" in caught.value.message_dict
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 hello")
    output = services.add_activity_output(activity, title="Report", file=pdf)
    assert output.file.name.endswith(".pdf")
    link = services.add_activity_output(activity, title="Brief", url="https://example.org/b")
    assert link.url == "https://example.org/b"
