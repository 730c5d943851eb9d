"""Who may read and who may write each page and API endpoint: the rules of test_access_matrix.

Every named route has a ``Rule``: the class of answer each role gets when reading (GET) and
when writing (POST for pages; POST, PUT and PATCH for the API, and DELETE, which has its
own policy where it differs). The roles are the personas of ``core.testing`` in a
members-only network, every record in the URLs belonging to organisation A (alice's):

- anonymous; outsider (signed in, no role); other_facilitator (frank, of another network)
- observer; other_focal_point (bob, organisation B); focal_point (alice, organisation A)
- steering; facilitator

Classes of answer:

- ``ok``: served (2xx or a redirect elsewhere than sign-in). A write without a valid
  payload counts as served when it gets the form back (200), a 400 or a redirect.
- ``scoped``: an API list served without a single record of the network.
- ``refused``: 403, the user sees the record but may not do this.
- ``hidden``: 404, the user may not know the record exists; on the API also a 400 that
  says a record named in the body does not exist.
- ``login``: sent to sign in (pages) or 401/403 for an anonymous API caller.
- ``n/a``: 405, the route does not take the method.

Policies are named after who is served; ``_policy`` fills in the rest: other roles in
the network are refused, those outside it get a 404, as ``core.access`` says.
"""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
SCOPED = "scoped"
REFUSED = "refused"
HIDDEN = "hidden"
LOGIN = "login"
NOT_ALLOWED = "n/a"

ROLES = (
    "anonymous",
    "outsider",
    "observer",
    "other_focal_point",
    "focal_point",
    "steering",
    "other_facilitator",
    "facilitator",
)
OUTSIDE = ("anonymous", "outsider", "other_facilitator")
MEMBERS = ("observer", "other_focal_point", "focal_point", "steering", "facilitator")

Policy = dict[str, str]


@dataclass(frozen=True)
class Rule:
    read: Policy
    write: Policy
    delete: Policy | None = None  # the API's DELETE, when it differs from writing


def _policy(served: tuple[str, ...], *, members: str = REFUSED, **exceptions: str) -> Policy:
    """``served`` get ``ok``, other members ``members``, outsiders ``hidden``; then exceptions."""
    policy = {
        role: OK if role in served else (members if role in MEMBERS else HIDDEN) for role in ROLES
    }
    policy.update(exceptions)
    return policy


def _same(outcome: str) -> Policy:
    return dict.fromkeys(ROLES, outcome)


def api(policy: Policy) -> Policy:
    """The API's version of a page policy: an anonymous caller is asked to sign in."""
    return {**policy, "anonymous": LOGIN}


def api_list(policy: Policy) -> Policy:
    """An API list: those who may not see the network get an empty list, not a 404."""
    return api({role: SCOPED if outcome == HIDDEN else outcome for role, outcome in policy.items()})


# Everybody --------------------------------------------------------------------------------
PUBLIC = _same(OK)
# The address holds a secret (a calendar feed, an invitation): whoever has it is served.
BY_SECRET = _same(OK)
NOT_ALLOWED_FOR_ANYONE = _same(NOT_ALLOWED)

# Reading ----------------------------------------------------------------------------------
MEMBERS_READ = _policy(MEMBERS)
DASHBOARDS_READ = _policy(("steering", "facilitator"))
FACILITATOR_READ = _policy(("facilitator",))
# Influence mapping and the consultations' synthesis are not even listed to other members.
STEERING_ONLY_READ = _policy(("steering", "facilitator"), members=HIDDEN)
FACILITATOR_ONLY_READ = _policy(("facilitator",), members=HIDDEN)
# Consultations are for invited member organisations, the steering committee and the
# secretariat; observers do not see them.
CONSULTED_READ = _policy(
    ("other_focal_point", "focal_point", "steering", "facilitator"), observer=HIDDEN
)
# A member request is seen by the organisation that raised it, steering and facilitators.
REQUEST_READ = _policy(("focal_point", "steering", "facilitator"), members=HIDDEN)
# The survey: organisations rate one another; observers and steering have nothing to rate.
RATERS = _policy(("other_focal_point", "focal_point", "facilitator"), members=HIDDEN)

# Writing ----------------------------------------------------------------------------------
FACILITATOR_WRITE = _policy(("facilitator",))
STEERING_WRITE = _policy(("steering", "facilitator"))
MEMBERS_WRITE = _policy(MEMBERS)
# Organisation A's own records (its profile, people, documents, activities it leads).
FOCAL_OWN = _policy(("focal_point", "facilitator"))
# Any focal point speaks for its own organisation (a request, an offer, a registration).
FOCAL_ANY_ROLES = ("other_focal_point", "focal_point", "facilitator")
FOCAL_ANY = _policy(FOCAL_ANY_ROLES)
# A task group: its lead organisation (A), steering and the secretariat.
GROUP_LEAD = _policy(("focal_point", "steering", "facilitator"))
# Partners answer the health check, not the secretariat that runs it.
PARTNERS_ONLY = _policy(("other_focal_point", "focal_point"))
# Writes on a consultation: observers do not see it at all.
CONSULTATION_FACILITATOR = _policy(("facilitator",), observer=HIDDEN)
CONSULTATION_FOCAL_ANY = _policy(
    ("other_focal_point", "focal_point", "facilitator"), observer=HIDDEN
)
CONSULTATION_FOCAL_OWN = _policy(("focal_point", "facilitator"), observer=HIDDEN)
# Organisation B's focal point endorses A's comment; the secretariat does not take sides.
ENDORSE_OTHERS = _policy(("other_focal_point",), observer=HIDDEN)
# A recommendation gets its answer once the synthesis is published; the world's
# consultation is still open, so nobody may record one yet.
CONSULTATION_NOBODY = _policy((), observer=HIDDEN)
# Invitations and registrations of an organisation's people: its focal point, the secretariat.
OWN_PEOPLE_READ = _policy(("focal_point", "facilitator"), members=HIDDEN)
# One's own calendar feed: for signed-in people with a record in the directory.
PEOPLE_WITH_A_RECORD = _policy(("other_focal_point", "focal_point"), members=HIDDEN)
REQUEST_TRIAGE = _policy(("steering", "facilitator"), members=HIDDEN, focal_point=REFUSED)
INFLUENCE_FACILITATOR = _policy(("facilitator",), members=HIDDEN, steering=REFUSED)
RATERS_WRITE = RATERS

# Pages ------------------------------------------------------------------------------------
# A page that only shows (GET) answers 405 to POST; an action (POST) answers 405 to GET.
READ_ONLY = NOT_ALLOWED_FOR_ANYONE
ACTION_ONLY = NOT_ALLOWED_FOR_ANYONE


# Pages behind sign-in first (influence): anonymous visitors are sent to sign in.
def signed_in(policy: Policy) -> Policy:
    return {**policy, "anonymous": LOGIN}


# The API ----------------------------------------------------------------------------------
API_NOT_ALLOWED = api(NOT_ALLOWED_FOR_ANYONE)
API_SIGNED_IN = api(PUBLIC)
# Installation-wide lists (sectors, arrangement types): nothing of the network in them.
API_SIGNED_IN_LIST = api(_same(SCOPED))
API_NOBODY = api(_same(REFUSED))
# Installation-wide taxonomies: a facilitator of any network may add to them.
API_ANY_FACILITATOR = api(_same(REFUSED) | {"other_facilitator": OK, "facilitator": OK})
# An API create validates the body before it checks the caller's role, so an empty body is
# a 400 for every member (nothing is written: the test checks); one who may not read the
# network is told that the network named in the body does not exist.
API_CREATE = api(MEMBERS_WRITE)
# Creating a directory record: only those who edit somewhere get past the first check
# (outsiders: 403); the body is validated before the organisation is checked, so a focal
# point's empty body is a 400 either way.
API_FACILITATOR_CREATE = api(_policy(("facilitator",), outsider=REFUSED))
API_EDITORS_CREATE = api(_policy(FOCAL_ANY_ROLES, outsider=REFUSED))

PROGRAMME_ONLY = signed_in(_same(REFUSED))

EXEMPT: dict[str, str] = {
    "login": "signing in is for everyone; throttled and tested in core/tests/test_access.py",
    "logout": "signing out is for everyone",
    "set_language": "the language switch is for everyone and changes nothing stored",
    "javascript-catalog": "static translations for scripts",
    "schema": "the OpenAPI schema, public by design (test_api_schema.py)",
    "api-docs": "interactive API docs, served offline, public by design",
    "api-redoc": "API reference, public by design",
}

RULES: dict[str, Rule] = {
    # activities ----------------------------------------------------------------------------
    "activities:cofinancing": Rule(MEMBERS_READ, READ_ONLY),
    "activities:contribution_add": Rule(ACTION_ONLY, FOCAL_OWN),
    "activities:contribution_remove": Rule(ACTION_ONLY, FOCAL_OWN),
    "activities:create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "activities:detail": Rule(MEMBERS_READ, READ_ONLY),
    "activities:edit": Rule(FOCAL_OWN, FOCAL_OWN),
    "activities:list": Rule(MEMBERS_READ, READ_ONLY),
    "activities:output_add": Rule(ACTION_ONLY, FOCAL_OWN),
    "activities:output_file": Rule(MEMBERS_READ, READ_ONLY),
    "activities:participation_add": Rule(ACTION_ONLY, FOCAL_OWN),
    "activities:participation_remove": Rule(ACTION_ONLY, FOCAL_OWN),
    "activities:rates": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    # analysis ------------------------------------------------------------------------------
    "analysis:dashboard": Rule(DASHBOARDS_READ, READ_ONLY),
    "analysis:influence_paths": Rule(STEERING_ONLY_READ, READ_ONLY),
    "analysis:map": Rule(DASHBOARDS_READ, READ_ONLY),
    "analysis:map_json": Rule(DASHBOARDS_READ, READ_ONLY),
    "analysis:map_png": Rule(DASHBOARDS_READ, READ_ONLY),
    "analysis:map_svg": Rule(DASHBOARDS_READ, READ_ONLY),
    "analysis:status": Rule(DASHBOARDS_READ, READ_ONLY),
    # api -----------------------------------------------------------------------------------
    "api:action-item-detail": Rule(api(MEMBERS_READ), api(FOCAL_OWN)),
    "api:action-item-list": Rule(api_list(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:activity-contribution-detail": Rule(
        api(MEMBERS_READ), API_NOT_ALLOWED, delete=api(FOCAL_OWN)
    ),
    "api:activity-contribution-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:activity-detail": Rule(api(MEMBERS_READ), api(FOCAL_OWN), delete=api(FACILITATOR_WRITE)),
    "api:activity-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:agenda-item-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:agenda-item-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:agenda-item-move": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:agenda-offer-accept": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:agenda-offer-decline": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:agenda-offer-detail": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:agenda-offer-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:agenda-offer-vote": Rule(API_NOT_ALLOWED, api(MEMBERS_WRITE)),
    "api:agenda-suggestion-detail": Rule(api(FACILITATOR_READ), API_NOT_ALLOWED),
    "api:api-root": Rule(API_SIGNED_IN, API_NOT_ALLOWED),
    "api:arrangement-type-detail": Rule(API_SIGNED_IN, API_ANY_FACILITATOR),
    "api:arrangement-type-list": Rule(API_SIGNED_IN_LIST, API_NOT_ALLOWED),
    "api:attendance-check-in": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:attendance-list": Rule(api_list(MEMBERS_READ), API_NOT_ALLOWED),
    "api:body-balance": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:body-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:body-end-seat": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:body-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:body-replace-seat": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:body-seats": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:body-update-seat": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:cofinancing-list": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:consultation-close": Rule(API_NOT_ALLOWED, api(CONSULTATION_FACILITATOR)),
    "api:consultation-comment-detail": Rule(api(CONSULTED_READ), API_NOT_ALLOWED),
    "api:consultation-comment-endorse": Rule(
        API_NOT_ALLOWED, api(ENDORSE_OTHERS), delete=api(ENDORSE_OTHERS)
    ),
    "api:consultation-feedback-docx": Rule(api(STEERING_ONLY_READ), API_NOT_ALLOWED),
    "api:consultation-feedback-pdf": Rule(api(STEERING_ONLY_READ), API_NOT_ALLOWED),
    "api:consultation-open": Rule(API_NOT_ALLOWED, api(CONSULTATION_FACILITATOR)),
    "api:consultation-publish": Rule(API_NOT_ALLOWED, api(CONSULTATION_FACILITATOR)),
    "api:consultation-recommendation-dissent": Rule(API_NOT_ALLOWED, api(INFLUENCE_FACILITATOR)),
    "api:consultation-recommendation-respond": Rule(API_NOT_ALLOWED, api(INFLUENCE_FACILITATOR)),
    "api:consultation-comment-list": Rule(api_list(CONSULTED_READ), api(CONSULTATION_FOCAL_OWN)),
    "api:consultation-detail": Rule(api(CONSULTED_READ), API_NOT_ALLOWED),
    "api:consultation-list": Rule(api_list(CONSULTED_READ), API_CREATE),
    "api:consultation-recommendation-detail": Rule(api(STEERING_ONLY_READ), API_NOT_ALLOWED),
    "api:consultation-recommendation-list": Rule(
        api_list(STEERING_ONLY_READ), api(CONSULTATION_FACILITATOR)
    ),
    "api:consultation-section-detail": Rule(api(CONSULTED_READ), API_NOT_ALLOWED),
    "api:consultation-section-list": Rule(api_list(CONSULTED_READ), API_NOT_ALLOWED),
    "api:decision-list": Rule(api_list(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:deliverable-detail": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:deliverable-fulfil": Rule(API_NOT_ALLOWED, api(FOCAL_OWN)),
    "api:deliverable-list": Rule(api_list(MEMBERS_READ), API_NOT_ALLOWED),
    "api:document-detail": Rule(api(MEMBERS_READ), api(FOCAL_OWN)),
    "api:document-download": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:document-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:exchange-rate-detail": Rule(
        API_NOT_ALLOWED, API_NOT_ALLOWED, delete=api(FACILITATOR_WRITE)
    ),
    "api:exchange-rate-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:indicator-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:indicator-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:indicator-values": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:influence-goal-assessments": Rule(api(STEERING_ONLY_READ), api(INFLUENCE_FACILITATOR)),
    "api:influence-goal-detail": Rule(api(STEERING_ONLY_READ), api(INFLUENCE_FACILITATOR)),
    "api:influence-goal-list": Rule(api_list(STEERING_ONLY_READ), API_CREATE),
    "api:influence-goal-stances": Rule(api(STEERING_ONLY_READ), API_NOT_ALLOWED),
    "api:invitation-invite": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:invitation-list": Rule(api_list(OWN_PEOPLE_READ), API_NOT_ALLOWED),
    "api:meeting-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:meeting-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:member-request-detail": Rule(api(REQUEST_READ), API_NOT_ALLOWED),
    "api:member-request-list": Rule(api_list(REQUEST_READ), API_CREATE),
    "api:member-request-triage": Rule(API_NOT_ALLOWED, api(REQUEST_TRIAGE)),
    "api:membership-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:membership-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:minutes-detail": Rule(api(FACILITATOR_ONLY_READ), api(FACILITATOR_WRITE)),
    "api:network-analysis": Rule(api(DASHBOARDS_READ), API_NOT_ALLOWED),
    "api:network-analysis-status": Rule(api(DASHBOARDS_READ), API_NOT_ALLOWED),
    "api:network-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:network-list": Rule(api_list(MEMBERS_READ), API_NOBODY),
    "api:organisation-detail": Rule(api(MEMBERS_READ), api(FOCAL_OWN)),
    "api:organisation-list": Rule(api_list(MEMBERS_READ), API_FACILITATOR_CREATE),
    "api:outcome-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:outcome-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:partnership-answer": Rule(API_NOT_ALLOWED, api(MEMBERS_WRITE)),
    "api:partnership-contributions": Rule(API_NOT_ALLOWED, api(MEMBERS_WRITE)),
    "api:partnership-detail": Rule(api(MEMBERS_READ), api(FACILITATOR_WRITE)),
    "api:partnership-health": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:partnership-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:partnership-partners": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:partnership-placements": Rule(API_NOT_ALLOWED, api(MEMBERS_WRITE)),
    "api:partnership-plot": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:partnership-rounds": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:person-detail": Rule(api(MEMBERS_READ), api(FOCAL_OWN)),
    "api:person-erase": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:person-list": Rule(api_list(MEMBERS_READ), API_EDITORS_CREATE),
    "api:person-personal-data": Rule(api(FACILITATOR_READ), API_NOT_ALLOWED),
    "api:registration-list": Rule(api_list(OWN_PEOPLE_READ), API_CREATE),
    "api:relationship-detail": Rule(api(MEMBERS_READ), API_NOT_ALLOWED, delete=api(FOCAL_OWN)),
    "api:relationship-list": Rule(api_list(MEMBERS_READ), API_EDITORS_CREATE),
    "api:sector-detail": Rule(API_SIGNED_IN, API_NOT_ALLOWED),
    "api:sector-list": Rule(API_SIGNED_IN_LIST, API_NOT_ALLOWED),
    "api:survey-round-close": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:survey-round-detail": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:survey-round-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:survey-round-my-ratings": Rule(api(FOCAL_OWN), api(MEMBERS_WRITE)),
    "api:survey-round-open": Rule(API_NOT_ALLOWED, api(FACILITATOR_WRITE)),
    "api:survey-round-results": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:survey-round-trend": Rule(api(MEMBERS_READ), API_NOT_ALLOWED),
    "api:task-group-close": Rule(API_NOT_ALLOWED, api(FOCAL_OWN)),
    "api:task-group-decide-join": Rule(API_NOT_ALLOWED, api(FOCAL_OWN)),
    "api:task-group-deliverables": Rule(API_NOT_ALLOWED, api(FOCAL_OWN)),
    "api:task-group-detail": Rule(api(MEMBERS_READ), api(GROUP_LEAD)),
    # The organisation is named in the body: any focal point may name its own people.
    "api:task-group-people": Rule(API_NOT_ALLOWED, api(FOCAL_ANY)),
    "api:task-group-join": Rule(API_NOT_ALLOWED, api(MEMBERS_WRITE)),
    "api:task-group-list": Rule(api_list(MEMBERS_READ), API_CREATE),
    "api:token": Rule(ACTION_ONLY, PUBLIC),
    "api:topic-detail": Rule(API_SIGNED_IN, API_NOBODY),
    "api:topic-list": Rule(API_SIGNED_IN_LIST, API_ANY_FACILITATOR),
    # consultations -------------------------------------------------------------------------
    "consultations:close": Rule(ACTION_ONLY, CONSULTATION_FACILITATOR),
    "consultations:comment_create": Rule(ACTION_ONLY, CONSULTATION_FOCAL_ANY),
    "consultations:comment_edit": Rule(CONSULTATION_FOCAL_OWN, CONSULTATION_FOCAL_OWN),
    "consultations:comment_endorse": Rule(ACTION_ONLY, ENDORSE_OTHERS),
    "consultations:create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "consultations:detail": Rule(CONSULTED_READ, READ_ONLY),
    "consultations:dissent_add": Rule(ACTION_ONLY, CONSULTATION_FACILITATOR),
    "consultations:edit": Rule(CONSULTATION_FACILITATOR, CONSULTATION_FACILITATOR),
    "consultations:feedback": Rule(STEERING_ONLY_READ, READ_ONLY),
    "consultations:feedback_docx": Rule(STEERING_ONLY_READ, READ_ONLY),
    "consultations:feedback_pdf": Rule(STEERING_ONLY_READ, READ_ONLY),
    "consultations:list": Rule(MEMBERS_READ, READ_ONLY),
    "consultations:open": Rule(ACTION_ONLY, CONSULTATION_FACILITATOR),
    "consultations:publish": Rule(ACTION_ONLY, CONSULTATION_FACILITATOR),
    "consultations:recommendation_delete": Rule(ACTION_ONLY, CONSULTATION_FACILITATOR),
    "consultations:recommendation_edit": Rule(CONSULTATION_FACILITATOR, CONSULTATION_FACILITATOR),
    "consultations:response_record": Rule(ACTION_ONLY, CONSULTATION_NOBODY),
    "consultations:synthesis": Rule(CONSULTATION_FACILITATOR, CONSULTATION_FACILITATOR),
    # core ----------------------------------------------------------------------------------
    "core:about": Rule(PUBLIC, READ_ONLY),
    "core:accept_invitation": Rule(BY_SECRET, BY_SECRET),
    "core:healthz": Rule(PUBLIC, READ_ONLY),
    "core:home": Rule(PUBLIC, READ_ONLY),
    "core:network_audit": Rule(FACILITATOR_READ, READ_ONLY),
    "core:network_export": Rule(MEMBERS_READ, READ_ONLY),
    # directory -----------------------------------------------------------------------------
    "directory:organisation_create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "directory:organisation_detail": Rule(MEMBERS_READ, READ_ONLY),
    "directory:organisation_export": Rule(MEMBERS_READ, READ_ONLY),
    "directory:organisation_list": Rule(MEMBERS_READ, READ_ONLY),
    "directory:organisation_suggestions": Rule(MEMBERS_READ, READ_ONLY),
    "directory:organisation_update": Rule(FOCAL_OWN, FOCAL_OWN),
    "directory:person_create": Rule(FOCAL_ANY, FOCAL_ANY),
    "directory:person_detail": Rule(MEMBERS_READ, READ_ONLY),
    "directory:person_erase": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "directory:person_export": Rule(MEMBERS_READ, READ_ONLY),
    "directory:person_list": Rule(MEMBERS_READ, READ_ONLY),
    "directory:person_personal_data": Rule(FACILITATOR_READ, READ_ONLY),
    "directory:person_update": Rule(FOCAL_OWN, FOCAL_OWN),
    # directory_global ----------------------------------------------------------------------
    "directory_global:organisation_global": Rule(MEMBERS_READ, READ_ONLY),
    "directory_global:person_global": Rule(MEMBERS_READ, READ_ONLY),
    # governance ----------------------------------------------------------------------------
    "governance:body_create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "governance:body_detail": Rule(MEMBERS_READ, READ_ONLY),
    "governance:body_list": Rule(MEMBERS_READ, READ_ONLY),
    "governance:body_update": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "governance:deliverable_add": Rule(FOCAL_OWN, FOCAL_OWN),
    "governance:deliverable_fulfil": Rule(FOCAL_OWN, FOCAL_OWN),
    "governance:document_download": Rule(MEMBERS_READ, READ_ONLY),
    "governance:join_decide": Rule(ACTION_ONLY, FOCAL_OWN),
    "governance:request_create": Rule(FOCAL_ANY, FOCAL_ANY),
    "governance:request_detail": Rule(REQUEST_READ, REQUEST_TRIAGE),
    "governance:request_list": Rule(MEMBERS_READ, READ_ONLY),
    "governance:seat_add": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "governance:seat_end": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "governance:seat_replace": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "governance:seat_update": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "governance:member_people": Rule(FOCAL_OWN, FOCAL_OWN),
    "governance:task_group_close": Rule(FOCAL_OWN, FOCAL_OWN),
    "governance:task_group_create": Rule(DASHBOARDS_READ, STEERING_WRITE),
    "governance:task_group_detail": Rule(MEMBERS_READ, READ_ONLY),
    "governance:task_group_join": Rule(ACTION_ONLY, FOCAL_ANY),
    "governance:task_group_list": Rule(MEMBERS_READ, READ_ONLY),
    "governance:task_group_update": Rule(GROUP_LEAD, GROUP_LEAD),
    # imports -------------------------------------------------------------------------------
    "imports:confirm": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "imports:detail": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "imports:discard": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "imports:list": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "imports:options": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "imports:undo": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    # influence -----------------------------------------------------------------------------
    "influence:indicator_create": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "influence:indicator_detail": Rule(signed_in(MEMBERS_READ), API_NOT_ALLOWED),
    "influence:indicator_edit": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "influence:indicator_list": Rule(signed_in(MEMBERS_READ), API_NOT_ALLOWED),
    "influence:map_assess": Rule(INFLUENCE_FACILITATOR, INFLUENCE_FACILITATOR),
    "influence:map_assessment_delete": Rule(ACTION_ONLY, INFLUENCE_FACILITATOR),
    "influence:map_goal_create": Rule(INFLUENCE_FACILITATOR, INFLUENCE_FACILITATOR),
    "influence:map_goal_detail": Rule(STEERING_ONLY_READ, READ_ONLY),
    "influence:map_goal_edit": Rule(INFLUENCE_FACILITATOR, INFLUENCE_FACILITATOR),
    "influence:map_goal_list": Rule(STEERING_ONLY_READ, READ_ONLY),
    "influence:outcome_create": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "influence:outcome_detail": Rule(signed_in(MEMBERS_READ), API_NOT_ALLOWED),
    "influence:outcome_edit": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "influence:outcome_list": Rule(signed_in(MEMBERS_READ), API_NOT_ALLOWED),
    "influence:value_create": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "influence:value_delete": Rule(API_NOT_ALLOWED, signed_in(FACILITATOR_WRITE)),
    "influence:value_edit": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    # library -------------------------------------------------------------------------------
    "library:attach": Rule(ACTION_ONLY, FOCAL_OWN),
    "library:create": Rule(FOCAL_ANY, FOCAL_ANY),
    "library:delete": Rule(FOCAL_OWN, FOCAL_OWN),
    "library:detach": Rule(ACTION_ONLY, FOCAL_OWN),
    "library:detail": Rule(MEMBERS_READ, READ_ONLY),
    "library:download": Rule(MEMBERS_READ, READ_ONLY),
    "library:edit": Rule(FOCAL_OWN, FOCAL_OWN),
    "library:list": Rule(MEMBERS_READ, READ_ONLY),
    # meetings ------------------------------------------------------------------------------
    "meetings:action_add": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:action_board": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:action_status": Rule(ACTION_ONLY, FOCAL_OWN),
    "meetings:agenda": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:agenda_builder": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:agenda_item_delete": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:agenda_item_edit": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:agenda_item_move": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:agenda_print": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:calendar": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:checkin": Rule(FACILITATOR_READ, READ_ONLY),
    "meetings:checkin_add": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:checkin_registered": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:checkin_toggle": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:decision_add": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:decision_remove": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:detail": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:event": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:feed_reset": Rule(ACTION_ONLY, PEOPLE_WITH_A_RECORD),
    "meetings:invite": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:minutes": Rule(MEMBERS_READ, FACILITATOR_WRITE),
    "meetings:minutes_export": Rule(FACILITATOR_ONLY_READ, READ_ONLY),
    "meetings:network_feed": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:offer_accept": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:offer_create": Rule(FOCAL_ANY, FOCAL_ANY),
    "meetings:offer_decline": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "meetings:offer_list": Rule(MEMBERS_READ, READ_ONLY),
    "meetings:offer_vote": Rule(ACTION_ONLY, MEMBERS_WRITE),
    "meetings:person_feed": Rule(BY_SECRET, READ_ONLY),
    "meetings:register": Rule(FOCAL_ANY, FOCAL_ANY),
    "meetings:statement_add": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:statement_remove": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "meetings:update": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    # networks ------------------------------------------------------------------------------
    "networks:detail": Rule(MEMBERS_READ, READ_ONLY),
    "networks:edit": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "networks:member_detail": Rule(FACILITATOR_READ, READ_ONLY),
    "networks:member_export": Rule(FACILITATOR_READ, READ_ONLY),
    "networks:member_leave": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "networks:member_list": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "networks:member_seat": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "networks:milestone_record": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "networks:role_assign": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "networks:role_invite": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "networks:role_list": Rule(FACILITATOR_READ, READ_ONLY),
    "networks:role_remove": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    # partnerships --------------------------------------------------------------------------
    "partnerships:agreement": Rule(MEMBERS_READ, READ_ONLY),
    "partnerships:arrangement_list": Rule(MEMBERS_READ, FACILITATOR_WRITE),
    "partnerships:contribution_add": Rule(ACTION_ONLY, FOCAL_ANY),
    "partnerships:contribution_remove": Rule(ACTION_ONLY, FOCAL_OWN),
    "partnerships:create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "partnerships:detail": Rule(MEMBERS_READ, READ_ONLY),
    "partnerships:edit": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "partnerships:health_answer": Rule(PARTNERS_ONLY, PARTNERS_ONLY),
    "partnerships:list": Rule(MEMBERS_READ, READ_ONLY),
    "partnerships:overview": Rule(MEMBERS_READ, READ_ONLY),
    "partnerships:partner_add": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "partnerships:partner_remove": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "partnerships:placement": Rule(FOCAL_ANY, FOCAL_ANY),
    "partnerships:round_open": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    # reports and the programme --------------------------------------------------------------
    "reports:index": Rule(signed_in(DASHBOARDS_READ), signed_in(READ_ONLY)),
    "reports:report": Rule(signed_in(DASHBOARDS_READ), signed_in(READ_ONLY)),
    "reports:download": Rule(signed_in(DASHBOARDS_READ), signed_in(READ_ONLY)),
    "reports:template": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "reports:notes": Rule(signed_in(DASHBOARDS_READ), signed_in(READ_ONLY)),
    "reports:note": Rule(signed_in(DASHBOARDS_READ), signed_in(READ_ONLY)),
    "reports:note_new": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "reports:note_edit": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    "reports:note_delete": Rule(signed_in(FACILITATOR_READ), signed_in(FACILITATOR_WRITE)),
    # No persona is in the programme learning team: everyone is refused (reports tests cover
    # the team itself).
    "programme:index": Rule(PROGRAMME_ONLY, signed_in(READ_ONLY)),
    "programme:notes": Rule(PROGRAMME_ONLY, signed_in(READ_ONLY)),
    "api:network-report": Rule(api(DASHBOARDS_READ), API_NOT_ALLOWED),
    "api:network-report-template": Rule(api(DASHBOARDS_READ), api(FACILITATOR_WRITE)),
    # Notes the caller may not read are not there for them (no oracle), in the list and by id.
    "api:learning-note-list": Rule(api_list(STEERING_ONLY_READ), API_CREATE),
    "api:learning-note-detail": Rule(api(STEERING_ONLY_READ), api(INFLUENCE_FACILITATOR)),
    "api:programme-comparison": Rule(api(_same(REFUSED)), API_NOT_ALLOWED),
    # surveys -------------------------------------------------------------------------------
    "surveys:rate": Rule(RATERS, RATERS_WRITE),
    "surveys:results": Rule(MEMBERS_READ, READ_ONLY),
    "surveys:round_close": Rule(ACTION_ONLY, FACILITATOR_WRITE),
    "surveys:round_create": Rule(FACILITATOR_READ, FACILITATOR_WRITE),
    "surveys:round_detail": Rule(MEMBERS_READ, READ_ONLY),
    "surveys:round_list": Rule(MEMBERS_READ, READ_ONLY),
    "surveys:round_open": Rule(ACTION_ONLY, FACILITATOR_WRITE),
}
