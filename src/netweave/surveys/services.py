"""Writes and named reads of the network survey.

Pages, the API and the demo call these. Every write checks its input, raises
``ValidationError`` with a message that names what is wrong, and runs in one transaction,
so nothing is half-saved. Who may call what is the callers' business (``permissions.py``);
rules about the data (one round a year, ratings only while a round is open, only between
member organisations, scores from 1 to 5) live here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.directory.models import Organisation
from netweave.networks.models import Membership, MembershipStatus, Network
from netweave.surveys import results
from netweave.surveys.models import (
    MEASURES,
    MIN_RATERS,
    SCALE_MAX,
    SCALE_MIN,
    RoundStatus,
    SurveyResponse,
    SurveyRound,
    TieRating,
)

FIRST_YEAR = 1990


def _measure_label(name: str) -> str:
    return {"frequency": _("How often"), "trust": _("Trust"), "value": _("Value")}[name]


# Rounds ------------------------------------------------------------------------------------
@transaction.atomic
def create_round(
    network: Network,
    *,
    year: Any,
    title: str = "",
    opens: dt.date | None = None,
    closes: dt.date | None = None,
    acting_user: Any,
) -> SurveyRound:
    """A draft round for ``year``; one round per network and year."""
    today = timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter the year as four digits, e.g. 2015.")}) from None
    if not FIRST_YEAR <= year <= today.year + 1:
        raise ValidationError(
            {
                "year": _("%(year)s is not a year of this survey: enter %(first)s to %(last)s.")
                % {"year": year, "first": FIRST_YEAR, "last": today.year + 1}
            }
        )
    if opens and closes and closes < opens:
        raise ValidationError({"closes": _("A round cannot close before it opens.")})
    if SurveyRound.objects.filter(network=network, year=year).exists():
        raise ValidationError(
            {"year": _("The network already has a survey round for %(year)s.") % {"year": year}}
        )
    survey_round = SurveyRound(
        network=network,
        year=year,
        title=(title or "").strip(),
        opens=opens,
        closes=closes,
        status=RoundStatus.DRAFT,
    )
    survey_round.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            survey_round.save()
    except IntegrityError:
        # Another facilitator created the same year's round a moment earlier.
        raise ValidationError(
            {"year": _("The network already has a survey round for %(year)s.") % {"year": year}}
        ) from None
    return survey_round


def _locked(survey_round: SurveyRound) -> SurveyRound:
    return SurveyRound.objects.select_for_update().select_related("network").get(pk=survey_round.pk)


@transaction.atomic
def open_round(survey_round: SurveyRound, *, acting_user: Any) -> SurveyRound:
    """Open a draft round for answers; one open round per network at a time."""
    locked = _locked(survey_round)
    if locked.status == RoundStatus.OPEN:
        raise ValidationError(_("The %(year)s round is open already.") % {"year": locked.year})
    if locked.status == RoundStatus.CLOSED:
        raise ValidationError(
            _("The %(year)s round is closed and stays closed: its results are final.")
            % {"year": locked.year}
        )
    other = (
        SurveyRound.objects.filter(network_id=locked.network_id, status=RoundStatus.OPEN)
        .exclude(pk=locked.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("The %(year)s round is open; close it before opening another.") % {"year": other.year}
        )
    today = timezone.localdate()
    locked.status = RoundStatus.OPEN
    if locked.opens is None and (locked.closes is None or locked.closes >= today):
        locked.opens = today
    locked.save()
    _refresh(survey_round, locked)
    return locked


@transaction.atomic
def close_round(survey_round: SurveyRound, *, acting_user: Any) -> SurveyRound:
    """Close an open round: its ratings no longer change."""
    locked = _locked(survey_round)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError(
            _("Only an open round can be closed; the %(year)s round is %(status)s.")
            % {"year": locked.year, "status": locked.get_status_display().lower()}
        )
    locked.status = RoundStatus.CLOSED
    if locked.closes is None:
        today = timezone.localdate()
        locked.closes = max(today, locked.opens) if locked.opens else today
    locked.save()
    _refresh(survey_round, locked)
    return locked


def _refresh(target: SurveyRound, source: SurveyRound) -> None:
    for name in ("status", "opens", "closes", "modified"):
        setattr(target, name, getattr(source, name))


# Who is asked ------------------------------------------------------------------------------
def round_memberships(survey_round: SurveyRound) -> QuerySet:
    """Memberships running at some time during the round (its dates, else its year)."""
    start, end = survey_round.period
    return (
        Membership.objects.filter(network_id=survey_round.network_id, joined__lte=end)
        .filter(Q(left__isnull=True) | Q(left__gte=start))
        .exclude(status=MembershipStatus.APPLICANT)
        .exclude(status=MembershipStatus.LEFT, left__isnull=True)
    )


def round_members(survey_round: SurveyRound) -> QuerySet:
    """The member organisations a round asks, with their sectors."""
    return (
        Organisation.objects.filter(
            id__in=round_memberships(survey_round).values("organisation_id")
        )
        .select_related("sector")
        .order_by("name")
    )


# Ratings -----------------------------------------------------------------------------------
def _score(value: Any, *, measure: str, rated: Organisation) -> int:
    label = _measure_label(measure)
    try:
        number = int(value)
        if str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(measure)s for %(org)s: give a whole number from 1 to 5, not “%(value)s”.")
            % {"measure": label, "org": rated.display_name, "value": value}
        ) from None
    if not SCALE_MIN <= number <= SCALE_MAX:
        raise ValidationError(
            _("%(measure)s for %(org)s is %(value)s: give a score from 1 to 5.")
            % {"measure": label, "org": rated.display_name, "value": number}
        )
    return number


@transaction.atomic
def submit_ratings(
    survey_round: SurveyRound,
    *,
    rater: Organisation,
    ratings: Mapping[Organisation, Mapping[str, Any] | None],
    acting_user: Any,
) -> list[TieRating]:
    """Record ``rater``'s ties to the organisations in ``ratings``, while the round is open.

    Each value holds ``frequency``, ``trust`` and ``value`` (1–5) and an optional
    ``comment``; ``None`` means "no tie" and removes an earlier rating. Organisations not
    in ``ratings`` keep what they had, so a page showing part of the members (one sector)
    changes only those. The organisation's response is recorded even with no tie at all.
    Returns the rater's ratings in the round after the change.
    """
    locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if locked.status != RoundStatus.OPEN:
        if locked.status == RoundStatus.CLOSED:
            message = _("The %(year)s survey round is closed: its ratings can no longer change.")
        else:
            message = _("The %(year)s survey round is not open yet.")
        raise ValidationError(message % {"year": locked.year})
    member_ids = set(round_memberships(locked).values_list("organisation_id", flat=True))
    if rater.pk not in member_ids:
        raise ValidationError(
            {
                "rater": _("%(org)s is not a member organisation of this network in %(year)s.")
                % {"org": rater.display_name, "year": locked.year}
            }
        )
    errors: list[ValidationError] = []
    clean: dict[int, dict[str, Any] | None] = {}
    for rated, scores in ratings.items():
        if rated.pk == rater.pk:
            errors.append(ValidationError(_("An organisation does not rate its tie to itself.")))
            continue
        if rated.pk not in member_ids:
            errors.append(
                ValidationError(
                    _("%(org)s is not a member organisation of this network in %(year)s.")
                    % {"org": rated.display_name, "year": locked.year}
                )
            )
            continue
        if scores is None:
            clean[rated.pk] = None
            continue
        row: dict[str, Any] = {"comment": str(scores.get("comment") or "").strip()}
        for measure in MEASURES:
            try:
                row[measure] = _score(scores.get(measure), measure=measure, rated=rated)
            except ValidationError as error:
                errors.append(error)
        clean[rated.pk] = row
    if errors:
        raise ValidationError({"ratings": errors})

    existing = {r.rated_id: r for r in TieRating.objects.filter(round=locked, rater=rater)}
    to_delete = [existing[pk].pk for pk, row in clean.items() if row is None and pk in existing]
    to_update, to_create = [], []
    for pk, row in clean.items():
        if row is None:
            continue
        rating = existing.get(pk)
        if rating is None:
            to_create.append(
                TieRating(round=locked, rater=rater, rated_id=pk, submitted_by=acting_user, **row)
            )
            continue
        if any(getattr(rating, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(rating, name, value)
            rating.submitted_by = acting_user
            rating.modified = timezone.now()
            to_update.append(rating)
    TieRating.objects.filter(pk__in=to_delete).delete()
    TieRating.objects.bulk_create(to_create)
    TieRating.objects.bulk_update(to_update, [*MEASURES, "comment", "submitted_by", "modified"])
    response, created = SurveyResponse.objects.get_or_create(
        round=locked, organisation=rater, defaults={"submitted_by": acting_user}
    )
    if not created:
        response.submitted_by = acting_user
        response.save()
    return list(my_ratings(locked, rater))


def my_ratings(survey_round: SurveyRound, rater: Organisation | int) -> QuerySet:
    """The ratings one organisation gave in a round, with the rated organisations."""
    return (
        TieRating.objects.filter(round=survey_round, rater=rater)
        .select_related("rated__sector")
        .order_by("rated__name")
    )


def has_responded(survey_round: SurveyRound, organisation: Organisation | int) -> bool:
    return SurveyResponse.objects.filter(round=survey_round, organisation=organisation).exists()


# Results -----------------------------------------------------------------------------------
def figures_of_round(survey_round: SurveyRound) -> results.RoundFigures:
    """Every figure of one round (three queries: members, responses, ratings)."""
    members = set(round_memberships(survey_round).values_list("organisation_id", flat=True))
    responded = set(
        SurveyResponse.objects.filter(round=survey_round).values_list("organisation_id", flat=True)
    )
    rows = TieRating.objects.filter(round=survey_round).values_list(
        "rater_id", "rated_id", *MEASURES
    )
    return results.round_figures(rows, members=members, responded=responded)


def network_trend(network: Network) -> list[results.TrendPoint]:
    """Each round's response and network averages, by year (four queries in all)."""
    rounds = list(SurveyRound.objects.filter(network=network).order_by("year"))
    if not rounds:
        return []
    sums = {
        row["round_id"]: row
        for row in TieRating.objects.filter(round__network=network)
        .values("round_id")
        .annotate(n=Count("id"), **{name: Sum(name) for name in MEASURES})
        .order_by()
    }
    responses: dict[int, set[int]] = {}
    for round_id, org_id in SurveyResponse.objects.filter(round__network=network).values_list(
        "round_id", "organisation_id"
    ):
        responses.setdefault(round_id, set()).add(org_id)
    memberships = list(
        Membership.objects.filter(network=network)
        .exclude(status=MembershipStatus.APPLICANT)
        .values_list("organisation_id", "joined", "left", "status")
    )
    points = []
    for survey_round in rounds:
        start, end = survey_round.period
        members = {
            org
            for org, joined, left, status in memberships
            if joined <= end
            and (left is None or left >= start)
            and not (status == MembershipStatus.LEFT and left is None)
        }
        row = sums.get(survey_round.pk, {"n": 0})
        count = row["n"]
        points.append(
            results.TrendPoint(
                year=survey_round.year,
                status=survey_round.status,
                members=len(members),
                responded=len(responses.get(survey_round.pk, set()) & members),
                ratings=count,
                averages={name: results.mean(row.get(name) or 0, count) for name in MEASURES},
            )
        )
    return points


def rated_organisations(network: Network) -> QuerySet:
    """The organisations rated in any round of the network, by name (1 query)."""
    rated = TieRating.objects.filter(round__network=network).values("rated_id")
    return Organisation.objects.filter(pk__in=rated).order_by("name")


def received_series(
    network: Network,
    organisation: Organisation,
    points: list[results.TrendPoint],
    *,
    sees_all: bool,
) -> list[dict[str, Any]]:
    """What ``organisation`` received in each year of ``points`` (2 queries).

    Each year: ``count`` of ratings, ``shown`` and the averages of ``MEASURES`` (None when
    not shown). Averages show from ``MIN_RATERS`` ratings on, so that no rater can be
    singled out; facilitators and the steering committee (``sees_all``) read every result.
    """
    rounds = dict(SurveyRound.objects.filter(network=network).values_list("year", "pk"))
    received = received_trend(network, organisation)
    series = []
    for point in points:
        row = received.get(rounds.get(point.year), {"count": 0})
        shown = row["count"] > 0 and (sees_all or row["count"] >= MIN_RATERS)
        series.append(
            {
                "year": point.year,
                "count": row["count"],
                "shown": shown,
                **{name: row.get(name) if shown else None for name in MEASURES},
            }
        )
    return series


def received_trend(network: Network, organisation: Organisation | int) -> dict[int, dict]:
    """What one organisation received each year: count and averages, by round id (1 query)."""
    rows = (
        TieRating.objects.filter(round__network=network, rated=organisation)
        .values("round_id")
        .annotate(n=Count("id"), **{name: Sum(name) for name in MEASURES})
        .order_by()
    )
    return {
        row["round_id"]: {
            "count": row["n"],
            **{name: results.mean(row[name] or 0, row["n"]) for name in MEASURES},
        }
        for row in rows
    }
