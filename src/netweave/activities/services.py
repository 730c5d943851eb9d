"""Writes of joint activities, their participants, contributions and exchange rates.

Every function checks its business rules and raises ``ValidationError({field: message})``;
each runs in one transaction, so a refused write leaves nothing half-saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from netweave.activities.currencies import is_currency
from netweave.activities.models import (
    DEFAULT_REPORTING_CURRENCY,
    ActivityKind,
    ActivityOutput,
    ActivityStatus,
    Contribution,
    ContributionKind,
    ExchangeRate,
    JointActivity,
    Participation,
    ParticipationRole,
    ReportingCurrency,
)
from netweave.networks.models import Membership, Network

__all__ = [
    "add_activity_output",
    "add_contribution",
    "add_participation",
    "create_activity",
    "delete_activity",
    "remove_contribution",
    "remove_exchange_rate",
    "remove_participation",
    "reporting_currency_of",
    "set_exchange_rate",
    "set_reporting_currency",
    "update_activity",
]

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "start",
    "end",
    "status",
    "task_group",
    "request",
)
MAX_AMOUNT = Decimal("999999999999.99")  # Decimal(14, 2)
MAX_RATE = Decimal("9999999999.99999999")  # Decimal(18, 8)
MAX_OUTPUT_BYTES = 25 * 1024 * 1024


# Checks ----------------------------------------------------------------------------------
def _require_member(network: Network, organisation: Any, field: str) -> None:
    if organisation is None or not (
        Membership.objects.current().filter(network=network, organisation=organisation).exists()
    ):
        raise ValidationError(
            {field: _("%(org)s is not a member of this network.") % {"org": organisation}}
        )


def _currency(value: Any, field: str = "currency") -> str:
    code = str(value or "").strip().upper()
    if not is_currency(code):
        raise ValidationError(
            {field: _("“%(code)s” is not an ISO 4217 currency code.") % {"code": value}}
        )
    return code


def _decimal(value: Any, field: str, *, places: int, maximum: Decimal, positive: bool) -> Decimal:
    """``value`` as a Decimal with at most ``places`` decimals; floats are refused."""
    if isinstance(value, float | bool):
        raise ValidationError({field: _("Give the number as text or a decimal, not a float.")})
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("“%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not number.is_finite():
        raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": value}})
    if positive and number <= 0:
        raise ValidationError({field: _("The number must be greater than zero.")})
    if number < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if number > maximum:
        raise ValidationError({field: _("The number is too large.")})
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise ValidationError(
            {field: _("Give at most %(places)d decimal places.") % {"places": places}}
        )
    return number


def _year(value: Any, field: str = "year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give the year as four digits.")}) from None
    if not 1900 <= year <= 2100:
        raise ValidationError({field: _("Give a year between 1900 and 2100.")})
    return year


def _check_activity(network: Network, values: dict[str, Any]) -> None:
    if values.get("kind") not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose a kind of activity.")})
    if values.get("status") not in ActivityStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": _("Give the activity a title.")})
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    group = values.get("task_group")
    if group is not None and group.network_id != network.pk:
        raise ValidationError({"task_group": _("The task group belongs to another network.")})
    request = values.get("request")
    if request is not None and request.network_id != network.pk:
        raise ValidationError({"request": _("The member request belongs to another network.")})


# Activities ------------------------------------------------------------------------------
@transaction.atomic
def create_activity(
    network: Network,
    *,
    kind: str,
    title: str,
    description: str = "",
    topics: Iterable[Any] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    status: str = ActivityStatus.PLANNED,
    task_group: Any = None,
    request: Any = None,
    lead: Any = None,
    acting_user: Any = None,
) -> JointActivity:
    """Record a joint activity; ``lead`` (a member organisation) becomes its lead at once."""
    values = {
        "kind": kind,
        "title": (title or "").strip(),
        "description": description,
        "start": start,
        "end": end,
        "status": status,
        "task_group": task_group,
        "request": request,
    }
    _check_activity(network, values)
    if lead is not None:
        _require_member(network, lead, "lead")
    activity = JointActivity.objects.create(network=network, **values)
    activity.topics.set(topics)
    if lead is not None:
        Participation.objects.create(
            activity=activity, organisation=lead, role=ParticipationRole.LEAD
        )
    return activity


@transaction.atomic
def update_activity(
    activity: JointActivity,
    changes: dict[str, Any],
    *,
    acting_user: Any = None,
) -> JointActivity:
    """Change an activity's fields (and ``topics``); unknown keys are ignored."""
    values = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    values.update({k: v for k, v in changes.items() if k in ACTIVITY_FIELDS})
    values["title"] = (values["title"] or "").strip()
    _check_activity(activity.network, values)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    if "topics" in changes:
        activity.topics.set(changes["topics"])
    return activity


# Participants ----------------------------------------------------------------------------
@transaction.atomic
def add_participation(
    activity: JointActivity, *, organisation: Any, role: str, acting_user: Any = None
) -> Participation:
    """Name an organisation (a current member of the network) in a role of the activity."""
    if role not in ParticipationRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    _require_member(activity.network, organisation, "organisation")
    if Participation.objects.filter(
        activity=activity, organisation=organisation, role=role
    ).exists():
        raise ValidationError(
            {"organisation": _("%(org)s already has this role.") % {"org": organisation}}
        )
    return Participation.objects.create(activity=activity, organisation=organisation, role=role)


@transaction.atomic
def remove_participation(participation: Participation, *, acting_user: Any = None) -> None:
    participation.delete()


# Contributions ---------------------------------------------------------------------------
@transaction.atomic
def add_contribution(
    activity: JointActivity,
    *,
    organisation: Any,
    amount: Any,
    currency: str,
    year: Any,
    kind: str = ContributionKind.MONEY,
    description: str = "",
    acting_user: Any = None,
) -> Contribution:
    """Record money (or something in kind at its estimated value) given by a member.

    A funder joins the activity's participants as ``funder`` unless it already takes part.
    """
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": _("Choose money or in kind.")})
    _require_member(activity.network, organisation, "organisation")
    value = _decimal(amount, "amount", places=2, maximum=MAX_AMOUNT, positive=False)
    code = _currency(currency)
    year_value = _year(year)
    description = (description or "").strip()
    if kind == ContributionKind.IN_KIND and not description:
        raise ValidationError({"description": _("Say what is given in kind.")})
    contribution = Contribution.objects.create(
        activity=activity,
        organisation=organisation,
        kind=kind,
        amount=value,
        currency=code,
        year=year_value,
        description=description,
    )
    if not activity.participations.filter(organisation=organisation).exists():
        Participation.objects.create(
            activity=activity, organisation=organisation, role=ParticipationRole.FUNDER
        )
    return contribution


@transaction.atomic
def remove_contribution(contribution: Contribution, *, acting_user: Any = None) -> None:
    contribution.delete()


# Outputs ---------------------------------------------------------------------------------
@transaction.atomic
def add_activity_output(
    activity: JointActivity,
    *,
    title: str,
    url: str = "",
    file: Any = None,
    acting_user: Any = None,
) -> ActivityOutput:
    """Attach a link or a file (PDF or .docx, at most 25 MB, checked by content)."""
    from netweave.partnerships.validators import agreement_kind

    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the output a title.")})
    if bool(url) == bool(file):
        raise ValidationError({"url": _("Give either a link or a file.")})
    if file:
        if file.size is not None and file.size > MAX_OUTPUT_BYTES:
            raise ValidationError({"file": _("The file is larger than 25 MB.")})
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if agreement_kind(head, file) is None:
            raise ValidationError({"file": _("Upload a PDF or a Word (.docx) document.")})
    output = ActivityOutput(activity=activity, title=title, url=url or "")
    if file:
        output.file = file
    output.full_clean(exclude=["uid", "activity"], validate_constraints=False)
    output.save()
    return output


# Currencies ------------------------------------------------------------------------------
def reporting_currency_of(network: Network) -> str:
    row = ReportingCurrency.objects.filter(network=network).values_list("currency", flat=True)
    return next(iter(row), DEFAULT_REPORTING_CURRENCY)


@transaction.atomic
def set_reporting_currency(network: Network, currency: str, *, acting_user: Any = None) -> str:
    code = _currency(currency)
    ReportingCurrency.objects.update_or_create(network=network, defaults={"currency": code})
    return code


@transaction.atomic
def set_exchange_rate(
    network: Network, *, year: Any, currency: str, rate: Any, acting_user: Any = None
) -> ExchangeRate:
    """Enter (or correct) what one unit of ``currency`` was worth in the reporting currency."""
    year_value = _year(year)
    code = _currency(currency)
    value = _decimal(rate, "rate", places=8, maximum=MAX_RATE, positive=True)
    row, _created = ExchangeRate.objects.update_or_create(
        network=network, year=year_value, currency=code, defaults={"rate": value}
    )
    return row


@transaction.atomic
def delete_activity(activity: JointActivity, *, acting_user: Any = None) -> None:
    """Delete an activity with its participants, contributions and outputs."""
    activity.delete()


@transaction.atomic
def remove_exchange_rate(rate: ExchangeRate, *, acting_user: Any = None) -> None:
    rate.delete()
