"""The consultation pages: who reads what, commenting, endorsing, set-up and synthesis."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from netweave.consultations import services
from netweave.consultations.models import Comment, Consultation, Endorsement, Recommendation
from netweave.consultations.tests.factories import bank, comment, make_consultation, member

pytestmark = pytest.mark.django_db


def url(consultation: Consultation, name: str = "consultations:detail", **kwargs) -> str:
    return reverse(
        name, kwargs={"network": consultation.network.slug, "uid": consultation.uid, **kwargs}
    )


def list_url(personas) -> str:
    return reverse("consultations:list", kwargs={"network": personas.network.slug})


def published(personas, **kwargs) -> Consultation:
    consultation = make_consultation(personas, title="Published one", **kwargs)
    made = comment(consultation, personas.org_a, text="Good diagnostic.")
    services.create_recommendation(consultation, text="Target the poorest.", comments=[made])
    services.close_consultation(consultation)
    services.publish_synthesis(consultation)
    return consultation


# Who reads what ----------------------------------------------------------------------------
class TestReading:
    def test_list_by_role(self, personas, client):
        """Facilitators see drafts, focal points what is put to members, observers syntheses."""
        make_consultation(personas, title="Draft one", status="draft")
        make_consultation(personas, title="Open one")
        published(personas)
        seen = {}
        for name in ("fiona", "sam", "alice", "olga"):
            client.force_login(getattr(personas, name))
            page = client.get(list_url(personas)).content.decode()
            seen[name] = {t for t in ("Draft one", "Open one", "Published one") if t in page}
        assert seen["fiona"] == seen["sam"] == {"Draft one", "Open one", "Published one"}
        assert seen["alice"] == {"Open one", "Published one"}
        assert seen["olga"] == {"Published one"}

    def test_outsiders_find_nothing(self, personas, client):
        """Charlie, Frank and anonymous visitors get 404 or the login page, even when public."""
        consultation = published(personas)
        personas.network.visibility = "public"
        personas.network.save()
        assert client.get(url(consultation)).status_code == 404
        for user in (personas.charlie, personas.frank):
            client.force_login(user)
            assert client.get(url(consultation)).status_code == 404
            assert client.get(list_url(personas)).status_code == 404

    def test_a_draft_is_missing_for_focal_points_and_observers(self, personas, client):
        consultation = make_consultation(personas, status="draft")
        for user in (personas.alice, personas.olga):
            client.force_login(user)
            assert client.get(url(consultation)).status_code == 404
        client.force_login(personas.sam)
        assert client.get(url(consultation)).status_code == 200

    def test_observers_read_the_published_synthesis_only(self, personas, client):
        """Olga: the open consultation is missing; the published one shows recommendations."""
        open_one = make_consultation(personas)
        done = published(personas)
        client.force_login(personas.olga)
        assert client.get(url(open_one)).status_code == 404
        page = client.get(url(done)).content.decode()
        assert "Target the poorest." in page
        assert client.get(url(done, "consultations:feedback")).status_code == 200
        assert client.get(url(done, "consultations:synthesis")).status_code == 403

    def test_times_are_shown_on_the_consultations_clock(self, personas, client):
        """04:00 UTC opens the consultation at 09:00 in Dushanbe, as the page says."""
        consultation = make_consultation(
            personas,
            opens=dt.datetime(2015, 7, 1, 4, 0, tzinfo=dt.UTC),
            closes=dt.datetime(2015, 7, 31, 13, 0, tzinfo=dt.UTC),
        )
        client.force_login(personas.fiona)
        page = client.get(url(consultation)).content.decode()
        assert "1 Jul 2015, 09:00" in page and "31 Jul 2015, 18:00" in page
        assert "(Asia/Dushanbe)" in page

    def test_hidden_discussion_shows_only_own_comments_until_the_close(self, personas, client):
        """With open_discussion off, Bob does not see Alice's comment while it is open."""
        consultation = make_consultation(personas, open_discussion=False)
        comment(consultation, personas.org_a, text="Alpha view")
        comment(consultation, personas.org_b, text="Beta view")
        client.force_login(personas.bob)
        page = client.get(url(consultation)).content.decode()
        assert "Beta view" in page and "Alpha view" not in page
        services.close_consultation(consultation)
        page = client.get(url(consultation)).content.decode()
        assert "Alpha view" in page


# Commenting --------------------------------------------------------------------------------
class TestCommenting:
    def test_alice_comments_on_a_section(self, personas, client):
        consultation = make_consultation(personas)
        section = consultation.sections.last()
        client.force_login(personas.alice)
        response = client.post(
            url(consultation, "consultations:comment_create"),
            {
                "section": section.uid,
                "organisation": personas.org_a.pk,
                "kind": "suggestion",
                "text": "Add a lifeline tariff.",
            },
        )
        made = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"].endswith(f"#comment-{made.uid}")
        assert (made.section, made.organisation, made.author) == (
            section,
            personas.org_a,
            personas.alice,
        )

    def test_a_script_in_a_comment_renders_as_text(self, personas, client):
        """An XSS attempt is stored as typed and shown escaped, never as markup."""
        consultation = make_consultation(personas)
        attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        comment(consultation, personas.org_a, text=attack)
        client.force_login(personas.bob)
        page = client.get(url(consultation)).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert "<script>alert" not in page and "<img src=x" not in page

    def test_a_comment_after_the_close_is_refused_with_a_message(self, personas, client):
        opens = dt.datetime(2015, 7, 1, 4, tzinfo=dt.UTC)
        closes = dt.datetime(2015, 7, 20, 13, tzinfo=dt.UTC)
        consultation = make_consultation(personas, opens=opens, closes=closes)
        client.force_login(personas.alice)
        with time_machine.travel(closes + dt.timedelta(hours=2), tick=False):
            response = client.post(
                url(consultation, "consultations:comment_create"),
                {
                    "section": consultation.sections.first().uid,
                    "organisation": personas.org_a.pk,
                    "kind": "support",
                    "text": "Too late?",
                },
            )
        assert response.status_code == 400
        page = response.content.decode()
        assert "comments are no longer accepted" in page
        assert "Asia/Dushanbe" in page
        assert not Comment.objects.exists()

    def test_a_forged_section_from_another_consultation_is_refused(self, personas, client):
        consultation = make_consultation(personas)
        other = make_consultation(personas, title="Other")
        client.force_login(personas.alice)
        response = client.post(
            url(consultation, "consultations:comment_create"),
            {
                "section": other.sections.first().uid,
                "organisation": personas.org_a.pk,
                "kind": "support",
                "text": "Forged",
            },
        )
        assert response.status_code == 400
        assert "This section is not part of this consultation." in response.content.decode()
        assert not Comment.objects.exists()

    def test_empty_text_is_refused(self, personas, client):
        consultation = make_consultation(personas)
        client.force_login(personas.alice)
        response = client.post(
            url(consultation, "consultations:comment_create"),
            {
                "section": consultation.sections.first().uid,
                "organisation": personas.org_a.pk,
                "kind": "support",
                "text": "   ",
            },
        )
        assert response.status_code == 400
        assert "Write the comment." in response.content.decode()

    def test_an_organisation_not_invited_is_refused(self, personas, client):
        """Alice's institute is outside the invited sector: her comment is refused."""
        from netweave.directory.tests.factories import sector

        consultation = make_consultation(
            personas, audience="sectors", sectors=[sector("government")]
        )
        client.force_login(personas.alice)
        page = client.get(url(consultation)).content.decode()
        assert "not invited to comment" in page and 'class="comment-form"' not in page
        response = client.post(
            url(consultation, "consultations:comment_create"),
            {
                "section": consultation.sections.first().uid,
                "organisation": personas.org_a.pk,
                "kind": "support",
                "text": "Let us in",
            },
        )
        assert response.status_code == 400
        assert not Comment.objects.exists()

    def test_observers_and_steering_cannot_comment(self, personas, client):
        consultation = make_consultation(personas)
        for user in (personas.sam,):
            client.force_login(user)
            response = client.post(
                url(consultation, "consultations:comment_create"),
                {"section": consultation.sections.first().uid, "kind": "support", "text": "x"},
            )
            assert response.status_code == 403
        assert not Comment.objects.exists()

    def test_bob_cannot_edit_alices_comment(self, personas, client):
        """Bob sees Alice's comment but its edit page and POST answer 403."""
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        edit = url(consultation, "consultations:comment_edit", comment=made.uid)
        client.force_login(personas.bob)
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"kind": "concern", "text": "Hijacked"}).status_code == 403
        made.refresh_from_db()
        assert made.text == "We agree with the findings."
        client.force_login(personas.alice)
        response = client.post(edit, {"kind": "concern", "text": "Changed our mind"})
        assert response.status_code == 302
        made.refresh_from_db()
        assert (made.kind, made.text) == ("concern", "Changed our mind")

    def test_endorsement_toggles_with_htmx(self, personas, client):
        """Bob endorses Alice's comment (the comment comes back), then withdraws."""
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        endorse = url(consultation, "consultations:comment_endorse", comment=made.uid)
        client.force_login(personas.bob)
        response = client.post(endorse, {"organisation": "bm"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "Endorsed by" in response.content.decode()
        assert Endorsement.objects.get().organisation == personas.org_b
        client.post(endorse, {"organisation": "bm"})
        assert not Endorsement.objects.exists()

    def test_alice_cannot_endorse_her_own_comment(self, personas, client):
        consultation = make_consultation(personas)
        made = comment(consultation, personas.org_a)
        client.force_login(personas.alice)
        response = client.post(
            url(consultation, "consultations:comment_endorse", comment=made.uid),
            {"organisation": "awi"},
        )
        assert response.status_code == 302
        assert not Endorsement.objects.exists()


class TestCsrf:
    def test_a_comment_without_the_csrf_token_is_refused(self, personas):
        consultation = make_consultation(personas)
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.alice)
        response = client.post(
            url(consultation, "consultations:comment_create"),
            {
                "section": consultation.sections.first().uid,
                "organisation": personas.org_a.pk,
                "kind": "support",
                "text": "x",
            },
        )
        assert response.status_code == 403
        assert not Comment.objects.exists()


# Set-up and synthesis ----------------------------------------------------------------------
class TestSetUp:
    def test_fiona_creates_a_consultation_with_sections(self, personas, client):
        """Times are read on the chosen clock; sections come from the formset in order."""
        owner = bank()
        client.force_login(personas.fiona)
        create = reverse("consultations:create", kwargs={"network": "testnet"})
        assert client.get(create).status_code == 200
        response = client.post(
            create,
            {
                "title": "Poverty diagnostic",
                "owner": owner.pk,
                "description": "",
                "opens": "2015-07-01T09:00",
                "closes": "2015-07-21T18:00",
                "time_zone": "Asia/Dushanbe",
                "audience": "all",
                "open_discussion": "on",
                "sections-TOTAL_FORMS": "3",
                "sections-INITIAL_FORMS": "0",
                "sections-MIN_NUM_FORMS": "0",
                "sections-MAX_NUM_FORMS": "1000",
                "sections-0-heading": "Findings",
                "sections-0-body": "<p>Poverty is <b>rural</b>.</p>",
                "sections-1-heading": "Recommendations",
                "sections-1-body": "",
                "sections-2-heading": "",
                "sections-2-body": "",
            },
        )
        consultation = Consultation.objects.get()
        assert response.status_code == 302
        assert consultation.opens == dt.datetime(2015, 7, 1, 4, 0, tzinfo=dt.UTC)
        assert [s.heading for s in consultation.sections.all()] == ["Findings", "Recommendations"]
        assert consultation.status == "draft"

    def test_focal_points_cannot_create(self, personas, client):
        client.force_login(personas.alice)
        create = reverse("consultations:create", kwargs={"network": "testnet"})
        assert client.get(create).status_code == 403

    def test_bad_dates_show_a_message_and_save_nothing(self, personas, client):
        client.force_login(personas.fiona)
        response = client.post(
            reverse("consultations:create", kwargs={"network": "testnet"}),
            {
                "title": "X",
                "owner": bank().pk,
                "opens": "2015-07-21T09:00",
                "closes": "2015-07-01T09:00",
                "time_zone": "UTC",
                "audience": "all",
                "sections-TOTAL_FORMS": "1",
                "sections-INITIAL_FORMS": "0",
                "sections-0-heading": "A",
            },
        )
        assert response.status_code == 400
        assert "The consultation must close after it opens." in response.content.decode()
        assert not Consultation.objects.exists()

    def test_edit_keeps_section_uids(self, personas, client):
        consultation = make_consultation(personas, status="draft")
        first, second = consultation.sections.all()
        client.force_login(personas.fiona)
        edit = url(consultation, "consultations:edit")
        assert client.get(edit).status_code == 200
        response = client.post(
            edit,
            {
                "title": consultation.title,
                "owner": consultation.owner_id,
                "opens": "2030-07-01T09:00",
                "closes": "2030-07-21T18:00",
                "time_zone": "Asia/Dushanbe",
                "audience": "all",
                "sections-TOTAL_FORMS": "2",
                "sections-INITIAL_FORMS": "2",
                "sections-0-uid": str(first.uid),
                "sections-0-heading": "Renamed",
                "sections-1-uid": str(second.uid),
                "sections-1-heading": second.heading,
                "sections-1-DELETE": "on",
            },
        )
        assert response.status_code == 302
        assert [(s.uid, s.heading) for s in consultation.sections.all()] == [(first.uid, "Renamed")]

    def test_open_and_close(self, personas, client):
        consultation = make_consultation(personas, status="draft")
        client.force_login(personas.fiona)
        client.post(url(consultation, "consultations:open"))
        consultation.refresh_from_db()
        assert consultation.status == "open"
        client.post(url(consultation, "consultations:close"))
        consultation.refresh_from_db()
        assert consultation.status == "closed"
        client.force_login(personas.alice)
        assert client.post(url(consultation, "consultations:open")).status_code == 403


class TestSynthesisPage:
    def test_fiona_groups_comments_into_a_recommendation(self, personas, client):
        consultation = make_consultation(personas)
        a = comment(consultation, personas.org_a)
        b = comment(consultation, personas.org_b, section=1)
        client.force_login(personas.fiona)
        page = url(consultation, "consultations:synthesis")
        assert client.get(page).status_code == 200
        response = client.post(
            page, {"text": "Protect the poorest.", "section": "", "comments": [a.uid, b.uid]}
        )
        assert response.status_code == 302
        rec = Recommendation.objects.get()
        assert set(rec.comments.all()) == {a, b}
        body = client.get(page).content.decode()
        assert "Protect the poorest." in body and "Beta Ministry" in body

    def test_a_recommendation_without_comments_is_flagged(self, personas, client):
        consultation = make_consultation(personas)
        client.force_login(personas.fiona)
        page = url(consultation, "consultations:synthesis")
        client.post(page, {"text": "Publish the data."})
        assert "No supporting comments" in client.get(page).content.decode()

    def test_a_comment_of_another_consultation_is_refused(self, personas, client):
        consultation = make_consultation(personas)
        foreign = comment(make_consultation(personas, title="Other"), personas.org_a)
        client.force_login(personas.fiona)
        response = client.post(
            url(consultation, "consultations:synthesis"), {"text": "X", "comments": [foreign.uid]}
        )
        assert response.status_code == 400
        assert not Recommendation.objects.exists()

    def test_steering_and_focal_points_are_refused(self, personas, client):
        consultation = make_consultation(personas)
        for user in (personas.sam, personas.alice):
            client.force_login(user)
            assert client.get(url(consultation, "consultations:synthesis")).status_code == 403

    def test_dissent_publish_and_response(self, personas, client):
        """Fiona records Bob's objection and publishes; the owner's focal point answers."""
        consultation = make_consultation(personas, owner=personas.org_b)
        rec = services.create_recommendation(consultation, text="Raise tariffs.")
        client.force_login(personas.fiona)
        client.post(
            url(consultation, "consultations:dissent_add", rec=rec.uid),
            {"organisation": personas.org_a.pk, "note": "The poor cannot pay."},
        )
        assert rec.dissents.get().organisation == personas.org_a
        client.post(url(consultation, "consultations:close"))
        client.post(url(consultation, "consultations:publish"), {"note": "Thanks."})
        consultation.refresh_from_db()
        assert consultation.status == "published"
        respond = url(consultation, "consultations:response_record", rec=rec.uid)
        client.force_login(personas.alice)
        assert client.post(respond, {"response": "taken_up"}).status_code == 403
        client.force_login(personas.bob)
        assert client.post(respond, {"response": "not_taken_up", "note": "No."}).status_code == 302
        rec.refresh_from_db()
        assert rec.response == "not_taken_up"


# Query counts ------------------------------------------------------------------------------
def _fill(personas, consultation, n: int) -> None:
    orgs = [member(personas, f"Member {i}", "civil-society") for i in range(n)]
    comments = [comment(consultation, org, section=i % 2) for i, org in enumerate(orgs)]
    for made in comments[1:]:
        services.endorse_comment(made, organisation=orgs[0])
    for i in range(n):
        services.create_recommendation(consultation, text=f"R{i}", comments=comments[i : i + 3])
    for i in range(n):
        make_consultation(personas, title=f"Extra {i}")


@pytest.mark.parametrize("n", [1, 12])
def test_list_queries_do_not_grow(personas, client, django_assert_max_num_queries, n):
    # 5 queries: session, user, network, roles, consultations with their counts
    consultation = make_consultation(personas)
    _fill(personas, consultation, n)
    client.force_login(personas.fiona)
    with django_assert_max_num_queries(5):
        assert client.get(list_url(personas)).status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_detail_queries_do_not_grow(personas, client, django_assert_max_num_queries, n):
    # 16 for the facilitator: session, user, network, roles, consultation, invited
    # organisations, sections, comments, endorsements, recommendations, dissents, linked
    # comments, support (links, endorsements, organisations), documents.
    # 11 for a focal point before the synthesis is out: no recommendations or support.
    consultation = make_consultation(personas)
    _fill(personas, consultation, n)
    client.force_login(personas.fiona)
    with django_assert_max_num_queries(16):
        assert client.get(url(consultation)).status_code == 200
    client.force_login(personas.bob)
    with django_assert_max_num_queries(11):
        assert client.get(url(consultation)).status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_synthesis_queries_do_not_grow(personas, client, django_assert_max_num_queries, n):
    # 16: session, user, network, roles, consultation, invited organisations, sections,
    # comments, endorsements, recommendations, dissents, linked comments, support (3),
    # the section choices of the form; the feedback page likewise
    consultation = make_consultation(personas)
    _fill(personas, consultation, n)
    client.force_login(personas.fiona)
    with django_assert_max_num_queries(16):
        assert client.get(url(consultation, "consultations:synthesis")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(url(consultation, "consultations:feedback")).status_code == 200
