"""Every page and API endpoint × every role, for reading and for writing.

The routes are read from the URL configuration, so a new page or endpoint without a rule
in ``access_matrix.RULES`` fails ``test_every_route_has_a_rule``. Each route is then asked
by every persona of ``core.testing`` (plus anonymous), with GET for reading and with the
writing methods the route offers (POST for pages; POST, PUT, PATCH and DELETE as the API
route allows), and the class of the answer must be the rule's.

Writes carry no valid payload: an allowed role gets the form back with errors (200), a 400
or a redirect. Every request runs in a savepoint that is rolled back, so the world stays as
built; a request that is not served must not have written anything to the database.

The world is one members-only network with one record of every kind the URLs name, built
once for the module; every record in the URLs belongs to organisation A (alice's), so
bob, the focal point of organisation B, is "the other focal point" everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from netweave.core.testing import make_personas
from netweave.core.tests.access_matrix import (
    EXEMPT,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    REFUSED,
    ROLES,
    RULES,
    SCOPED,
    Rule,
)

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch")
REDIRECTS = {301, 302, 303, 307, 308}
# Rows a refused request may still write: the session of the signed-in client.
UNTRACKED_TABLES = ("django_session",)
WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


# The routes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]
    methods: frozenset[str]  # the methods the view answers; empty when it does not say

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def is_list(self) -> bool:
        return self.is_api and self.name.endswith("-list")


def _params(pattern: Any) -> list[str]:
    regex = getattr(pattern, "regex", None)
    names = list(getattr(pattern, "converters", {}) or {})
    if not names and regex is not None:
        names = list(regex.groupindex)
    return [name for name in names if name != "format"]


def _methods(callback: Any) -> frozenset[str]:
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset route: the router maps these methods only
        return frozenset(actions)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return frozenset(
            method
            for method in ("get", "post", "put", "patch", "delete")
            if hasattr(view_class, method)
        )
    return frozenset()


def _walk(patterns: list, prefix: str = "", namespace: str = "", params: tuple = ()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                inner,
                params + tuple(_params(pattern.pattern)),
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(
                name=name,
                pattern=prefix + str(pattern.pattern),
                params=params + tuple(_params(pattern.pattern)),
                methods=_methods(pattern.callback),
            )


def _routes() -> dict[str, Route]:
    """Every named route, the first pattern of a name (format suffixes come after it)."""
    found: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.name.startswith("admin:") or route.pattern.startswith("admin/"):
            continue
        found.setdefault(route.name, route)
    return found


ROUTES = _routes()
CHECKED = sorted(name for name in ROUTES if name not in EXEMPT and name in RULES)


# The world ---------------------------------------------------------------------------------
@dataclass
class World:
    personas: Any
    values: dict[str, Any]  # parameter values by lookup key, see ``_value``
    secrets: tuple[str, ...]  # strings that only those who may read the network may see


def _build_world() -> World:
    from netweave.activities.models import ActivityOutput, Participation
    from netweave.activities.tests.factories import (
        ContributionFactory,
        ExchangeRateFactory,
        JointActivityFactory,
    )
    from netweave.consultations.models import Recommendation
    from netweave.consultations.tests.factories import comment, make_consultation
    from netweave.directory.models import Relationship
    from netweave.governance.models import (
        Body,
        Deliverable,
        DeliverableDocument,
        Seat,
        TaskGroupJoinRequest,
    )
    from netweave.governance.tests.factories import make_group, make_request
    from netweave.imports.models import ImportRecord
    from netweave.influence.models import InfluenceAssessment, InfluenceGoal
    from netweave.influence.tests.factories import (
        IndicatorFactory,
        IndicatorValueFactory,
        OutcomeFactory,
    )
    from netweave.library.tests.factories import make_document, text_upload
    from netweave.meetings.models import (
        ActionItem,
        AgendaItem,
        AgendaOffer,
        Attendance,
        Decision,
        FeedToken,
        Invitation,
        Minutes,
        Registration,
        Statement,
    )
    from netweave.meetings.tests.factories import MeetingFactory
    from netweave.networks.models import Membership
    from netweave.networks.tests.factories import RoleFactory, UserFactory
    from netweave.partnerships.models import PartnerContribution
    from netweave.partnerships.tests.factories import make_partnership
    from netweave.partnerships.tests.factories import make_round as make_health_round
    from netweave.reports.models import LearningNote
    from netweave.surveys.tests.factories import make_round as make_survey_round

    p = make_personas()
    net, org_a, org_b, person_a = p.network, p.org_a, p.org_b, p.person_a
    for person, user in ((person_a, p.alice), (p.person_b, p.bob)):
        person.user = user
        person.save()

    meeting = MeetingFactory(network=net, host=org_a, start=timezone.now() + dt.timedelta(days=7))
    item = AgendaItem.objects.create(
        meeting=meeting, title="Tariff study", presenter_organisation=org_a
    )
    offer = AgendaOffer.objects.create(network=net, organisation=org_a, title="Our tariff study")
    Minutes.objects.create(meeting=meeting)
    decision = Decision.objects.create(meeting=meeting, text="Adopt the tariff study.")
    Statement.objects.create(meeting=meeting, position=0, text="We support the study.")
    action = ActionItem.objects.create(
        network=net, meeting=meeting, title="Circulate the study", owner_organisation=org_a
    )
    Invitation.objects.create(meeting=meeting, person=person_a)
    Registration.objects.create(meeting=meeting, person=person_a, response="yes")
    Attendance.objects.create(meeting=meeting, person=person_a, organisation=org_a)
    FeedToken.objects.create(person=person_a, token="feed-secret-of-anna")

    group = make_group(p)
    request = make_request(p)
    join = TaskGroupJoinRequest.objects.create(task_group=group, organisation=org_b)
    deliverable = Deliverable.objects.create(task_group=group, title="Tariff guide")
    document = DeliverableDocument.objects.create(
        deliverable=deliverable, title="Draft", file=ContentFile(b"%PDF-1.4\n", name="draft.pdf")
    )
    body = Body.objects.create(network=net, name="Steering committee")
    seat = Seat.objects.create(body=body, organisation=org_a, person=person_a)

    activity = JointActivityFactory(network=net)
    participation = Participation.objects.create(activity=activity, organisation=org_a, role="lead")
    contribution = ContributionFactory(activity=activity, organisation=org_a)
    output = ActivityOutput.objects.create(
        activity=activity, title="Report", file=ContentFile(b"%PDF-1.4\n", name="out.pdf")
    )
    rate = ExchangeRateFactory(network=net)

    partnership = make_partnership(net, org_a, org_b)
    partnership.agreement_file = ContentFile(b"%PDF-1.4\n", name="agreement.pdf")
    partnership.save()
    partner = partnership.partners.get(organisation=org_a)
    partner_contribution = PartnerContribution.objects.create(
        partner=partner, direction="brings", kind="funds"
    )
    today = timezone.localdate()
    health_round = make_health_round(
        partnership, opens=today - dt.timedelta(days=1), closes=today + dt.timedelta(days=7)
    )

    library_document = make_document(
        net, title="Tariff review", author_organisation=org_a, file=text_upload()
    )
    library_document.meetings.add(meeting)
    consultation = make_consultation(p)
    first_comment = comment(consultation, org_a)
    recommendation = Recommendation.objects.create(
        consultation=consultation, section=first_comment.section, text="Lower the tariffs."
    )
    recommendation.comments.add(first_comment)

    outcome = OutcomeFactory(network=net, actor_organisation=org_a)
    indicator = IndicatorFactory(network=net)
    value = IndicatorValueFactory(indicator=indicator)
    goal = InfluenceGoal.objects.create(network=net, title="Tariff reform")
    assessment = InfluenceAssessment.objects.create(
        goal=goal, organisation=org_a, influence=3, position=1, assessed_on=dt.date(2024, 5, 1)
    )
    survey_round = make_survey_round(net)
    import_record = ImportRecord.objects.create(
        network=net,
        kind="organisations",
        file_name="organisations.csv",
        file=ContentFile(b"name\nAlpha\n", name="organisations.csv"),
        created_by=p.fiona,
    )
    relationship = Relationship.objects.create(
        network=net, source=org_a, target=org_b, kind="partners_with"
    )
    membership = Membership.objects.get(network=net, organisation=org_a)
    note = LearningNote.objects.create(
        network=net, year=2024, title="What we learned", lessons="Meet less, decide more."
    )

    invited = UserFactory(username="ivan")
    RoleFactory(user=invited, network=net, kind="observer")
    invited.set_unusable_password()
    invited.save()

    values: dict[str, Any] = {
        "network": net.slug,
        "year": 2024,
        # reports
        "reports.pk": note.pk,
        "api:learning-note.pk": note.pk,
        "reports:download.fmt": "xlsx",
        # core
        "core:network_export.kind": "meetings",
        "core:network_export.fmt": "csv",
        "core:accept_invitation.uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
        "core:accept_invitation.token": default_token_generator.make_token(invited),
        # networks and directory
        "networks.organisation": org_a.slug,
        "networks:member_export.fmt": "csv",
        "directory.slug": org_a.slug,
        "directory.uid": person_a.uid,
        "directory.fmt": "csv",
        "directory_global.slug": org_a.slug,
        "directory_global.uid": person_a.uid,
        "imports.uid": import_record.uid,
        # meetings
        "meetings.uid": meeting.uid,
        "meetings:offer_vote.uid": offer.uid,
        "meetings:offer_accept.uid": offer.uid,
        "meetings:offer_decline.uid": offer.uid,
        "meetings.item": item.uid,
        "meetings.action": action.uid,
        "meetings.person": person_a.uid,
        "meetings.decision": decision.uid,
        "meetings.token": "feed-secret-of-anna",
        "meetings.fmt": "txt",
        "meetings:statement_remove.data": {"position": 0},
        # governance
        "governance.uid": group.uid,
        "governance:request_detail.uid": request.uid,
        "governance:document_download.uid": document.uid,
        "governance.join": join.uid,
        "governance.deliverable": deliverable.uid,
        "governance.seat": seat.uid,
        "governance:member_people.organisation": org_a.slug,
        **{
            f"governance:{name}.uid": body.uid
            for name in ("body_detail", "body_update", "seat_add", "seat_update", "seat_end")
        },
        "governance:seat_replace.uid": body.uid,
        # activities and partnerships
        "activities.uid": activity.uid,
        "activities.contribution": contribution.uid,
        "activities.output": output.uid,
        "activities:participation_remove.data": {"participation": participation.pk},
        "partnerships.uid": partnership.uid,
        "partnerships.partner": partner.uid,
        "partnerships.contribution": partner_contribution.uid,
        "partnerships.round_uid": health_round.uid,
        "partnerships:arrangement_list.data": {"arrangement": partnership.arrangement.slug},
        # library, consultations, influence, surveys, analysis
        "library.uid": library_document.uid,
        "library:detach.data": {"kind": "meeting", "uid": meeting.uid},
        "consultations.uid": consultation.uid,
        "consultations.comment": first_comment.uid,
        "consultations.rec": recommendation.uid,
        "consultations:comment_endorse.data": {"organisation": org_b.slug},
        "influence.uid": outcome.uid,
        **{
            f"influence:{name}.uid": indicator.uid
            for name in ("indicator_detail", "indicator_edit", "value_create", "value_edit")
        },
        "influence:value_delete.uid": indicator.uid,
        "influence.value": value.uid,
        **{
            f"influence:{name}.uid": goal.uid
            for name in ("map_goal_detail", "map_goal_edit", "map_assess", "map_assessment_delete")
        },
        "influence.organisation": org_a.slug,
        "influence.day": assessment.assessed_on.isoformat(),
        "surveys.uid": survey_round.uid,
        "analysis.goal": goal.uid,
        # the API: the record of each router basename
        "api.slug": net.slug,
        "api:organisation-detail.slug": org_a.slug,
        "api:topic-detail.slug": "water",
        "api:sector-detail.slug": org_a.sector.slug,
        "api:arrangement-type-detail.slug": partnership.arrangement.slug,
        "api:exchange-rate-detail.pk": rate.pk,
        "api:cofinancing-list.query": {"network": net.slug},
        "api:survey-round-trend.query": {"network": net.slug},
        "api:survey-round-my-ratings.query": {"organisation": org_a.slug},
        # Creating through the API names the parent record; one who may not see it is told
        # that it does not exist.
        "api:agenda-item-list.data": {"meeting": str(meeting.uid)},
        "api:decision-list.data": {"meeting": str(meeting.uid), "text": "Adopt it."},
        "api:invitation-invite.data": {"meeting": str(meeting.uid)},
        "api:attendance-check-in.data": {"meeting": str(meeting.uid), "person": str(person_a.uid)},
        "api:registration-list.data": {"meeting": str(meeting.uid)},
        "api:action-item-list.data": {"meeting": str(meeting.uid), "title": "Circulate it"},
        "api:activity-contribution-list.data": {
            "activity": str(activity.uid),
            "organisation": org_a.slug,
        },
        "api:consultation-comment-list.data": {
            "section": str(first_comment.section.uid),
            "organisation": org_a.slug,
            "kind": "support",
            "text": "We agree.",
        },
        "api:consultation-recommendation-list.data": {
            "consultation": str(consultation.uid),
            "text": "Lower the tariffs.",
        },
        "api:person-list.data": {"organisation": org_a.slug},
        "api:relationship-list.data": {"source": org_a.slug, "target": org_b.slug},
        "api:agenda-suggestion-detail.meeting_uid": meeting.uid,
        "api:minutes-detail.meeting": meeting.uid,
        "api.seat": seat.uid,
        **{
            f"api:{basename}.uid": record.uid
            for basename, record in {
                "membership": membership,
                "person": person_a,
                "relationship": relationship,
                "partnership": partnership,
                "agenda-item": item,
                "agenda-offer": offer,
                "meeting": meeting,
                "action-item": action,
                "activity": activity,
                "activity-contribution": contribution,
                "member-request": request,
                "task-group": group,
                "deliverable": deliverable,
                "body": body,
                "document": library_document,
                "consultation": consultation,
                "consultation-section": first_comment.section,
                "consultation-comment": first_comment,
                "consultation-recommendation": recommendation,
                "outcome": outcome,
                "indicator": indicator,
                "influence-goal": goal,
                "survey-round": survey_round,
            }.items()
        },
    }
    from netweave.directory.tests.factories import TopicFactory

    TopicFactory(slug="water", name="Water")

    secrets = tuple(
        str(record.uid)
        for record in (
            meeting, item, offer, decision, action, group, request, deliverable, body, seat,
            activity, contribution, partnership, library_document, consultation, first_comment,
            recommendation, outcome, indicator, goal, survey_round, import_record, relationship,
            membership, person_a,
        )
    ) + ('"testnet"', '"awi"')  # fmt: skip

    return World(personas=p, values=values, secrets=secrets)


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    """The world, rolled back after the module; its files in the module's media folder."""
    with override_settings(MEDIA_ROOT=media_root):
        with django_db_blocker.unblock(), transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world, django_db_blocker) -> dict[str, Client]:
    """A client per role, signed in as its persona once for the module (anonymous: not)."""
    found = {}
    with django_db_blocker.unblock():
        for role, user in world.personas.by_role().items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            found[role] = client
    return found


@pytest.fixture(autouse=True)
def _world_files(settings, media_root):
    settings.MEDIA_ROOT = media_root


# Addresses ---------------------------------------------------------------------------------
class UnknownParameter(LookupError):
    pass


def _value(world: World, route: Route, param: str) -> Any:
    """The value of ``param`` in ``route``: by route, then by app or API basename, then anywhere.

    API route names are ``<basename>-<action>`` and basenames have hyphens too, so
    "api:agenda-item-move" looks under "api:agenda-item-move", "api:agenda-item", "api:agenda".
    """
    keys = [f"{route.name}.{param}"]
    if route.is_api:
        parts = route.name.removeprefix("api:").split("-")
        keys += [f"api:{'-'.join(parts[:end])}.{param}" for end in range(len(parts) - 1, 0, -1)]
        keys.append(f"api.{param}")
    else:
        keys.append(f"{route.name.split(':', 1)[0]}.{param}")
    keys.append(param)
    for key in keys:
        if key in world.values:
            return world.values[key]
    raise UnknownParameter(
        f"{route.name} ({route.pattern}) takes <{param}>, which the matrix cannot fill: "
        f"build the record in _build_world() and give its value under "
        f'"{route.name}.{param}" (or "{keys[1]}") in World.values.'
    )


def _url(world: World, route: Route) -> str:
    kwargs = {param: _value(world, route, param) for param in route.params}
    query = world.values.get(f"{route.name}.query")
    return reverse(route.name, kwargs=kwargs, query=query)


# Asking ------------------------------------------------------------------------------------
def _writes(route: Route) -> list[str]:
    """The writing methods to try: those the route offers, or POST when it offers none."""
    if not route.is_api:
        return ["post"]
    offered = [method for method in (*WRITE_METHODS, "delete") if method in route.methods]
    if "patch" in offered and "put" in offered:
        offered.remove("put")  # the same update; PUT would only add a "field required" 400
    return offered or ["post"]


def _payload(world: World, route: Route, method: str) -> dict[str, Any]:
    """What a write carries: no form, at most the records the route needs to find its target.

    An API list is written to with the network (or the parent record) named in the body, so
    that one who may not read it is told it does not exist (400 on that field: "hidden").
    """
    if method == "delete":
        return {}
    data = dict(world.values.get(f"{route.name}.data", {}))
    if route.is_list and method == "post":
        data.setdefault("network", world.values["network"])
    if route.is_api:
        return {"data": data, "content_type": "application/json"}
    return {"data": data}


def _rejected_fields(response: Any, sent: dict[str, Any]) -> bool:
    """Whether a 400 refuses one of the records the payload names (it is not visible)."""
    try:
        errors = response.json()
    except ValueError:
        return False
    return isinstance(errors, dict) and any(field in errors for field in sent)


def _classify(response: Any, route: Route, role: str, world: World, sent: dict) -> str:
    status = response.status_code
    method = response.request["REQUEST_METHOD"]
    if status in REDIRECTS:
        location = response.get("Location", "")
        return LOGIN if location.startswith(reverse("login")) else OK
    if status == 401 or (status == 403 and route.is_api and role == "anonymous"):
        return LOGIN
    if status == 403:
        return REFUSED
    if status == 404:
        return HIDDEN
    if status == 405:
        return NOT_ALLOWED
    if status == 400 and route.is_api and _rejected_fields(response, sent):
        return HIDDEN
    if route.is_list and status == 200 and method == "GET":
        body = response.content.decode()
        return OK if any(secret in body for secret in world.secrets) else SCOPED
    if 200 <= status < 300 or (status in (400, 409) and method != "GET"):
        return OK
    return f"status {status}"


def _ask(
    world: World, client: Client, route: Route, url: str, role: str, method: str
) -> tuple[str, list[str]]:
    """The class of the answer, and the tables written although the request was not served."""
    payload = _payload(world, route, method)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **payload)
        transaction.set_rollback(True)
    # Messages kept in a cookie would pile up from one request to the next.
    client.cookies.pop("messages", None)
    outcome = _classify(response, route, role, world, payload.get("data", {}))
    written = []
    if not 200 <= response.status_code < 400:
        for query in queries.captured_queries:
            match = WRITE_SQL.match(query["sql"])
            if match and match.group(2) not in UNTRACKED_TABLES:
                written.append(match.group(2))
    return outcome, written


def _expected(rule: Rule, method: str) -> dict[str, str]:
    if method == "get":
        return rule.read
    if method == "delete" and rule.delete is not None:
        return rule.delete
    return rule.write


# The tests ---------------------------------------------------------------------------------
def test_every_route_has_a_rule():
    """A page or endpoint added without a rule in access_matrix.RULES fails here."""
    missing = sorted(name for name in ROUTES if name not in RULES and name not in EXEMPT)
    assert not missing, (
        "These routes have no access rule. Add each to RULES in access_matrix.py, e.g.\n"
        + "\n".join(
            f'    "{name}": Rule(read=MEMBERS_READ, write=FACILITATOR_WRITE),' for name in missing
        )
    )


def test_every_rule_has_a_route():
    """A rule or exemption left behind for a route that no longer exists fails here."""
    stale = sorted((set(RULES) | set(EXEMPT)) - set(ROUTES))
    assert not stale, f"Rules for routes that no longer exist, remove them: {stale}"


def test_rules_name_every_role():
    """Each rule says what happens to every role, for reading and for writing."""
    for name, rule in RULES.items():
        for policy in (rule.read, rule.write, rule.delete or rule.write):
            assert set(policy) == set(ROLES), name


@pytest.mark.parametrize("name", CHECKED)
def test_route_answers_each_role_as_its_rule_says(world, clients, name):
    """Reading and writing, every role gets the class of answer the route's rule gives."""
    route = ROUTES[name]
    rule = RULES[name]
    url = _url(world, route)
    wrong = []
    for method in ["get", *_writes(route)]:
        expected = _expected(rule, method)
        for role in ROLES:
            outcome, written = _ask(world, clients[role], route, url, role, method)
            if outcome != expected[role]:
                wrong.append(f"{method.upper()} as {role}: {outcome}, expected {expected[role]}")
            if written:
                wrong.append(f"{method.upper()} as {role} was not served but wrote {written}")
    assert not wrong, f"{name} {url}\n" + "\n".join(wrong)
