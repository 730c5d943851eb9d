"""Writes and named reads of partnerships.

Pages, the API and the reminder command call these. Every write checks its input, raises
``ValidationError`` keyed by field, and runs in one transaction, so nothing is half-saved.
Permission checks stay with the callers (``permissions.py``); rules about the data itself
(a partner must be a current member, one answer per person and round …) live here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from netweave.directory.models import Organisation, Person, Sphere
from netweave.networks.models import Membership, Network, Role, RoleKind
from netweave.partnerships import charts
from netweave.partnerships.models import (
    AXIS_MAX,
    AXIS_MIN,
    DIMENSIONS,
    ArrangementType,
    ContributionKind,
    Direction,
    HealthCheckRound,
    HealthReminder,
    HealthResponse,
    Partner,
    PartnerContribution,
    PartnerRole,
    Partnership,
    Placement,
)

logger = logging.getLogger("netweave.partnerships")

PARTNERSHIP_FIELDS = (
    "name",
    "purpose",
    "arrangement",
    "status",
    "start",
    "end",
    "agreement_file",
    "agreement_url",
    "divergence_threshold",
    "drop_threshold",
    "check_every_months",
)


# Checks ----------------------------------------------------------------------------------
def _check_member(network: Network, organisation: Organisation | None, field: str) -> None:
    if organisation is None or not (
        Membership.objects.current().filter(network=network, organisation=organisation).exists()
    ):
        name = organisation.display_name if organisation is not None else "—"
        raise ValidationError(
            {
                field: _("%(org)s is not a current member organisation of this network.")
                % {"org": name}
            }
        )


def _clean(instance: Any, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean`` whose messages stay keyed by field."""
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _axis(value: Any, field: str, *, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Place the partnership on this axis.")})
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number from −1 to 1.")}) from None
    if not number.is_finite() or number < AXIS_MIN or number > AXIS_MAX:
        raise ValidationError(
            {field: _("%(value)s is off the axis: enter a number from −1 to 1.") % {"value": value}}
        )
    return number.quantize(Decimal("0.01"))


# Partnerships ----------------------------------------------------------------------------
@transaction.atomic
def create_partnership(
    network: Network,
    *,
    acting_user: Any,
    name: str,
    arrangement: ArrangementType,
    partners: Iterable[tuple[Organisation, str]] = (),
    **data: Any,
) -> Partnership:
    """A partnership with its first partners; each must be a current member organisation."""
    unknown = set(data) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    partnership = Partnership(network=network, name=(name or "").strip(), arrangement=arrangement)
    for key, value in data.items():
        if value is not None:
            setattr(partnership, key, value)
    _check_partnership(partnership)
    partners = list(partners)
    seen: set[int] = set()
    for organisation, _role in partners:
        _check_member(network, organisation, "partners")
        if organisation.pk in seen:
            raise ValidationError(
                {"partners": _("%(org)s is listed twice.") % {"org": organisation.display_name}}
            )
        seen.add(organisation.pk)
    partnership.save()
    for organisation, role in partners:
        Partner.objects.create(partnership=partnership, organisation=organisation, role=role)
    logger.info("partnership %s created by %s", partnership.uid, getattr(acting_user, "pk", None))
    return partnership


def _check_partnership(partnership: Partnership, *, exclude: Iterable[str] = ()) -> None:
    if not partnership.name:
        raise ValidationError({"name": _("A partnership needs a name.")})
    clash = Partnership.objects.filter(
        network=partnership.network_id, name__iexact=partnership.name
    )
    if partnership.pk:
        clash = clash.exclude(pk=partnership.pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": _("The network has a partnership named “%(name)s”.")
                % {"name": partnership.name}
            }
        )
    if partnership.start and partnership.end and partnership.end < partnership.start:
        raise ValidationError({"end": _("The partnership cannot end before it starts.")})
    _clean(partnership, exclude=["network", *exclude])


@transaction.atomic
def update_partnership(
    partnership: Partnership, data: dict[str, Any], *, acting_user: Any
) -> Partnership:
    """Change a partnership's description; an agreement file is checked only when replaced."""
    replaced_file = "agreement_file" in data and data["agreement_file"] not in (None, "")
    for key in PARTNERSHIP_FIELDS:
        if key not in data:
            continue
        if key == "agreement_file" and data[key] is None:
            continue  # no new upload: keep the file
        value = data[key]
        if key == "name":
            value = (value or "").strip()
        setattr(partnership, key, value if value is not False else "")
    _check_partnership(partnership, exclude=[] if replaced_file else ["agreement_file"])
    partnership.save()
    logger.info("partnership %s changed by %s", partnership.uid, getattr(acting_user, "pk", None))
    return partnership


@transaction.atomic
def add_partner(
    partnership: Partnership,
    organisation: Organisation,
    *,
    role: str = PartnerRole.PARTNER,
    acting_user: Any,
) -> Partner:
    _check_member(partnership.network, organisation, "organisation")
    if role not in PartnerRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if partnership.partners.filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(org)s is already a partner.")
                % {"org": organisation.display_name}
            }
        )
    return Partner.objects.create(partnership=partnership, organisation=organisation, role=role)


@transaction.atomic
def remove_partner(partner: Partner, *, acting_user: Any) -> None:
    partner.delete()


# Contributions ---------------------------------------------------------------------------
@transaction.atomic
def add_contribution(
    partner: Partner, *, direction: str, kind: str, description: str = "", acting_user: Any
) -> PartnerContribution:
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Choose whether the partner brings or gains this.")})
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": _("Unknown kind of contribution.")})
    contribution = PartnerContribution(
        partner=partner, direction=direction, kind=kind, description=(description or "").strip()
    )
    _clean(contribution, exclude=["partner"])
    contribution.save()
    return contribution


@transaction.atomic
def remove_contribution(contribution: PartnerContribution, *, acting_user: Any) -> None:
    contribution.delete()


# Placements ------------------------------------------------------------------------------
@transaction.atomic
def record_placement(
    partner: Partner,
    *,
    service_policy: Any,
    regulation_innovation: Any,
    target_service_policy: Any = None,
    target_regulation_innovation: Any = None,
    placed_on: dt.date | None = None,
    note: str = "",
    acting_user: Any,
) -> Placement:
    """Record (or, the same day, correct) a partner's placement on both axes."""
    placed_on = placed_on or timezone.localdate()
    if placed_on > timezone.localdate():
        raise ValidationError({"placed_on": _("The date is in the future.")})
    values = {
        "service_policy": _axis(service_policy, "service_policy"),
        "regulation_innovation": _axis(regulation_innovation, "regulation_innovation"),
        "target_service_policy": _axis(
            target_service_policy, "target_service_policy", required=False
        ),
        "target_regulation_innovation": _axis(
            target_regulation_innovation, "target_regulation_innovation", required=False
        ),
    }
    if (values["target_service_policy"] is None) != (
        values["target_regulation_innovation"] is None
    ):
        missing = (
            "target_service_policy"
            if values["target_service_policy"] is None
            else "target_regulation_innovation"
        )
        raise ValidationError({missing: _("A target needs a value on both axes.")})
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    placement, _created = Placement.objects.update_or_create(
        partner=partner,
        placed_on=placed_on,
        defaults={**values, "note": (note or "").strip()[:500], "placed_by": user},
    )
    return placement


def current_placements(partnership: Partnership) -> list[Placement]:
    """Each partner's latest placement, organisation and sector preloaded (one query)."""
    latest = (
        Placement.objects.filter(partner=OuterRef("partner"))
        .order_by("-placed_on")
        .values("placed_on")[:1]
    )
    return list(
        Placement.objects.filter(partner__partnership=partnership, placed_on=Subquery(latest))
        .select_related("partner__organisation__sector")
        .order_by("partner__organisation__name")
    )


def plot_summary(partnership: Partnership) -> charts.PlotSummary:
    points = [
        charts.PlotPoint(
            label=p.partner.organisation.acronym or p.partner.organisation.name,
            x=float(p.service_policy),
            y=float(p.regulation_innovation),
            target_x=None if p.target_service_policy is None else float(p.target_service_policy),
            target_y=None
            if p.target_regulation_innovation is None
            else float(p.target_regulation_innovation),
            placed_on=p.placed_on,
            colour=p.partner.organisation.sector.colour,
        )
        for p in current_placements(partnership)
    ]
    return charts.divergence(points, float(partnership.divergence_threshold))


# Health checks ---------------------------------------------------------------------------
@transaction.atomic
def open_health_round(
    partnership: Partnership,
    *,
    opens: dt.date,
    closes: dt.date,
    due: dt.date | None = None,
    acting_user: Any,
) -> HealthCheckRound:
    due = due or closes
    if closes < opens:
        raise ValidationError({"closes": _("A round cannot close before it opens.")})
    if not opens <= due <= closes:
        raise ValidationError({"due": _("Answers must be due between opening and closing.")})
    overlapping = partnership.rounds.filter(opens__lte=closes, closes__gte=opens)
    if overlapping.exists():
        raise ValidationError({"opens": _("Another health check round runs at that time.")})
    health_round = HealthCheckRound(partnership=partnership, opens=opens, closes=closes, due=due)
    health_round.save()
    return health_round


def respondents(partnership: Partnership) -> QuerySet:
    """Users who answer the partnership's health check: the partner organisations' people.

    That is the focal points of partner organisations in the network, and the users linked
    to a person of a partner organisation.
    """
    org_ids = partnership.partners.values("organisation_id")
    focal = Role.objects.filter(
        network_id=partnership.network_id, kind=RoleKind.FOCAL_POINT, organisation_id__in=org_ids
    ).values("user_id")
    linked = Person.objects.filter(organisation_id__in=org_ids, user__isnull=False).values(
        "user_id"
    )
    return get_user_model().objects.filter(Q(id__in=focal) | Q(id__in=linked), is_active=True)


def may_answer(partnership: Partnership, user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return respondents(partnership).filter(pk=user.pk).exists()


@transaction.atomic
def answer_health_check(
    health_round: HealthCheckRound,
    *,
    acting_user: Any,
    scores: dict[str, Any],
    comments: str = "",
    today: dt.date | None = None,
) -> HealthResponse:
    """Record one person's answer: five scores from 1 to 5, once per round."""
    today = today or timezone.localdate()
    if not health_round.is_open(today):
        raise ValidationError({"__all__": _("This health check round is not open.")})
    if not may_answer(health_round.partnership, acting_user):
        raise ValidationError(
            {"__all__": _("Only the partner organisations' people answer this health check.")}
        )
    clean: dict[str, int] = {}
    for name in DIMENSIONS:
        value = scores.get(name)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({name: _("Give a score from 1 to 5.")}) from None
        if str(number) != str(value).strip() or not 1 <= number <= 5:
            raise ValidationError(
                {name: _("%(value)s is not a score from 1 to 5.") % {"value": value}}
            )
        clean[name] = number
    if HealthResponse.objects.filter(round=health_round, respondent=acting_user).exists():
        raise ValidationError({"__all__": _("You have already answered this round.")})
    try:
        with transaction.atomic():
            return HealthResponse.objects.create(
                round=health_round,
                respondent=acting_user,
                comments=(comments or "").strip(),
                **clean,
            )
    except IntegrityError:
        # Another request from the same person got there first.
        raise ValidationError({"__all__": _("You have already answered this round.")}) from None


def health_trend(partnership: Partnership) -> list[charts.RoundScores]:
    """Every round with its answer count and, with enough answers, its means (two queries).

    The individual answers never leave the database: only counts and averages are read.
    """
    aggregates = {
        row["round_id"]: row
        for row in HealthResponse.objects.filter(round__partnership=partnership)
        .values("round_id")
        .annotate(answers=Count("id"), **{name: Avg(name) for name in DIMENSIONS})
        .order_by()
    }
    rounds = [
        charts.RoundInput(
            uid=str(r.uid),
            opens=r.opens,
            closes=r.closes,
            answers=aggregates.get(r.pk, {}).get("answers", 0),
            means={name: aggregates.get(r.pk, {}).get(name) for name in DIMENSIONS},
        )
        for r in partnership.rounds.order_by("opens")
    ]
    return charts.score_rounds(rounds, drop_threshold=float(partnership.drop_threshold))


def round_comments(round_uid: str, *, answers: int) -> list[str]:
    """A round's comments, unattributed and sorted, only when enough people answered."""
    if answers < charts.MIN_ANSWERS:
        return []
    return sorted(
        HealthResponse.objects.filter(round__uid=round_uid)
        .exclude(comments="")
        .values_list("comments", flat=True)
    )


def has_answered(health_round: HealthCheckRound, user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return HealthResponse.objects.filter(round=health_round, respondent=user).exists()


def send_health_reminders(*, today: dt.date | None = None, acting_user: Any = None) -> int:
    """E-mail the partners' focal points who have not answered an open round yet.

    Each person is reminded once per round (``HealthReminder`` remembers it), so running
    the command every day sends nothing new. Returns the number of e-mails sent.
    """
    today = today or timezone.localdate()
    sent = 0
    rounds = HealthCheckRound.objects.open_on(today).select_related("partnership__network")
    for health_round in rounds:
        partnership = health_round.partnership
        org_ids = partnership.partners.values("organisation_id")
        focal_users = (
            get_user_model()
            .objects.filter(
                network_roles__network_id=partnership.network_id,
                network_roles__kind=RoleKind.FOCAL_POINT,
                network_roles__organisation_id__in=org_ids,
                is_active=True,
            )
            .exclude(email="")
            .exclude(id__in=health_round.responses.values("respondent_id"))
            .exclude(id__in=health_round.reminders.values("user_id"))
            .distinct()
        )
        for user in focal_users:
            with transaction.atomic():
                reminder, created = HealthReminder.objects.get_or_create(
                    round=health_round, user=user
                )
                if not created:
                    continue
                with override(settings.LANGUAGE_CODE):
                    context = {"user": user, "round": health_round, "partnership": partnership}
                    subject = _("Health check of %(name)s: your answer is due on %(due)s") % {
                        "name": partnership.name,
                        "due": health_round.due.isoformat(),
                    }
                    body = render_to_string("partnerships/email/health_reminder.txt", context)
                send_mail(subject, body, None, [user.email])
            sent += 1
    logger.info("%d health check reminders sent", sent)
    return sent


# Arrangement types -----------------------------------------------------------------------
ARRANGEMENT_FIELDS = (
    "name",
    "description",
    "accountability",
    "risk",
    "accountability_level",
    "risk_level",
)


@transaction.atomic
def update_arrangement_type(
    arrangement: ArrangementType, data: dict[str, Any], *, acting_user: Any
) -> ArrangementType:
    """Edit the installation's text for one arrangement type (its place stays fixed)."""
    for key in ARRANGEMENT_FIELDS:
        if key in data:
            setattr(arrangement, key, data[key])
    arrangement.name = (arrangement.name or "").strip()
    if not arrangement.name:
        raise ValidationError({"name": _("An arrangement type needs a name.")})
    _clean(arrangement, exclude=["slug", "position"])
    arrangement.save()
    return arrangement


# Reads for the pages and the API ---------------------------------------------------------
def partnerships_of(network: Network) -> QuerySet:
    """The network's partnerships with their type and partner count (one query)."""
    return (
        Partnership.objects.filter(network=network)
        .select_related("arrangement")
        .annotate(partner_count=Count("partners", distinct=True))
        .order_by("name")
    )


def contributions_by_kind(partners: Iterable[Partner]) -> list[charts.KindCount]:
    """Per kind, how many partners bring it and how many expect it (contributions preloaded)."""
    brings: dict[str, set[int]] = {}
    gains: dict[str, set[int]] = {}
    for partner in partners:
        for item in partner.contributions.all():
            target = brings if item.direction == Direction.BRINGS else gains
            target.setdefault(item.kind, set()).add(partner.pk)
    return [
        charts.KindCount(
            kind=kind.value,
            label=str(kind.label),
            brings=len(brings.get(kind.value, ())),
            gains=len(gains.get(kind.value, ())),
        )
        for kind in ContributionKind
        if kind.value in brings or kind.value in gains
    ]


def contributions_by_sphere(network: Network) -> list[charts.SphereRow]:
    """Across the network's partnerships: kinds brought and gained per sector sphere (one query)."""
    rows = (
        PartnerContribution.objects.filter(partner__partnership__network=network)
        .values("partner__organisation__sector__sphere", "direction", "kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    table: dict[str, charts.SphereRow] = {
        sphere.value: charts.SphereRow(
            sphere=sphere.value, label=str(sphere.label), brings={}, gains={}
        )
        for sphere in Sphere
    }
    for row in rows:
        sphere_row = table[row["partner__organisation__sector__sphere"]]
        bucket = sphere_row.brings if row["direction"] == Direction.BRINGS else sphere_row.gains
        bucket[row["kind"]] = bucket.get(row["kind"], 0) + row["count"]
    return list(table.values())
