"""Organisations, people, sectors, topics and the ties organisations declare."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.lib.text import clean_text, normalize_name
from netweave.core.models import TimeStampedModel


class Sphere(models.TextChoices):
    """The three sectors of partnership practice that a sector belongs to."""

    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class Sector(models.Model):
    """One entry of the sector taxonomy (seeded, editable by site administrators)."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sphere = models.CharField(_("sphere"), max_length=20, choices=Sphere)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    colour = models.CharField(_("colour"), max_length=7, default="#888888")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """An interest that organisations and people declare and agendas are built around."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class InterestLevel(models.IntegerChoices):
    FOLLOWING = 1, _("Following")
    ACTIVE = 2, _("Active")
    CORE = 3, _("Core priority")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def in_network(self, network) -> OrganisationQuerySet:
        """Organisations with a current membership of ``network``."""
        from netweave.networks.models import Membership

        return self.filter(
            id__in=Membership.objects.current().filter(network=network).values("organisation_id")
        )

    def for_directory(self, network) -> OrganisationQuerySet:
        """Every organisation that ever belonged to ``network``, with its latest membership.

        Annotates ``membership_status``, ``joined`` and ``left`` from the latest membership
        period, ``current`` (an open membership), and preloads the sector, so a directory
        page is one query.
        """
        from netweave.networks.models import Membership

        # The network is compared as ``network_id + 0`` so that no index on the network can
        # serve it: SQLite (which has no statistics unless ANALYZE ran) otherwise read
        # every membership of the network for each organisation, three times per row,
        # instead of the organisation's own one or two through its index.
        latest = (
            Membership.objects.filter(organisation=models.OuterRef("pk"))
            .alias(network_key=models.F("network_id") + 0)
            .filter(network_key=network.pk)
            .order_by("-joined", "-id")
        )
        return (
            self.filter(id__in=Membership.objects.filter(network=network).values("organisation_id"))
            .annotate(
                membership_status=models.Subquery(latest.values("status")[:1]),
                joined=models.Subquery(latest.values("joined")[:1]),
                left=models.Subquery(latest.values("left")[:1]),
                current=models.Exists(
                    Membership.objects.current().filter(
                        network=network, organisation=models.OuterRef("pk")
                    )
                ),
            )
            .select_related("sector")
        )


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=250)
    name_key = models.CharField(max_length=250, db_index=True, editable=False)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("sector")
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 two-letter code")
    )
    region = models.CharField(_("region"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    showcase = models.TextField(
        _("showcase"),
        blank=True,
        help_text=_("What the organisation wants the network to know about its work."),
    )
    topics = models.ManyToManyField(
        Topic, through="OrganisationInterest", related_name="organisations", blank=True
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["sector", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = clean_text(self.name)
        self.acronym = clean_text(self.acronym)
        self.name_key = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self, network=None) -> str:
        if network is None:
            return reverse("directory_global:organisation_global", kwargs={"slug": self.slug})
        return reverse(
            "directory:organisation_detail",
            kwargs={"network": network.slug, "slug": self.slug},
        )

    @property
    def display_name(self) -> str:
        if self.acronym and self.acronym.casefold() != self.name.casefold():
            return f"{self.name} ({self.acronym})"
        return self.name


class OrganisationInterest(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interests"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), choices=InterestLevel, default=InterestLevel.ACTIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interest of an organisation")
        verbose_name_plural = _("interests of organisations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "topic"], name="one_org_interest"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.topic}"


class PersonQuerySet(models.QuerySet["Person"]):
    def in_network(self, network) -> PersonQuerySet:
        """People whose organisation ever belonged to ``network``."""
        from netweave.networks.models import Membership

        return self.filter(
            organisation_id__in=Membership.objects.filter(network=network).values("organisation_id")
        )

    def listed(self) -> PersonQuerySet:
        return self.filter(consent_listed=True)


class Person(TimeStampedModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for an individual member."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example: tg, ru, en")
    )
    consent_listed = models.BooleanField(_("agrees to be listed"), default=False)
    consent_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_date = models.DateField(_("consent recorded on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    topics = models.ManyToManyField(
        Topic, through="PersonInterest", related_name="people", blank=True
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = clean_text(self.name)
        self.name_key = normalize_name(self.name)
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self, network=None) -> str:
        if network is None:
            return reverse("directory_global:person_global", kwargs={"uid": self.uid})
        return reverse("directory:person_detail", kwargs={"network": network.slug, "uid": self.uid})


class PersonInterest(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), choices=InterestLevel, default=InterestLevel.ACTIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interest of a person")
        verbose_name_plural = _("interests of people")
        constraints = [
            models.UniqueConstraint(fields=["person", "topic"], name="one_person_interest"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.topic}"


class RelationshipKind(models.TextChoices):
    FUNDS = "funds", _("funds")
    PARTNERS_WITH = "partners_with", _("partners with")
    ADVISES = "advises", _("advises")
    REPORTS_TO = "reports_to", _("reports to")
    MEMBER_OF = "member_of", _("is a member of")
    IMPLEMENTS_FOR = "implements_for", _("implements for")
    REGULATES = "regulates", _("regulates")


class Relationship(TimeStampedModel):
    """A typed, directed, dated tie that one organisation declares towards another.

    Declared within a network, whose facilitators and the two parties' focal points
    may edit it.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="relationships"
    )
    source = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships_in"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RelationshipKind)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (occasional) to 5 (close and constant)"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source__name", "kind"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="no_self_tie"),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="relationship_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["network", "source", "target", "kind"],
                condition=Q(end__isnull=True),
                name="one_open_relationship",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"
