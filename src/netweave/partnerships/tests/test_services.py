"""Bad input to the partnership services: clear messages on the field, nothing half-saved."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.partnerships import services
from netweave.partnerships.arrangements import ensure_arrangement_types
from netweave.partnerships.models import ArrangementType, HealthResponse, Partnership, Placement
from netweave.partnerships.tests.factories import make_partnership, make_round

pytestmark = pytest.mark.django_db


def test_partner_outside_the_network_is_refused_and_nothing_saved(personas):
    """A partner that is not a current member organisation: message, no partnership."""
    ensure_arrangement_types()
    stranger = OrganisationFactory(name="Stranger Ltd")
    with pytest.raises(ValidationError) as error:
        services.create_partnership(
            personas.network,
            acting_user=personas.fiona,
            name="Joint work",
            arrangement=ArrangementType.objects.get(slug="alliance"),
            partners=[(personas.org_a, "lead"), (stranger, "partner")],
        )
    assert "is not a current member" in error.value.message_dict["partners"][0]
    assert not Partnership.objects.exists()


def test_add_partner_refuses_non_member(personas):
    """Adding an organisation of another network is refused on the organisation field."""
    partnership = make_partnership(personas.network, personas.org_a)
    with pytest.raises(ValidationError) as error:
        services.add_partner(partnership, OrganisationFactory(), acting_user=personas.fiona)
    assert "organisation" in error.value.message_dict
    assert partnership.partners.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("service_policy", "1.5"), ("regulation_innovation", "-1.01"), ("service_policy", "abc")],
)
def test_axis_value_out_of_range_is_refused(personas, field, value):
    """A placement off the −1..1 axis is refused with a message on that axis; nothing saved."""
    partnership = make_partnership(personas.network, personas.org_a)
    data = {"service_policy": "0.2", "regulation_innovation": "0.1", field: value}
    with pytest.raises(ValidationError) as error:
        services.record_placement(partnership.partners.get(), acting_user=personas.alice, **data)
    assert field in error.value.message_dict
    assert not Placement.objects.exists()


def test_target_needs_both_axes(personas):
    """A target in a year with one axis only is refused."""
    partner = make_partnership(personas.network, personas.org_a).partners.get()
    with pytest.raises(ValidationError) as error:
        services.record_placement(
            partner,
            service_policy=0,
            regulation_innovation=0,
            target_service_policy=0.5,
            acting_user=personas.alice,
        )
    assert "target_regulation_innovation" in error.value.message_dict


def test_same_day_placement_replaces_the_earlier_one(personas):
    """A partner correcting its placement the same day keeps one placement."""
    partner = make_partnership(personas.network, personas.org_a).partners.get()
    for x in ("0.1", "0.3"):
        services.record_placement(
            partner, service_policy=x, regulation_innovation=0, acting_user=personas.alice
        )
    assert list(Placement.objects.values_list("service_policy", flat=True)) == [Decimal("0.30")]


SCORES = {"trust": 4, "value": 4, "communication": 3, "equity": 2, "purpose": 5}


@pytest.mark.parametrize("bad", [0, 6, "x", "3.5"])
def test_score_outside_one_to_five_is_refused(personas, bad):
    """A score that is not 1–5 is refused on its dimension; no answer is stored."""
    health_round = make_round(make_partnership(personas.network, personas.org_a))
    with pytest.raises(ValidationError) as error:
        services.answer_health_check(
            health_round,
            acting_user=personas.alice,
            scores={**SCORES, "equity": bad},
            today=dt.date(2024, 1, 10),
        )
    assert "equity" in error.value.message_dict
    assert not HealthResponse.objects.exists()


def test_second_answer_to_the_same_round_is_refused(personas):
    """One person answers a round once; the second answer is refused and the first kept."""
    health_round = make_round(make_partnership(personas.network, personas.org_a))
    day = dt.date(2024, 1, 10)
    services.answer_health_check(health_round, acting_user=personas.alice, scores=SCORES, today=day)
    with pytest.raises(ValidationError) as error:
        services.answer_health_check(
            health_round, acting_user=personas.alice, scores={**SCORES, "trust": 1}, today=day
        )
    assert "already answered" in error.value.messages[0]
    assert HealthResponse.objects.get().trust == 4


def test_only_partner_people_answer_and_only_while_open(personas):
    """Someone who is no partner's person, or a closed round, is refused."""
    health_round = make_round(make_partnership(personas.network, personas.org_a))
    with pytest.raises(ValidationError):
        services.answer_health_check(
            health_round, acting_user=personas.bob, scores=SCORES, today=dt.date(2024, 1, 10)
        )
    with pytest.raises(ValidationError):
        services.answer_health_check(
            health_round, acting_user=personas.alice, scores=SCORES, today=dt.date(2024, 2, 10)
        )
    # A user linked to a person of the partner organisation answers too.
    linked = PersonFactory(organisation=personas.org_a, user=personas.charlie)
    assert linked and services.may_answer(health_round.partnership, personas.charlie)


def test_rounds_may_not_overlap_or_run_backwards(personas):
    """A round closing before it opens, or overlapping another, is refused."""
    partnership = make_partnership(personas.network, personas.org_a)
    make_round(partnership)
    with pytest.raises(ValidationError) as error:
        services.open_health_round(
            partnership, opens=dt.date(2024, 3, 5), closes=dt.date(2024, 3, 1), acting_user=None
        )
    assert "closes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.open_health_round(
            partnership, opens=dt.date(2024, 1, 20), closes=dt.date(2024, 2, 5), acting_user=None
        )
    assert "opens" in error.value.message_dict


def test_agreement_file_must_be_a_real_pdf(personas):
    """A file named .pdf whose content is not a PDF is refused; a real PDF is kept."""
    partnership = make_partnership(personas.network, personas.org_a)
    fake = SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as error:
        services.update_partnership(
            partnership, {"agreement_file": fake}, acting_user=personas.fiona
        )
    assert "agreement_file" in error.value.message_dict
    real = SimpleUploadedFile("agreement.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    services.update_partnership(partnership, {"agreement_file": real}, acting_user=personas.fiona)
    partnership.refresh_from_db()
    assert partnership.agreement_file.name.endswith(".pdf")
    assert io.BytesIO(partnership.agreement_file.read()).read().startswith(b"%PDF")
