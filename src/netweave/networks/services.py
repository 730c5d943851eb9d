"""Writes that change networks, memberships, seats and roles.

Pages, the API and commands call these, never ``.save()`` on these models directly.
Each function checks its inputs and raises ``ValidationError`` keyed by field, so every
caller shows the same message; each runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from netweave.core.access import forget_access
from netweave.core.signals import log_role_change
from netweave.networks.models import (
    STAGE_ORDER,
    Membership,
    MembershipStatus,
    Network,
    Representation,
    Role,
    RoleKind,
    SeatKind,
    StageMilestone,
)

logger = logging.getLogger("netweave.networks")


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date %(date)s is in the future.") % {"date": day}})


@transaction.atomic
def create_network(
    *,
    slug: str,
    name: str,
    acting_user: Any = None,
    country: str = "",
    aims: str = "",
    sector_focus: str = "",
    launched: dt.date | None = None,
    visibility: str = "members",
) -> Network:
    slug = slug.strip().lower()
    if slug != slugify(slug) or not slug:
        raise ValidationError(
            {"slug": _("Use lower-case letters, digits and hyphens only, e.g. water-sanitation.")}
        )
    if Network.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("A network with the slug “%(slug)s” exists.") % {"slug": slug}}
        )
    if not name.strip():
        raise ValidationError({"name": _("A network needs a name.")})
    country = country.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationError({"country": _("Use the two-letter ISO country code, e.g. TJ.")})
    _not_in_future(launched, "launched")
    network = Network(
        slug=slug,
        name=name.strip(),
        country=country,
        aims=aims,
        sector_focus=sector_focus,
        launched=launched,
        visibility=visibility,
    )
    network.full_clean()
    network.save()
    if acting_user is not None and acting_user.is_authenticated:
        Role.objects.create(user=acting_user, network=network, kind=RoleKind.FACILITATOR)
        forget_access(acting_user)
    logger.info("network %s created by %s", slug, getattr(acting_user, "pk", None))
    return network


NETWORK_FIELDS = ("name", "aims", "country", "sector_focus", "launched", "visibility")


@transaction.atomic
def update_network(network: Network, data: dict[str, Any], *, acting_user: Any = None) -> Network:
    """Change a network's description; its slug and stage are changed elsewhere."""
    for key in NETWORK_FIELDS:
        if key in data:
            setattr(network, key, data[key])
    network.name = (network.name or "").strip()
    if not network.name:
        raise ValidationError({"name": _("A network needs a name.")})
    network.country = (network.country or "").strip().upper()
    if network.country and (len(network.country) != 2 or not network.country.isalpha()):
        raise ValidationError({"country": _("Use the two-letter ISO country code, e.g. TJ.")})
    _not_in_future(network.launched, "launched")
    if network.launched:
        first = network.memberships.order_by("joined").values_list("joined", flat=True).first()
        # add_member refuses joins before the launch; moving the launch must not undo that.
        if first and first < network.launched:
            raise ValidationError(
                {
                    "launched": _("A member joined on %(date)s, before this launch date.")
                    % {"date": first}
                }
            )
    network.full_clean(exclude=["slug", "stage"])
    network.save()
    logger.info("network %s changed by %s", network.slug, getattr(acting_user, "pk", None))
    return network


@transaction.atomic
def record_milestone(
    network: Network, *, stage: str, date: dt.date, note: str = "", acting_user: Any = None
) -> StageMilestone:
    """Record (or re-date) the step to ``stage``; the network's stage follows the latest step."""
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Unknown stage.")})
    _not_in_future(date, "date")
    milestone, _created = StageMilestone.objects.update_or_create(
        network=network, stage=stage, defaults={"date": date, "note": note}
    )
    latest = network.milestones.order_by("-date", "-id").first()
    if latest and network.stage != latest.stage:
        network.stage = latest.stage
        network.save(update_fields=["stage", "modified"])
    return milestone


@transaction.atomic
def add_member(
    network: Network,
    organisation: Any,
    *,
    joined: dt.date | None = None,
    status: str = MembershipStatus.ACTIVE,
    notes: str = "",
    acting_user: Any = None,
) -> Membership:
    joined = joined or timezone.localdate()
    _not_in_future(joined, "joined")
    if network.launched and joined < network.launched:
        raise ValidationError(
            {
                "joined": _(
                    "The network was launched on %(date)s; a member cannot join before that."
                )
                % {"date": network.launched}
            }
        )
    if Membership.objects.current().filter(network=network, organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(org)s is already a member of this network.")
                % {"org": organisation}
            }
        )
    return Membership.objects.create(
        network=network, organisation=organisation, joined=joined, status=status, notes=notes
    )


@transaction.atomic
def change_membership(
    membership: Membership,
    *,
    status: str | None = None,
    joined: dt.date | None = None,
    acting_user: Any = None,
) -> Membership:
    """Re-date the start of a membership period or change its status (not to "left").

    Ending a membership is ``end_membership``: it also closes the seats.
    """
    if joined is not None:
        _not_in_future(joined, "joined")
        launched = membership.network.launched
        if launched and joined < launched:
            raise ValidationError(
                {
                    "joined": _(
                        "The network was launched on %(date)s; a member cannot join before that."
                    )
                    % {"date": launched}
                }
            )
        if membership.left and joined > membership.left:
            raise ValidationError({"joined": _("A member cannot join after leaving.")})
        membership.joined = joined
    if status is not None and status != membership.status:
        if status == MembershipStatus.LEFT or membership.left is not None:
            raise ValidationError(
                {"status": _("Record the date the member left; an ended membership stays ended.")}
            )
        membership.status = status
    membership.save(update_fields=["joined", "status", "modified"])
    return membership


@transaction.atomic
def end_membership(
    membership: Membership, *, left: dt.date | None = None, acting_user: Any = None
) -> Membership:
    left = left or timezone.localdate()
    _not_in_future(left, "left")
    if left < membership.joined:
        raise ValidationError({"left": _("A member cannot leave before joining.")})
    membership.left = left
    membership.status = MembershipStatus.LEFT
    membership.save(update_fields=["left", "status", "modified"])
    Representation.objects.filter(
        network=membership.network, organisation=membership.organisation, end__isnull=True
    ).update(end=left)
    return membership


@transaction.atomic
def hand_over_seat(
    network: Network,
    organisation: Any,
    *,
    person: Any,
    kind: str = SeatKind.REPRESENTATIVE,
    date: dt.date | None = None,
    acting_user: Any = None,
) -> Representation:
    """Give ``person`` the organisation's seat of ``kind`` from ``date``.

    For the representative's seat the outgoing representative's term ends that day; an
    alternate seat is added beside the others.
    """
    date = date or timezone.localdate()
    _not_in_future(date, "start")
    if person.organisation_id != organisation.pk:
        raise ValidationError(
            {"person": _("The person must work for %(org)s.") % {"org": organisation}}
        )
    if not Membership.objects.current().filter(network=network, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("%(org)s is not a member of this network.") % {"org": organisation}}
        )
    open_seats = Representation.objects.select_for_update().filter(
        network=network, organisation=organisation, end__isnull=True
    )
    # The incoming person gives up any other open seat: one seat a person at a time.
    for seat in open_seats:
        if seat.person_id == person.pk or (kind == SeatKind.REPRESENTATIVE and seat.kind == kind):
            if seat.start > date:
                raise ValidationError(
                    {"start": _("The handover cannot be dated before the current term began.")}
                )
            seat.end = date
            seat.save(update_fields=["end", "modified"])
    return Representation.objects.create(
        network=network, organisation=organisation, person=person, kind=kind, start=date
    )


@transaction.atomic
def assign_role(
    network: Network,
    user: Any,
    kind: str,
    *,
    organisation: Any = None,
    acting_user: Any = None,
) -> Role:
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Unknown role.")})
    if kind == RoleKind.FOCAL_POINT:
        if organisation is None:
            raise ValidationError({"organisation": _("A focal point speaks for an organisation.")})
        if (
            not Membership.objects.current()
            .filter(network=network, organisation=organisation)
            .exists()
        ):
            raise ValidationError(
                {
                    "organisation": _("%(org)s is not a member of this network.")
                    % {"org": organisation}
                }
            )
    else:
        organisation = None
    role, created = Role.objects.get_or_create(
        user=user, network=network, kind=kind, organisation=organisation
    )
    forget_access(user)
    if created:
        log_role_change("granted", role, acting_user=acting_user)
    return role


@transaction.atomic
def remove_role(role: Role, *, acting_user: Any = None) -> None:
    if (
        role.kind == RoleKind.FACILITATOR
        and not Role.objects.filter(network_id=role.network_id, kind=RoleKind.FACILITATOR)
        .exclude(pk=role.pk)
        .exists()
    ):
        # Without a facilitator nobody but site staff could manage the network any more.
        raise ValidationError({"role": _("A network keeps at least one facilitator.")})
    log_role_change("revoked", role, acting_user=acting_user)
    role.delete()
    forget_access(role.user)


def invitation_link(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("core:accept_invitation", kwargs={"uidb64": uid, "token": token})


def invite_focal_point(
    network: Network,
    organisation: Any,
    *,
    email: str,
    name: str = "",
    acting_user: Any,
    base_url: str,
) -> Role:
    """Give a person the focal-point role and e-mail a one-time link to set a password.

    The link is Django's password-reset token: it stops working once the password is set
    or after ``PASSWORD_RESET_TIMEOUT``.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=name.strip()[:150])
            user.set_unusable_password()
            user.save()
        role = assign_role(
            network, user, RoleKind.FOCAL_POINT, organisation=organisation, acting_user=acting_user
        )
    link = base_url.rstrip("/") + invitation_link(user)
    context = {
        "network": network,
        "organisation": organisation,
        "link": link,
        "user": user,
        "inviter": acting_user,
        "needs_password": not user.has_usable_password(),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    send_mail(
        subject=_("Invitation to %(network)s on Netweave") % {"network": network.name},
        message=render_to_string("networks/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return role
