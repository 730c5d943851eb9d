"""The REST API under /api/v1/: one router over every app's viewsets."""

from importlib import import_module

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from netweave.activities.api import (
    CofinancingViewSet,
    ContributionViewSet,
    ExchangeRateViewSet,
    JointActivityViewSet,
)
from netweave.directory.api import (
    OrganisationViewSet,
    PersonViewSet,
    RelationshipViewSet,
    SectorViewSet,
    TopicViewSet,
)
from netweave.governance.api import (
    BodyViewSet,
    DeliverableViewSet,
    MemberRequestViewSet,
    TaskGroupViewSet,
)
from netweave.meetings.api import InvitationViewSet, MeetingViewSet, RegistrationViewSet
from netweave.meetings.api_agenda import (
    AgendaItemViewSet,
    AgendaOfferViewSet,
    AgendaSuggestionViewSet,
)
from netweave.meetings.api_day import (
    ActionItemViewSet,
    AttendanceViewSet,
    DecisionViewSet,
    MinutesViewSet,
)
from netweave.networks.api import MembershipViewSet, NetworkViewSet
from netweave.partnerships.api import ArrangementTypeViewSet, PartnershipViewSet

# Newer apps list their routes in their own api.py (ROUTES and URLS) instead of here.
APP_APIS = [
    import_module(f"netweave.{app}.api")
    for app in ("library", "consultations", "influence", "surveys", "analysis", "reports")
]

app_name = "api"

router = DefaultRouter()
router.register("networks", NetworkViewSet, basename="network")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("topics", TopicViewSet, basename="topic")
router.register("sectors", SectorViewSet, basename="sector")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("arrangement-types", ArrangementTypeViewSet, basename="arrangement-type")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("agenda-offers", AgendaOfferViewSet, basename="agenda-offer")
router.register("agenda-suggestions", AgendaSuggestionViewSet, basename="agenda-suggestion")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("activities", JointActivityViewSet, basename="activity")
router.register("activity-contributions", ContributionViewSet, basename="activity-contribution")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
router.register("cofinancing", CofinancingViewSet, basename="cofinancing")
router.register("member-requests", MemberRequestViewSet, basename="member-request")
router.register("task-groups", TaskGroupViewSet, basename="task-group")
router.register("deliverables", DeliverableViewSet, basename="deliverable")
router.register("bodies", BodyViewSet, basename="body")
for app_api in APP_APIS:
    for prefix, viewset, basename in app_api.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    *(url for app_api in APP_APIS for url in app_api.URLS),
    path("", include(router.urls)),
]
