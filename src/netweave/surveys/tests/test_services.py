"""Survey services: rounds, ratings and their refusals."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from netweave.directory.tests.factories import OrganisationFactory
from netweave.networks.models import Membership
from netweave.networks.tests.factories import MembershipFactory
from netweave.surveys import services
from netweave.surveys.models import RoundStatus, SurveyResponse, SurveyRound, TieRating
from netweave.surveys.tests.factories import make_round, submit

pytestmark = pytest.mark.django_db


def messages_of(caught) -> str:
    return " ".join(caught.value.messages)


@time_machine.travel(dt.datetime(2015, 3, 2, 9, tzinfo=dt.UTC), tick=False)
def test_round_goes_from_draft_to_open_to_closed(personas):
    """A round is created as a draft, opened today and closed today."""
    survey_round = services.create_round(personas.network, year=2015, acting_user=personas.fiona)
    assert survey_round.status == RoundStatus.DRAFT
    services.open_round(survey_round, acting_user=personas.fiona)
    assert (survey_round.status, survey_round.opens) == (RoundStatus.OPEN, dt.date(2015, 3, 2))
    services.close_round(survey_round, acting_user=personas.fiona)
    survey_round.refresh_from_db()
    assert (survey_round.status, survey_round.closes) == (RoundStatus.CLOSED, dt.date(2015, 3, 2))


def test_second_round_for_the_same_year_is_refused(personas):
    """One round per network and year; the message names the year."""
    services.create_round(personas.network, year=2015, acting_user=personas.fiona)
    with pytest.raises(ValidationError) as caught:
        services.create_round(personas.network, year="2015", acting_user=personas.fiona)
    assert "already has a survey round for 2015" in messages_of(caught)
    assert SurveyRound.objects.count() == 1
    # Another network may have its own 2015 round.
    services.create_round(personas.other_network, year=2015, acting_user=personas.frank)


@pytest.mark.parametrize("year", ["twenty", 1850, 3000])
def test_nonsense_years_are_refused(personas, year):
    """A year that is not a number or far off is refused with a message."""
    with pytest.raises(ValidationError) as caught:
        services.create_round(personas.network, year=year, acting_user=personas.fiona)
    assert "year" in caught.value.message_dict


def test_round_cannot_close_before_it_opens(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_round(
            personas.network,
            year=2015,
            opens=dt.date(2015, 5, 1),
            closes=dt.date(2015, 4, 1),
            acting_user=personas.fiona,
        )
    assert "close before it opens" in messages_of(caught)


def test_only_one_round_open_and_closed_stays_closed(personas):
    """A second open round is refused; a closed round is never reopened."""
    first = make_round(personas.network, 2014)
    second = make_round(personas.network, 2015, status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        services.open_round(second, acting_user=personas.fiona)
    assert "2014 round is open" in messages_of(caught)
    services.close_round(first, acting_user=personas.fiona)
    with pytest.raises(ValidationError):
        services.open_round(first, acting_user=personas.fiona)
    with pytest.raises(ValidationError) as caught:
        services.close_round(second, acting_user=personas.fiona)
    assert "Only an open round" in messages_of(caught)


def test_ratings_are_saved_revised_and_removed(personas):
    """A rater's ties are created, changed, and a blank row removes one."""
    org_c = OrganisationFactory(name="Gamma NGO")
    MembershipFactory(network=personas.network, organisation=org_c)
    survey_round = make_round(personas.network)
    submit(survey_round, personas.org_a, {personas.org_b: (3, 4, 5), org_c: (1, 2, 3)})
    submit(survey_round, personas.org_a, {personas.org_b: (5, 5, 5), org_c: None})
    [rating] = TieRating.objects.filter(round=survey_round)
    assert (rating.rated, rating.frequency, rating.trust, rating.value) == (
        personas.org_b,
        5,
        5,
        5,
    )
    assert SurveyResponse.objects.filter(round=survey_round).count() == 1


def test_partial_submission_leaves_other_ties_alone(personas):
    """Organisations missing from a submission (another sector's page) keep their rating."""
    org_c = OrganisationFactory(name="Gamma NGO")
    MembershipFactory(network=personas.network, organisation=org_c)
    survey_round = make_round(personas.network)
    submit(survey_round, personas.org_a, {personas.org_b: (3, 4, 5)})
    submit(survey_round, personas.org_a, {org_c: (2, 2, 2)})
    assert TieRating.objects.filter(round=survey_round).count() == 2


def test_a_response_with_no_tie_counts_as_an_answer(personas):
    """An organisation that works with nobody still answered."""
    survey_round = make_round(personas.network)
    submit(survey_round, personas.org_a, {personas.org_b: None})
    assert services.has_responded(survey_round, personas.org_a)
    assert services.figures_of_round(survey_round).responded == 1


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.DRAFT])
def test_rating_outside_an_open_round_is_refused(personas, status):
    survey_round = make_round(personas.network, status=status)
    with pytest.raises(ValidationError) as caught:
        submit(survey_round, personas.org_a, {personas.org_b: (3, 3, 3)})
    assert "2015 survey round" in messages_of(caught)
    assert not TieRating.objects.exists()
    assert not SurveyResponse.objects.exists()


def test_rating_oneself_is_refused(personas):
    survey_round = make_round(personas.network)
    with pytest.raises(ValidationError) as caught:
        submit(survey_round, personas.org_a, {personas.org_a: (3, 3, 3)})
    assert "does not rate its tie to itself" in messages_of(caught)


def test_rating_a_non_member_is_refused_and_nothing_is_written(personas):
    """A rating of an outside organisation refuses the whole submission."""
    outsider = OrganisationFactory(name="Outside Ltd")
    survey_round = make_round(personas.network)
    with pytest.raises(ValidationError) as caught:
        submit(survey_round, personas.org_a, {personas.org_b: (3, 3, 3), outsider: (4, 4, 4)})
    assert "Outside Ltd" in messages_of(caught)
    assert "not a member organisation" in messages_of(caught)
    assert not TieRating.objects.exists()


def test_a_non_member_cannot_rate(personas):
    outsider = OrganisationFactory(name="Outside Ltd")
    survey_round = make_round(personas.network)
    with pytest.raises(ValidationError) as caught:
        submit(survey_round, outsider, {personas.org_a: (3, 3, 3)})
    assert "rater" in caught.value.message_dict


@pytest.mark.parametrize("bad", [0, 6, "4.5", "", None, "x"])
def test_scores_out_of_range_are_refused(personas, bad):
    """Each of the three scores must be a whole number from 1 to 5."""
    survey_round = make_round(personas.network)
    with pytest.raises(ValidationError) as caught:
        services.submit_ratings(
            survey_round,
            rater=personas.org_a,
            ratings={personas.org_b: {"frequency": 3, "trust": bad, "value": 3}},
            acting_user=personas.alice,
        )
    assert "Trust for Beta Ministry" in messages_of(caught)
    assert not TieRating.objects.exists()


def test_former_members_are_asked_in_the_years_they_belonged(personas):
    """A round asks the organisations that were members during its year."""
    left = OrganisationFactory(name="Left Early")
    Membership.objects.create(
        network=personas.network,
        organisation=left,
        joined=dt.date(2010, 1, 1),
        left=dt.date(2014, 6, 30),
    )
    later = OrganisationFactory(name="Joined Late")
    MembershipFactory(network=personas.network, organisation=later, joined=dt.date(2016, 1, 1))
    r2014 = make_round(personas.network, 2014, status=RoundStatus.CLOSED)
    r2015 = make_round(personas.network, 2015)
    assert set(services.round_members(r2014)) == {personas.org_a, personas.org_b, left}
    assert set(services.round_members(r2015)) == {personas.org_a, personas.org_b}
