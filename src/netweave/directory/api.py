"""API of the directory: organisations, people, topics, sectors and relationships.

Serializers validate; the services in ``services.py`` write. Each list reads a page with a
fixed number of queries: what the caller may see is decided inside the page's query
(subqueries on memberships and roles), never row by row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import (
    FACILITATOR,
    contact_networks,
    facilitated_networks,
    focal_organisation_ids,
    get_access,
    require,
    visible_networks,
)
from netweave.core.api import (
    CachedNetworkListMixin,
    NetworkScopedMixin,
    SlugsFilter,
    VisibleNetworkField,
    VisibleOrganisationField,
    network_filter,
    request_user,
    service_errors,
    visible_organisations,
)
from netweave.directory import privacy, services
from netweave.directory.filters import OrganisationFilter, PersonFilter, search_organisations
from netweave.directory.models import (
    Organisation,
    Person,
    Relationship,
    RelationshipKind,
    Sector,
    Topic,
)
from netweave.networks.models import Membership, MembershipStatus, Network

CONTACT_HELP = _("Only for callers who may see this record's contact details; else null.")


# Who may see and edit what, across networks ------------------------------------------------
def _members_of(networks: QuerySet) -> QuerySet:
    return Membership.objects.filter(network__in=networks).values("organisation_id")


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False))


def editing_network(user: Any, organisation: Organisation | None) -> Network | None:
    """A network of ``organisation`` in which ``user`` may edit it, if there is one."""
    if organisation is None:
        return None
    networks = visible_networks(user).filter(memberships__organisation=organisation).distinct()
    for network in networks.order_by("name"):
        if get_access(user, network).can_edit_organisation(organisation):
            return network
    return None


def may_edit_somewhere(user: Any) -> bool:
    """Whether the user edits some organisation at all (facilitator or focal point)."""
    return (
        _is_staff(user) or facilitated_networks(user).exists() or bool(focal_organisation_ids(user))
    )


def list_network_roles(request: Any, action: str | None) -> set[str] | None:
    """The caller's roles in the network a list is filtered by (``?network=<slug>``).

    None when the request is not such a list; staff hold every role. The network filter
    itself refuses a network the caller may not read, so an empty set is still a network
    the caller reads (a public one).
    """
    slug = request.query_params.get("network") if action == "list" else None
    if not slug:
        return None
    user = request.user
    if _is_staff(user):
        return {FACILITATOR}
    if not user.is_authenticated:
        return set()
    Role = Membership._meta.apps.get_model("networks", "Role")
    return set(Role.objects.filter(user=user, network__slug=slug).values_list("kind", flat=True))


def visible_people(user: Any) -> QuerySet:
    """People the user may see: listed ones of visible networks' members, and all they edit."""
    people = Person.objects.all()
    if _is_staff(user):
        return people
    return people.filter(organisation_id__in=_members_of(visible_networks(user))).filter(
        Q(consent_listed=True)
        | Q(organisation_id__in=_members_of(facilitated_networks(user)))
        | Q(organisation_id__in=focal_organisation_ids(user))
    )


# Shared fields -----------------------------------------------------------------------------
class _TopicsByName(serializers.ManyRelatedField):
    def to_representation(self, iterable: Any) -> list[Any]:
        return super().to_representation(sorted(iterable, key=lambda topic: topic.name))


class TopicSlugsField(serializers.SlugRelatedField):
    """Topics by slug; a list comes out sorted by name, sorted here rather than in SQL.

    Lists prefetch topics unordered (``unordered_topics``): ordering them by name in the
    prefetch made PostgreSQL walk the topic-name index and scan every interest of each
    topic (20 ms at 100,000 people) instead of reading the page's interests by person.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", queryset=Topic.objects.all(), **kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> serializers.ManyRelatedField:
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return _TopicsByName(**list_kwargs)


def unordered_topics() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.order_by())


def _blank_nulls(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Contact fields read back as null when hidden; writing null means empty."""
    return {key: ("" if key in fields and value is None else value) for key, value in data.items()}


# Organisations -----------------------------------------------------------------------------
ORGANISATION_CONTACTS = ("email", "phone", "address")


class OrganisationSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", queryset=Sector.objects.all())
    topics = TopicSlugsField(many=True, required=False)
    networks = serializers.SerializerMethodField(
        help_text=_("Slugs of the networks, among those you may read, it is a member of now.")
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, allow_null=True, max_length=254, help_text=CONTACT_HELP
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40, help_text=CONTACT_HELP
    )
    address = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=CONTACT_HELP
    )

    class Meta:
        model = Organisation
        fields = [
            "slug",
            *services.ORGANISATION_FIELDS,
            "topics",
            "networks",
            "created",
            "modified",
        ]
        read_only_fields = ["slug", "created", "modified"]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_networks(self, organisation: Organisation) -> list[str]:
        memberships = getattr(organisation, "visible_memberships", [])
        return [membership.network.slug for membership in memberships]

    def validate_country(self, value: str) -> str:
        value = value.strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise serializers.ValidationError(_("Use the two-letter ISO country code, e.g. TJ."))
        return value

    def to_representation(self, organisation: Organisation) -> dict[str, Any]:
        data = super().to_representation(organisation)
        if not getattr(organisation, "contacts_visible", False):
            for key in ORGANISATION_CONTACTS:
                data[key] = None
        return data

    def service_data(self) -> dict[str, Any]:
        data = {
            key: value
            for key, value in self.validated_data.items()
            if key in services.ORGANISATION_FIELDS
        }
        return _blank_nulls(data, ORGANISATION_CONTACTS)


class OrganisationCreateSerializer(OrganisationSerializer):
    network = VisibleNetworkField(
        write_only=True, help_text=_("The network the organisation joins; you facilitate it.")
    )
    joined = serializers.DateField(write_only=True, required=False, help_text=_("Default: today."))

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "network", "joined"]


class OrganisationApiFilter(OrganisationFilter):
    """The directory's filters, across the networks the caller may read.

    ``status`` reads the latest membership in one network, so it needs ``network``.
    """

    network = network_filter(method="filter_network")
    sector = SlugsFilter(
        queryset=Sector.objects.all(), field_name="sector__slug", label=_("Sector")
    )
    topic = SlugsFilter(
        queryset=Topic.objects.all(), field_name="topics__slug", distinct=True, label=_("Topic")
    )
    status = filters.MultipleChoiceFilter(
        choices=MembershipStatus.choices,
        method="filter_status",
        label=_("Status"),
        help_text=_("Status of the latest membership; only together with network."),
    )
    # Sorting is the API's own ?ordering=, over plain columns.
    ordering = None

    def filter_network(self, queryset: QuerySet, name: str, value: Network) -> QuerySet:
        return queryset  # applied first, in filter_queryset: status reads its annotation

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        network = self.form.cleaned_data.get("network")
        if network is not None:
            # The network is visible (the filter's choices), so all its members are too.
            queryset = queryset.for_directory(network)
        return super().filter_queryset(queryset)

    def filter_status(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(membership_status__in=value) if value else queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Found through a person's name only where that person may be seen.
        user = getattr(self.request, "user", None)
        return search_organisations(queryset, value, people=visible_people(user))

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if (
            valid
            and self.form.cleaned_data.get("status")
            and not self.form.cleaned_data.get("network")
        ):
            self.form.add_error("status", _("Filter by status only together with a network."))
            return False
        return valid


@extend_schema_view(
    create=extend_schema(request=OrganisationCreateSerializer, responses=OrganisationSerializer),
)
class OrganisationViewSet(
    CachedNetworkListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations of the networks the caller may read.

    Facilitators add organisations to their networks; a facilitator, or the organisation's
    own focal point, edits it. Contact details only for callers with a role in one of the
    organisation's networks.
    """

    lookup_field = "slug"
    filterset_class = OrganisationApiFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["name", "acronym", "country", "created", "modified"]
    ordering = ["name", "pk"]

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        current = Membership.objects.current().filter(network__in=visible_networks(user))
        roles = list_network_roles(self.request, self.action)
        if roles is not None:
            # The network filter admits only networks the caller may read, and every
            # member of such a network is visible: the installation-wide test is left out,
            # so the database starts from that network's members.
            organisations = Organisation.objects.all()
        else:
            organisations = visible_organisations(user)
        if roles:  # a role in the listed network: its members' contacts are visible
            contacts_visible = Value(True)
        else:
            contacts_visible = Exists(
                Membership.objects.filter(
                    organisation=OuterRef("pk"), network__in=contact_networks(user)
                )
            )
        return (
            organisations.select_related("sector")
            .annotate(contacts_visible=contacts_visible)
            .prefetch_related(
                unordered_topics(),
                Prefetch(
                    "memberships",
                    queryset=current.select_related("network").order_by("network__name"),
                    to_attr="visible_memberships",
                ),
            )
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return OrganisationCreateSerializer if self.action == "create" else OrganisationSerializer

    def _read(self, organisation: Organisation) -> dict[str, Any]:
        """The organisation as the caller sees it, read again after a write."""
        fresh = self.get_queryset().get(pk=organisation.pk)
        return OrganisationSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(_is_staff(request.user) or facilitated_networks(request.user).exists())
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = serializer.validated_data["network"]
        require(get_access(request.user, network).is_facilitator)
        with service_errors():
            organisation = services.create_organisation(
                network,
                serializer.service_data(),
                joined=serializer.validated_data.get("joined"),
                topics=serializer.validated_data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(organisation), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = self.get_object()
        network = editing_network(request.user, organisation)
        require(network is not None)
        serializer = self.get_serializer(
            organisation, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_organisation(
                organisation,
                serializer.service_data(),
                network=network,
                topics=serializer.validated_data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(organisation))


# People ------------------------------------------------------------------------------------
PERSON_CONTACTS = ("email", "phone")


class PersonSerializer(serializers.ModelSerializer):
    organisation = VisibleOrganisationField()
    topics = TopicSlugsField(many=True, required=False)
    email = serializers.EmailField(
        required=False, allow_blank=True, allow_null=True, max_length=254, help_text=CONTACT_HELP
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40, help_text=CONTACT_HELP
    )

    class Meta:
        model = Person
        fields = [
            "uid",
            "name",
            "organisation",
            "position",
            "email",
            "phone",
            "languages",
            "consent_listed",
            "consent_contact",
            "consent_date",
            "topics",
            "created",
            "modified",
        ]
        read_only_fields = ["uid", "created", "modified"]

    def to_representation(self, person: Person) -> dict[str, Any]:
        data = super().to_representation(person)
        visible = getattr(person, "facilitates", False) or (
            getattr(person, "org_contacts", False) and person.consent_contact
        )
        if not (visible or _is_staff(request_user(self.context))):
            for key in PERSON_CONTACTS:
                data[key] = None
        return data

    def service_data(self) -> dict[str, Any]:
        data = {
            key: value
            for key, value in self.validated_data.items()
            if key in services.PERSON_FIELDS
        }
        return _blank_nulls(data, PERSON_CONTACTS)


class PersonApiFilter(PersonFilter):
    network = network_filter(method="filter_network")
    sector = SlugsFilter(
        queryset=Sector.objects.all(), field_name="organisation__sector__slug", label=_("Sector")
    )
    topic = SlugsFilter(
        queryset=Topic.objects.all(), field_name="topics__slug", distinct=True, label=_("Topic")
    )
    ordering = None

    def filter_network(self, queryset: QuerySet, name: str, value: Network) -> QuerySet:
        return queryset.in_network(value)


class PersonEraseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=100)


@extend_schema_view(
    list=extend_schema(description=_("People the caller may see, by name.")),
)
class PersonViewSet(
    CachedNetworkListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People of member organisations who agreed to be listed; facilitators and the
    organisation's focal points also see, add and edit the others.

    E-mail and phone only for callers with a role in one of the organisation's networks
    and when the person agreed to be contacted (facilitators: always).
    """

    lookup_field = "uid"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"
    serializer_class = PersonSerializer
    filterset_class = PersonApiFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["name", "created", "modified"]
    ordering = ["name", "pk"]

    def get_queryset(self) -> QuerySet:
        user = self.request.user

        def member_of(networks: QuerySet) -> Exists:
            return Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("organisation_id"), network__in=networks
                )
            )

        # A facilitator asking for a network they facilitate sees all its people: leaving
        # the consent test out lets the database start from that network's members instead
        # of testing every person of the installation (the network filter still applies).
        roles = list_network_roles(self.request, self.action)
        if roles and FACILITATOR in roles:
            people = Person.objects.annotate(org_contacts=Value(True), facilitates=Value(True))
        else:
            people = visible_people(user).annotate(
                org_contacts=member_of(contact_networks(user)),
                facilitates=member_of(facilitated_networks(user)),
            )
        return people.select_related("organisation").prefetch_related(unordered_topics())

    def _read(self, person: Person) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=person.pk)
        return PersonSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(may_edit_somewhere(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = editing_network(request.user, serializer.validated_data["organisation"])
        require(network is not None)
        with service_errors():
            person = services.create_person(
                serializer.service_data(),
                network=network,
                topics=serializer.validated_data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(person), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        network = editing_network(request.user, person.organisation)
        # Individual members (no organisation) belong to no network: only staff edit them.
        require(network is not None or _is_staff(request.user))
        serializer = self.get_serializer(
            person, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        moved_to = serializer.validated_data.get("organisation")
        if moved_to is not None and moved_to.pk != person.organisation_id:
            # A focal point may move people only between organisations they speak for.
            network = editing_network(request.user, moved_to)
            require(network is not None)
        with service_errors():
            services.update_person(
                person,
                serializer.service_data(),
                network=network,
                topics=serializer.validated_data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(person))

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description=_("Everything held about the person (facilitators of their networks)."),
    )
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request: Request, uid: str | None = None) -> Response:
        person = self.get_object()
        require(privacy.may_manage_privacy(person, request.user))
        return Response(privacy.export_person_data(person, acting_user=request.user))

    @extend_schema(
        request=PersonEraseSerializer,
        responses={200: PersonSerializer},
        description=_("Anonymise the person for good; attendance and seats stay, anonymous."),
    )
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, uid: str | None = None) -> Response:
        person = self.get_object()
        require(privacy.may_manage_privacy(person, request.user))
        serializer = PersonEraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            person = privacy.erase_person(
                person, acting_user=request.user, reason=serializer.validated_data["reason"]
            )
        return Response(self._read(person))


# Topics and sectors ------------------------------------------------------------------------
class TopicSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(
        max_length=120, required=False, help_text=_("Default: made from the name.")
    )

    class Meta:
        model = Topic
        fields = ["slug", "name", "description"]


class TopicViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The interest taxonomy: facilitators of any network add topics, site staff edit them."""

    queryset = Topic.objects.order_by("name")
    serializer_class = TopicSerializer
    lookup_field = "slug"
    filter_backends = [OrderingFilter]
    ordering_fields = ["name", "slug"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(_is_staff(request.user) or facilitated_networks(request.user).exists())
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            topic = services.create_topic(serializer.validated_data, acting_user=request.user)
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        topic = self.get_object()
        require(_is_staff(request.user))
        serializer = self.get_serializer(
            topic, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_topic(topic, serializer.validated_data, acting_user=request.user)
        return Response(TopicSerializer(topic).data)


class SectorSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=_("In the caller's language."))

    class Meta:
        model = Sector
        fields = ["slug", "name", "sphere", "position", "colour"]

    def get_name(self, sector: Sector) -> str:
        return gettext(sector.name)


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The sector taxonomy (seeded; site administrators change it in the admin)."""

    queryset = Sector.objects.order_by("position", "name")
    serializer_class = SectorSerializer
    lookup_field = "slug"
    filter_backends: list[type] = []


# Relationships -----------------------------------------------------------------------------
class RelationshipSerializer(serializers.ModelSerializer):
    network = VisibleNetworkField()
    source = VisibleOrganisationField()
    target = VisibleOrganisationField()

    class Meta:
        model = Relationship
        fields = [
            "uid",
            "network",
            "source",
            "target",
            "kind",
            "start",
            "end",
            "strength",
            "note",
            "created",
            "modified",
        ]
        read_only_fields = ["uid", "created", "modified"]


class RelationshipFilter(filters.FilterSet):
    network = network_filter()
    organisation = filters.CharFilter(
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Slug of an organisation at either end."),
    )
    kind = filters.MultipleChoiceFilter(choices=RelationshipKind.choices)

    class Meta:
        model = Relationship
        fields: list[str] = []

    def filter_organisation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(source__slug=value) | Q(target__slug=value))


class RelationshipViewSet(
    CachedNetworkListMixin,
    NetworkScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Ties that organisations declare in a network; declared and removed by a facilitator
    or the source organisation's focal point."""

    queryset = Relationship.objects.select_related("network", "source", "target").order_by(
        "network__name", "source__name", "kind", "target__name", "id"
    )
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_field = "uid"  # typed as a uuid in the schema; a malformed one is a 404

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(may_edit_somewhere(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(
            self.access_for(network).can_edit_relationship(data["source"].pk, data["target"].pk)
        )
        with service_errors():
            relationship = services.declare_relationship(network, **data, acting_user=request.user)
        return Response(self.get_serializer(relationship).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        relationship = self.get_object()
        access = self.access_for(relationship.network)
        require(access.can_edit_relationship(relationship.source_id, relationship.target_id))
        services.remove_relationship(relationship, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
