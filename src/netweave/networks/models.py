"""Networks, their stages, who belongs to them and who holds which role in them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from netweave.core.models import TimeStampedModel


class Stage(models.TextChoices):
    INFORMAL = "informal", _("Informal")
    EMERGING = "emerging", _("Emerging")
    FORMAL = "formal", _("Formal")
    RECOGNISED = "recognised", _("Recognised")


STAGE_ORDER = [choice.value for choice in Stage]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone may read the directory")
    MEMBERS = "members", _("Members only: visible to people with a role in the network")


class Network(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    aims = models.TextField(_("aims"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 two-letter code")
    )
    sector_focus = models.CharField(_("sector focus"), max_length=200, blank=True)
    launched = models.DateField(_("launched"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage, default=Stage.INFORMAL)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.MEMBERS
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", kwargs={"network": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class StageMilestone(models.Model):
    """The dated step of a network from one stage to the next."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("stage milestone")
        verbose_name_plural = _("stage milestones")
        constraints = [
            models.UniqueConstraint(fields=["network", "stage"], name="one_milestone_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.get_stage_display()} ({self.date})"


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(left__isnull=True).exclude(status=MembershipStatus.LEFT)

    def active(self) -> MembershipQuerySet:
        return self.current().filter(status=MembershipStatus.ACTIVE)

    def as_of(self, day) -> MembershipQuerySet:
        """Memberships that were running on ``day``."""
        return self.filter(joined__lte=day).filter(Q(left__isnull=True) | Q(left__gt=day))


class Membership(TimeStampedModel):
    """A period during which an organisation belongs to a network.

    An organisation that leaves and comes back has two rows; only one may be open.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus, default=MembershipStatus.ACTIVE
    )
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["joined", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(left__isnull=True),
                name="one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.network}"

    @property
    def is_current(self) -> bool:
        return self.left is None or self.left > timezone.localdate()


class SeatKind(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    ALTERNATE = "alternate", _("Alternate")


class Representation(TimeStampedModel):
    """Who speaks for a member organisation in a network, and since when.

    When staff rotate, a handover closes the outgoing person's row and opens one for the
    incoming person, so the history shows who represented whom when.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="representations")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="representations"
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="representations"
    )
    kind = models.CharField(_("seat"), max_length=20, choices=SeatKind)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "kind", "-start"]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(end__isnull=True, kind="representative"),
                name="one_current_representative",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation", "person"],
                condition=Q(end__isnull=True),
                name="one_open_seat_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.organisation} ({self.get_kind_display()})"


class RoleKind(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    STEERING = "steering", _("Steering committee member")
    FOCAL_POINT = "focal_point", _("Focal point")
    OBSERVER = "observer", _("Observer")


class Role(TimeStampedModel):
    """A user's role in one network; a focal point speaks for one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="focal_roles",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["network_id", "kind"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network", "kind"],
                condition=Q(organisation__isnull=True),
                name="one_role_of_a_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "network", "kind", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_focal_role_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(kind="focal_point", organisation__isnull=False)
                | (~Q(kind="focal_point") & Q(organisation__isnull=True)),
                name="focal_point_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        if self.organisation_id:
            return f"{self.user} — {self.get_kind_display()} ({self.organisation})"
        return f"{self.user} — {self.get_kind_display()} ({self.network})"
