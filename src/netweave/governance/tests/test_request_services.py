import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from netweave.directory.tests.factories import OrganisationFactory
from netweave.governance import services
from netweave.governance.models import MemberRequest, TaskGroup
from netweave.governance.tests.factories import make_group, make_request

pytestmark = pytest.mark.django_db


def test_focal_point_raises_for_own_organisation(personas):
    """Alice raises a request for AWI; it is open, and the history records her."""
    raised = services.raise_request(
        personas.network,
        organisation=personas.org_a,
        title="Tariff methodology",
        urgency="high",
        acting_user=personas.alice,
    )
    assert raised.status == "open" and raised.raised_by == personas.alice
    assert raised.history.get().history_user == personas.alice


def test_focal_point_cannot_raise_for_another_organisation(personas):
    """Alice may not raise a request in Beta Ministry's name; nothing is saved."""
    with pytest.raises(ValidationError) as err:
        services.raise_request(
            personas.network, organisation=personas.org_b, title="X", acting_user=personas.alice
        )
    assert "organisation" in err.value.message_dict
    assert not MemberRequest.objects.exists()


def test_observer_cannot_raise(personas):
    """An observer speaks for no organisation and is refused."""
    with pytest.raises(PermissionDenied):
        services.raise_request(
            personas.network, organisation=personas.org_a, title="X", acting_user=personas.olga
        )


def test_non_member_organisation_and_blank_title_refused(personas):
    """An organisation outside the network, or an empty title, is refused on its field."""
    with pytest.raises(ValidationError) as err:
        services.raise_request(personas.network, organisation=OrganisationFactory(), title="X")
    assert "organisation" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.raise_request(personas.network, organisation=personas.org_a, title="  ")
    assert "title" in err.value.message_dict


def test_form_new_creates_a_group_with_the_raising_member(personas):
    """Triage "form new" makes a task group led by Beta Ministry with AWI, which raised it."""
    item = make_request(personas, title="Water tariffs")
    services.triage_request(
        item, decision="form_new", lead=personas.org_b, acting_user=personas.sam
    )
    item.refresh_from_db()
    group = TaskGroup.objects.get()
    assert (item.status, item.task_group, item.decided_by) == ("accepted", group, personas.sam)
    assert group.name == "Water tariffs" and group.lead == personas.org_b
    assert set(group.members.values_list("organisation", flat=True)) == {
        personas.org_a.pk,
        personas.org_b.pk,
    }
    assert [h.status for h in item.history.order_by("history_date")] == ["open", "accepted"]


def test_accept_into_existing_group_adds_the_member(personas):
    """Accepting into Beta Ministry's group adds AWI to it."""
    group = make_group(personas, lead=personas.org_b)
    item = make_request(personas)
    services.triage_request(item, decision="accept", task_group=group, acting_user=personas.fiona)
    assert group.members.filter(organisation=personas.org_a).exists()


def test_decline_needs_a_reason_and_answer_needs_text(personas):
    """Declining without a reason or answering without text is refused; the request stays open."""
    item = make_request(personas)
    with pytest.raises(ValidationError) as err:
        services.triage_request(item, decision="decline", acting_user=personas.sam)
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.triage_request(item, decision="answer", answer=" ", acting_user=personas.sam)
    assert "answer" in err.value.message_dict
    item.refresh_from_db()
    assert item.status == "open"
    services.triage_request(
        item, decision="decline", reason="Out of scope", acting_user=personas.sam
    )
    item.refresh_from_db()
    assert (item.status, item.decline_reason) == ("declined", "Out of scope")


def test_only_steering_and_facilitators_triage(personas):
    """A focal point, even of the raising organisation, cannot triage."""
    item = make_request(personas)
    with pytest.raises(PermissionDenied):
        services.triage_request(item, decision="decline", reason="no", acting_user=personas.alice)


def test_a_decided_request_is_not_triaged_again(personas):
    """A second decision is refused."""
    item = make_request(personas)
    services.triage_request(
        item, decision="answer", answer="See the guide", acting_user=personas.sam
    )
    with pytest.raises(ValidationError):
        services.triage_request(item, decision="decline", reason="x", acting_user=personas.sam)


def test_form_new_with_a_non_member_lead_saves_nothing(personas):
    """A lead from outside the network is refused; no task group, the request stays open."""
    item = make_request(personas)
    with pytest.raises(ValidationError) as err:
        services.triage_request(
            item, decision="form_new", lead=OrganisationFactory(), acting_user=personas.sam
        )
    assert "lead" in err.value.message_dict
    assert not TaskGroup.objects.exists()
    item.refresh_from_db()
    assert item.status == "open"
