"""API of the network survey: rounds, one's own ratings, results.

The policy is the pages' (``permissions.py``): rounds are read by users with a role in
their network; facilitators create, open and close them; a focal point reads and submits
the ratings of their own organisation; results per organisation go to facilitators and
the steering committee, the network's figures to every role, and a focal point's own
organisation's received averages only from ``MIN_RATERS`` raters on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import contact_networks, get_access, require
from netweave.core.api import VisibleNetworkField, service_errors
from netweave.directory.models import Organisation
from netweave.partnerships.api import inline_choice
from netweave.surveys import permissions, services
from netweave.surveys.models import MEASURES, MIN_RATERS, RoundStatus, SurveyRound, TieRating


# Serializers -------------------------------------------------------------------------------
class SurveyRoundSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = inline_choice(RoundStatus.choices, read_only=True)
    responses = serializers.IntegerField(source="responses_count", read_only=True)
    ratings = serializers.IntegerField(source="ratings_count", read_only=True)

    class Meta:
        model = SurveyRound
        fields = [
            "uid",
            "network",
            "year",
            "title",
            "opens",
            "closes",
            "status",
            "responses",
            "ratings",
        ]
        read_only_fields = fields


class SurveyRoundCreateSerializer(serializers.Serializer):
    network = VisibleNetworkField()
    # Any integer: the service refuses a year out of range with its own message.
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    opens = serializers.DateField(required=False, allow_null=True, default=None)
    closes = serializers.DateField(required=False, allow_null=True, default=None)


class TieRatingSerializer(serializers.ModelSerializer):
    rated = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = TieRating
        fields = ["rated", "frequency", "trust", "value", "comment", "modified"]
        read_only_fields = fields


class RatingInSerializer(serializers.Serializer):
    rated = serializers.SlugField(help_text="Slug of a member organisation of the round.")
    no_tie = serializers.BooleanField(
        default=False, help_text="True removes an earlier rating of this organisation."
    )
    # Integers of any size: the service refuses those outside 1–5 with its own message.
    frequency = serializers.IntegerField(required=False, allow_null=True)
    trust = serializers.IntegerField(required=False, allow_null=True)
    value = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text="Slug of the organisation you answer for.")
    ratings = RatingInSerializer(many=True)


class MyRatingsSerializer(serializers.Serializer):
    organisation = serializers.SlugField()
    responded = serializers.BooleanField()
    ratings = TieRatingSerializer(many=True)


class AveragesSerializer(serializers.Serializer):
    frequency = serializers.FloatField(allow_null=True)
    trust = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True)


class OrganisationResultSerializer(serializers.Serializer):
    organisation = serializers.SlugField()
    responded = serializers.BooleanField()
    received = serializers.IntegerField()
    received_averages = AveragesSerializer(allow_null=True)
    given = serializers.IntegerField(allow_null=True)
    given_averages = AveragesSerializer(allow_null=True)


class RoundResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.CharField()
    members = serializers.IntegerField()
    responded = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    ratings = serializers.IntegerField()
    averages = AveragesSerializer()
    reciprocity = serializers.FloatField(allow_null=True)
    organisations = OrganisationResultSerializer(many=True)


class TrendPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.CharField()
    members = serializers.IntegerField()
    responded = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    ratings = serializers.IntegerField()
    averages = AveragesSerializer()
    received = serializers.IntegerField(required=False)
    received_averages = AveragesSerializer(required=False, allow_null=True)


NETWORK_PARAMETER = OpenApiParameter(
    "network", OpenApiTypes.STR, description="Slug of a network you have a role in."
)
ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    OpenApiTypes.STR,
    description="Slug of the organisation you answer for (needed when you answer for several).",
)


# Viewset -----------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(parameters=[NETWORK_PARAMETER]),
    create=extend_schema(request=SurveyRoundCreateSerializer, responses=SurveyRoundSerializer),
)
class SurveyRoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Network survey rounds of the networks in which the caller has a role."""

    serializer_class = SurveyRoundSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            SurveyRound.objects.filter(network__in=contact_networks(self.request.user))
            .select_related("network")
            .annotate(
                responses_count=Count("responses", distinct=True),
                ratings_count=Count("ratings", distinct=True),
            )
            .order_by("network__name", "-year")
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset

    def _access(self, survey_round: SurveyRound) -> Any:
        return get_access(self.request.user, survey_round.network)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SurveyRoundCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(permissions.can_manage(get_access(request.user, network)))
        with service_errors():
            survey_round = services.create_round(network, acting_user=request.user, **data)
        return Response(
            SurveyRoundSerializer(self.get_queryset().get(pk=survey_round.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _transition(self, request: Request, service: Any) -> Response:
        survey_round = self.get_object()
        require(permissions.can_manage(self._access(survey_round)))
        with service_errors():
            service(survey_round, acting_user=request.user)
        return Response(SurveyRoundSerializer(self.get_queryset().get(pk=survey_round.pk)).data)

    @extend_schema(request=None, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, uid: str | None = None) -> Response:
        """Open a draft round for answers (facilitators)."""
        return self._transition(request, services.open_round)

    @extend_schema(request=None, responses=SurveyRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, uid: str | None = None) -> Response:
        """Close an open round; its ratings no longer change (facilitators)."""
        return self._transition(request, services.close_round)

    def _rater(self, survey_round: SurveyRound, slug: str | None) -> Organisation:
        access = self._access(survey_round)
        members = services.round_members(survey_round)
        if slug:
            rater = members.filter(slug=slug).first()
            if rater is None:
                raise serializers.ValidationError(
                    {"organisation": [_("Not a member organisation of this round.")]}
                )
        else:
            mine = [pk for pk in access.focal_org_ids]
            candidates = list(members.filter(pk__in=mine)[:2])
            if len(candidates) != 1:
                raise serializers.ValidationError(
                    {"organisation": [_("Say which organisation you answer for.")]}
                )
            rater = candidates[0]
        require(permissions.can_rate_for(access, rater.pk))
        return rater

    def _mine(self, survey_round: SurveyRound, rater: Organisation) -> dict:
        return {
            "organisation": rater.slug,
            "responded": services.has_responded(survey_round, rater),
            "ratings": TieRatingSerializer(
                services.my_ratings(survey_round, rater), many=True
            ).data,
        }

    @extend_schema(
        methods=["get"], parameters=[ORGANISATION_PARAMETER], responses=MyRatingsSerializer
    )
    @extend_schema(methods=["post"], request=SubmitSerializer, responses=MyRatingsSerializer)
    @action(detail=True, methods=["get", "post"], url_path="my-ratings")
    def my_ratings(self, request: Request, uid: str | None = None) -> Response:
        """The ratings your organisation gave (GET), or submit them while the round is open.

        A submission changes only the organisations it lists; ``no_tie`` removes a rating.
        """
        survey_round = self.get_object()
        if request.method == "GET":
            rater = self._rater(survey_round, request.query_params.get("organisation"))
            return Response(self._mine(survey_round, rater))
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rater = self._rater(survey_round, data["organisation"])
        slugs = [row["rated"] for row in data["ratings"]]
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in organisations]
        if missing:
            raise serializers.ValidationError(
                {
                    "ratings": [
                        _("%(slug)s is not a member organisation of this network.") % {"slug": slug}
                        for slug in missing
                    ]
                }
            )
        ratings = {
            organisations[row["rated"]]: None
            if row["no_tie"]
            else {name: row.get(name) for name in (*MEASURES, "comment")}
            for row in data["ratings"]
        }
        with service_errors():
            services.submit_ratings(
                survey_round, rater=rater, ratings=ratings, acting_user=request.user
            )
        return Response(self._mine(survey_round, rater), status=status.HTTP_201_CREATED)

    @extend_schema(responses=RoundResultSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, uid: str | None = None) -> Response:
        """The round's figures: per organisation for facilitators and the steering committee;
        for a focal point the network's and their own organisation's received averages."""
        survey_round = self.get_object()
        access = self._access(survey_round)
        figures = services.figures_of_round(survey_round)
        sees_all = permissions.can_see_all_results(access)
        visible_ids = (
            set(figures.by_organisation)
            if sees_all
            else set(figures.by_organisation) & set(access.focal_org_ids)
        )
        slugs = dict(Organisation.objects.filter(pk__in=visible_ids).values_list("pk", "slug"))
        organisations = []
        for pk in sorted(visible_ids, key=lambda pk: slugs[pk]):
            row = figures.by_organisation[pk]
            shown = sees_all or row.received.count >= MIN_RATERS
            organisations.append(
                {
                    "organisation": slugs[pk],
                    "responded": row.responded,
                    "received": row.received.count,
                    "received_averages": row.received.averages if shown else None,
                    "given": row.given.count if sees_all else None,
                    "given_averages": row.given.averages if sees_all else None,
                }
            )
        return Response(
            {
                "year": survey_round.year,
                "status": survey_round.status,
                "members": figures.members,
                "responded": figures.responded,
                "response_rate": figures.response_rate,
                "ratings": figures.ratings,
                "averages": figures.overall,
                "reciprocity": figures.reciprocity,
                "organisations": organisations,
            }
        )

    @extend_schema(
        parameters=[
            NETWORK_PARAMETER,
            OpenApiParameter(
                "organisation",
                OpenApiTypes.STR,
                description=(
                    "Slug of an organisation: adds what it received each year (``received``"
                    " and ``received_averages``). Facilitators and the steering committee"
                    " may name any organisation; a focal point only their own, whose"
                    f" averages show from {MIN_RATERS} raters on."
                ),
            ),
        ],
        responses=TrendPointSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def trend(self, request: Request) -> Response:
        """Response rate and network averages by year, for ``?network=<slug>``; with
        ``&organisation=<slug>``, also that organisation's received averages by year."""
        slug = request.query_params.get("network", "")
        network = contact_networks(request.user).filter(slug=slug).first()
        if network is None:
            raise NotFound(_("No network %(slug)s that you have a role in.") % {"slug": slug})
        organisation = None
        sees_all = False
        org_slug = request.query_params.get("organisation", "").strip()
        if org_slug:
            access = get_access(request.user, network)
            sees_all = permissions.can_see_all_results(access)
            organisation = Organisation.objects.filter(slug=org_slug).first()
            require(
                organisation is not None
                and (sees_all or organisation.pk in set(access.focal_org_ids))
            )
        points = services.network_trend(network)
        series = (
            services.received_series(network, organisation, points, sees_all=sees_all)
            if organisation is not None
            else [None] * len(points)
        )
        body = []
        for point, received in zip(points, series, strict=True):
            item: dict[str, Any] = {
                "year": point.year,
                "status": point.status,
                "members": point.members,
                "responded": point.responded,
                "response_rate": point.response_rate,
                "ratings": point.ratings,
                "averages": point.averages,
            }
            if received is not None:
                item["received"] = received["count"]
                item["received_averages"] = (
                    {name: received[name] for name in MEASURES} if received["shown"] else None
                )
            body.append(item)
        return Response(body)


ROUTES = [("survey-rounds", SurveyRoundViewSet, "survey-round")]
# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = []
