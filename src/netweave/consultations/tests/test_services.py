"""The consultation services: set-up, invitations, comments, endorsements, synthesis."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from netweave.consultations import services
from netweave.consultations.models import (
    Comment,
    Consultation,
    Dissent,
    Endorsement,
    Recommendation,
    Status,
)
from netweave.consultations.tests.factories import bank, comment, make_consultation, member
from netweave.directory.tests.factories import OrganisationFactory
from netweave.governance.services import add_task_group_member, create_task_group

pytestmark = pytest.mark.django_db

OPENS = dt.datetime(2015, 7, 1, 9, 0, tzinfo=dt.UTC)
CLOSES = dt.datetime(2015, 7, 21, 12, 0, tzinfo=dt.UTC)


# Setting up --------------------------------------------------------------------------------
class TestCreate:
    def test_creates_a_draft_with_ordered_sanitised_sections(self, personas):
        """Sections keep the given order; their HTML loses scripts and handlers."""
        consultation = services.create_consultation(
            personas.network,
            owner=bank(),
            title="  Poverty diagnostic  ",
            opens=OPENS,
            closes=CLOSES,
            time_zone="Asia/Dushanbe",
            sections=[
                {"heading": "Access", "body": '<p onclick="x()">Text<script>alert(1)</script></p>'},
                {"heading": "Tariffs", "body": "<ul><li>one</li></ul>"},
            ],
            acting_user=personas.fiona,
        )
        assert consultation.status == Status.DRAFT
        assert consultation.title == "Poverty diagnostic"
        sections = list(consultation.sections.all())
        assert [(s.position, s.heading) for s in sections] == [(1, "Access"), (2, "Tariffs")]
        assert sections[0].body == "<p>Text</p>"
        assert consultation.created_by == personas.fiona

    def test_refuses_a_close_before_the_opening_and_writes_nothing(self, personas):
        """Closing before opening is refused with a message on ``closes``; nothing is saved."""
        with pytest.raises(ValidationError) as error:
            services.create_consultation(
                personas.network, owner=bank(), title="X", opens=CLOSES, closes=OPENS
            )
        assert "close after it opens" in error.value.message_dict["closes"][0]
        assert not Consultation.objects.exists()

    def test_refuses_a_sector_rule_without_sectors(self, personas):
        """Inviting by sector needs at least one sector."""
        with pytest.raises(ValidationError) as error:
            services.create_consultation(
                personas.network,
                owner=bank(),
                title="X",
                opens=OPENS,
                closes=CLOSES,
                audience="sectors",
            )
        assert "sectors" in error.value.message_dict

    def test_only_facilitators_create(self, personas):
        """A focal point may not set up a consultation."""
        with pytest.raises(PermissionDenied):
            services.create_consultation(
                personas.network,
                owner=bank(),
                title="X",
                opens=OPENS,
                closes=CLOSES,
                acting_user=personas.alice,
            )

    def test_a_section_with_comments_cannot_be_removed(self, personas):
        """Removing a commented section is refused; the section and its comment stay."""
        consultation = make_consultation(personas)
        first = consultation.sections.first()
        comment(consultation, personas.org_a)
        with pytest.raises(ValidationError) as error:
            services.update_consultation(
                consultation,
                sections=[{"uid": first.uid, "heading": first.heading, "delete": True}],
            )
        assert "has comments" in error.value.message_dict["sections"][0]
        assert consultation.sections.filter(pk=first.pk).exists()


class TestInvitations:
    def test_all_members_by_default(self, personas):
        """The default rule reaches every current member, and not the outside owner."""
        consultation = make_consultation(personas)
        invited = set(services.invited_organisations(consultation))
        assert invited == {personas.org_a, personas.org_b}

    def test_by_sector(self, personas):
        """A sector rule reaches the members of those sectors only."""
        from netweave.directory.tests.factories import sector

        consultation = make_consultation(personas, audience="sectors", sectors=[sector("academia")])
        assert list(services.invited_organisations(consultation)) == [personas.org_a]

    def test_by_task_group(self, personas):
        """A task-group rule reaches the organisations sitting in those groups."""
        ngo = member(personas, "Clean Water NGO", "civil-society")
        group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
        add_task_group_member(group, ngo)
        consultation = make_consultation(personas, audience="task_groups", task_groups=[group])
        assert set(services.invited_organisations(consultation)) == {personas.org_b, ngo}

    def test_opening_needs_sections_and_a_future_close(self, personas):
        """A draft opens only with sections and a closing time still ahead."""
        consultation = make_consultation(personas, status=Status.DRAFT, headings=())
        with pytest.raises(ValidationError) as error:
            services.open_consultation(consultation, acting_user=personas.fiona)
        assert "section" in error.value.message_dict["sections"][0]
        consultation = make_consultation(personas, status=Status.DRAFT)
        services.open_consultation(consultation, acting_user=personas.fiona)
        assert consultation.status == Status.OPEN


# Comments ----------------------------------------------------------------------------------
class TestComments:
    def test_a_focal_point_comments_for_their_invited_organisation(self, personas):
        """Alice's comment is recorded for her organisation, with her as author."""
        consultation = make_consultation(personas)
        section = consultation.sections.first()
        made = services.add_comment(
            consultation,
            section=section,
            organisation=personas.org_a,
            kind="concern",
            text="  Tariffs hurt the poorest.\r\n\x00Second line.  ",
            acting_user=personas.alice,
        )
        assert (made.organisation, made.author, made.kind) == (
            personas.org_a,
            personas.alice,
            "concern",
        )
        assert made.text == "Tariffs hurt the poorest.\nSecond line."

    def test_a_comment_after_the_close_is_refused(self, personas):
        """One minute after the close the comment is refused, saying when it closed."""
        consultation = make_consultation(personas, opens=OPENS, closes=CLOSES)
        section = consultation.sections.first()
        with time_machine.travel(CLOSES - dt.timedelta(minutes=1), tick=False):
            comment(consultation, personas.org_a)
        with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
            with pytest.raises(ValidationError) as error:
                services.add_comment(
                    consultation,
                    section=section,
                    organisation=personas.org_b,
                    kind="support",
                    text="Late.",
                    acting_user=personas.bob,
                )
        message = error.value.message_dict["text"][0]
        assert "closed on" in message and "no longer accepted" in message
        assert "Asia/Dushanbe" in message  # the time is given on the consultation's clock
        assert Comment.objects.count() == 1

    def test_a_comment_before_the_opening_is_refused(self, personas):
        """Before the opening time comments are not accepted yet."""
        consultation = make_consultation(personas, opens=OPENS, closes=CLOSES)
        with time_machine.travel(OPENS - dt.timedelta(hours=1), tick=False):
            with pytest.raises(ValidationError) as error:
                comment(consultation, personas.org_a)
        assert "not accepted yet" in error.value.message_dict["text"][0]

    def test_an_organisation_not_invited_is_refused(self, personas):
        """A member outside the chosen sectors cannot comment."""
        from netweave.directory.tests.factories import sector

        consultation = make_consultation(
            personas, audience="sectors", sectors=[sector("government")]
        )
        with pytest.raises(ValidationError) as error:
            comment(consultation, personas.org_a)
        assert "not invited" in error.value.message_dict["organisation"][0]

    def test_the_owner_outside_the_network_is_not_invited(self, personas):
        """The owner organisation does not comment on its own document."""
        consultation = make_consultation(personas)
        with pytest.raises(ValidationError):
            comment(consultation, consultation.owner)

    def test_a_section_of_another_consultation_is_refused(self, personas):
        """A forged section from another consultation is refused; nothing is saved."""
        consultation = make_consultation(personas)
        other = make_consultation(personas, title="Another")
        with pytest.raises(ValidationError) as error:
            services.add_comment(
                consultation,
                section=other.sections.first(),
                organisation=personas.org_a,
                kind="support",
                text="Hello",
            )
        assert "not part of this consultation" in error.value.message_dict["section"][0]
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("text", ["", "   ", "\x00\x01"])
    def test_empty_text_is_refused(self, personas, text):
        """A comment without words is refused with a message on the text."""
        consultation = make_consultation(personas)
        with pytest.raises(ValidationError) as error:
            comment(consultation, personas.org_a, text=text)
        assert error.value.message_dict["text"] == ["Write the comment."]

    def test_an_unknown_kind_is_refused(self, personas):
        consultation = make_consultation(personas)
        with pytest.raises(ValidationError) as error:
            comment(consultation, personas.org_a, kind="rant")
        assert "kind" in error.value.message_dict

    def test_a_focal_point_cannot_comment_for_another_organisation(self, personas):
        """Bob may not speak for Alice's organisation."""
        consultation = make_consultation(personas)
        with pytest.raises(PermissionDenied):
            services.add_comment(
                consultation,
                section=consultation.sections.first(),
                organisation=personas.org_a,
                kind="support",
                text="Not mine to say.",
                acting_user=personas.bob,
            )

    def test_own_comments_are_edited_until_the_close(self, personas):
        """Alice edits her comment while open; after the close the edit is refused."""
        consultation = make_consultation(personas, opens=OPENS, closes=CLOSES)
        with time_machine.travel(OPENS + dt.timedelta(days=1), tick=False):
            made = comment(consultation, personas.org_a)
            services.edit_comment(
                made, kind="suggestion", text="Add a lifeline tariff.", acting_user=personas.alice
            )
        made.refresh_from_db()
        assert (made.kind, made.text) == ("suggestion", "Add a lifeline tariff.")
        with time_machine.travel(CLOSES + dt.timedelta(days=1), tick=False):
            with pytest.raises(ValidationError):
                services.edit_comment(made, kind="support", text="x", acting_user=personas.alice)

    def test_a_focal_point_cannot_edit_another_organisations_comment(self, personas):
        """Bob may not change Alice's organisation's comment."""
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        with pytest.raises(PermissionDenied):
            services.edit_comment(made, kind="concern", text="Changed", acting_user=personas.bob)
        made.refresh_from_db()
        assert made.text == "We agree with the findings."


class TestEndorsements:
    def test_another_organisation_endorses_once(self, personas):
        """Bob endorses Alice's comment for his organisation; twice is refused."""
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        services.endorse_comment(made, organisation=personas.org_b, acting_user=personas.bob)
        with pytest.raises(ValidationError) as error:
            services.endorse_comment(made, organisation=personas.org_b, acting_user=personas.bob)
        assert "already endorses" in error.value.message_dict["organisation"][0]
        assert Endorsement.objects.count() == 1

    def test_own_comment_cannot_be_endorsed(self, personas):
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        with pytest.raises(ValidationError) as error:
            services.endorse_comment(made, organisation=personas.org_a, acting_user=personas.alice)
        assert "own comment" in error.value.message_dict["organisation"][0]

    def test_no_endorsements_when_the_discussion_is_closed(self, personas):
        """With ``open_discussion`` off members do not endorse each other."""
        consultation = make_consultation(personas, open_discussion=False)
        made = comment(consultation, personas.org_a)
        with pytest.raises(ValidationError):
            services.endorse_comment(made, organisation=personas.org_b, acting_user=personas.bob)

    def test_a_focal_point_endorses_only_for_their_organisation(self, personas):
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        with pytest.raises(PermissionDenied):
            services.endorse_comment(made, organisation=personas.org_b, acting_user=personas.alice)


# Synthesis ---------------------------------------------------------------------------------
class TestSynthesis:
    def test_support_by_organisation_and_sector_computed_by_hand(self, personas):
        """Backers are the commenting and endorsing organisations, counted once per sector.

        Comments: AWI (academia) twice, BM (government), NGO (civil society).
        Endorsements: a second ministry (government) endorses AWI's comment; BM endorses
        AWI's too but already backs through its own comment. An unlinked comment of a
        university (academia) does not count.
        By hand: academia 1 (AWI), government 2 (BM, second ministry), civil society 1.
        """
        ngo = member(personas, "Clean Water NGO", "civil-society")
        ministry = member(personas, "Ministry of Health", "government")
        university = member(personas, "State University", "academia")
        consultation = make_consultation(personas)
        c1 = comment(consultation, personas.org_a, text="Lifeline tariff")
        c2 = comment(consultation, personas.org_a, section=1, text="Subsidy for the poor")
        c3 = comment(consultation, personas.org_b, kind="suggestion")
        c4 = comment(consultation, ngo, kind="concern")
        comment(consultation, university)
        services.endorse_comment(c1, organisation=ministry)
        services.endorse_comment(c1, organisation=personas.org_b)
        rec = services.create_recommendation(
            consultation,
            text="Introduce a lifeline tariff.",
            comments=[c1, c2, c3, c4],
            acting_user=personas.fiona,
        )
        support = services.support_for([rec.pk])[rec.pk]
        assert support.comment_count == 4
        assert not support.flagged
        assert {o.name for o in support.organisations} == {
            "Alpha Water Institute",
            "Beta Ministry",
            "Clean Water NGO",
            "Ministry of Health",
        }
        assert {sector.slug: n for sector, n in support.sectors} == {
            "government": 2,
            "academia": 1,
            "civil-society": 1,
        }
        assert support.endorsed_ids - support.commented_ids == {ministry.pk}

    def test_a_recommendation_without_comments_is_allowed_and_flagged(self, personas):
        consultation = make_consultation(personas)
        rec = services.create_recommendation(consultation, text="Publish the data.")
        support = services.support_for([rec.pk])[rec.pk]
        assert support.flagged and support.organisations == []

    def test_comments_of_another_consultation_cannot_support(self, personas):
        """A recommendation links only this consultation's comments; nothing is saved."""
        consultation = make_consultation(personas)
        other = make_consultation(personas, title="Other")
        foreign = comment(other, personas.org_a)
        with pytest.raises(ValidationError) as error:
            services.create_recommendation(consultation, text="X", comments=[foreign])
        assert "comments" in error.value.message_dict
        assert not Recommendation.objects.exists()

    def test_empty_recommendation_text_is_refused(self, personas):
        consultation = make_consultation(personas)
        with pytest.raises(ValidationError) as error:
            services.create_recommendation(consultation, text="  ")
        assert "text" in error.value.message_dict

    def test_only_facilitators_synthesise(self, personas):
        consultation = make_consultation(personas)
        with pytest.raises(PermissionDenied):
            services.create_recommendation(consultation, text="X", acting_user=personas.sam)

    def test_dissent_is_recorded_once_for_an_invited_organisation(self, personas):
        """An invited member's objection is recorded once; an outsider's is refused."""
        consultation = make_consultation(personas)
        rec = services.create_recommendation(consultation, text="Raise tariffs.")
        services.record_dissent(rec, organisation=personas.org_b, note="Unaffordable.")
        with pytest.raises(ValidationError):
            services.record_dissent(rec, organisation=personas.org_b)
        with pytest.raises(ValidationError) as error:
            services.record_dissent(rec, organisation=OrganisationFactory())
        assert "not invited" in error.value.message_dict["organisation"][0]
        assert Dissent.objects.get().note == "Unaffordable."

    def test_publishing_needs_a_closed_consultation_and_a_recommendation(self, personas):
        consultation = make_consultation(personas)
        with pytest.raises(ValidationError) as error:
            services.publish_synthesis(consultation)
        assert "Close the consultation" in error.value.message_dict["status"][0]
        services.close_consultation(consultation, acting_user=personas.fiona)
        assert consultation.closes <= timezone.now()
        with pytest.raises(ValidationError) as error:
            services.publish_synthesis(consultation)
        assert "recommendation" in error.value.message_dict["status"][0]
        services.create_recommendation(consultation, text="X")
        services.publish_synthesis(consultation, note="Thanks to all.")
        assert consultation.status == Status.PUBLISHED
        with pytest.raises(ValidationError):
            services.create_recommendation(consultation, text="Too late")


class TestResponses:
    @pytest.fixture
    def published(self, personas):
        """A published synthesis owned by Bob's organisation (a member with a focal point)."""
        consultation = make_consultation(personas, owner=personas.org_b)
        rec = services.create_recommendation(consultation, text="Do it.")
        services.close_consultation(consultation)
        services.publish_synthesis(consultation)
        return rec

    def test_the_owners_focal_point_records_the_response(self, personas, published):
        services.record_response(
            published, response="partly", note="In the 2016 plan.", acting_user=personas.bob
        )
        published.refresh_from_db()
        assert (published.response, published.response_note) == ("partly", "In the 2016 plan.")
        assert published.responded_at is not None

    def test_another_focal_point_cannot_respond(self, personas, published):
        with pytest.raises(PermissionDenied):
            services.record_response(published, response="taken_up", acting_user=personas.alice)

    def test_an_unknown_response_is_refused(self, personas, published):
        with pytest.raises(ValidationError):
            services.record_response(published, response="maybe", acting_user=personas.fiona)

    def test_no_response_before_publication(self, personas):
        consultation = make_consultation(personas, owner=personas.org_b)
        rec = services.create_recommendation(consultation, text="Do it.")
        with pytest.raises(ValidationError) as raised:
            services.record_response(rec, response="taken_up", acting_user=personas.bob)
        assert raised.value.message_dict == {
            "response": ["The owner answers once the synthesis is published."]
        }
        rec.refresh_from_db()
        assert rec.response == "pending"


class TestRecordedAfterwards:
    """A consultation that ran before Netweave, entered for the record."""

    def test_a_past_consultation_takes_comments_received_in_time(self, personas):
        consultation = services.create_consultation(
            personas.network,
            owner=bank(),
            title="2015",
            opens=OPENS,
            closes=CLOSES,
            sections=[{"heading": "A"}],
            status="closed",
            acting_user=personas.fiona,
        )
        section = consultation.sections.get()
        made = services.add_comment(
            consultation,
            section=section,
            organisation=personas.org_a,
            kind="support",
            text="By letter.",
            received_at=OPENS + dt.timedelta(days=3),
            acting_user=personas.fiona,
        )
        made.refresh_from_db()
        assert made.created == OPENS + dt.timedelta(days=3)
        with pytest.raises(ValidationError) as error:
            services.add_comment(
                consultation,
                section=section,
                organisation=personas.org_a,
                kind="support",
                text="Too late, even by letter.",
                received_at=CLOSES + dt.timedelta(days=1),
            )
        assert "no longer accepted" in error.value.message_dict["text"][0]
        with pytest.raises(PermissionDenied):
            services.add_comment(
                consultation,
                section=section,
                organisation=personas.org_a,
                kind="support",
                text="Backdated by a focal point.",
                received_at=OPENS + dt.timedelta(days=3),
                acting_user=personas.alice,
            )

    def test_a_consultation_entered_as_closed_must_have_closed(self, personas):
        future = timezone.now() + dt.timedelta(days=3)
        with pytest.raises(ValidationError) as error:
            services.create_consultation(
                personas.network,
                owner=bank(),
                title="Not yet",
                opens=OPENS,
                closes=future,
                status="closed",
            )
        assert "closes" in error.value.message_dict
