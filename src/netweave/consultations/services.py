"""Writes and named reads of consultations: set-up, comments, synthesis, owner's responses.

Every write is atomic and refuses bad input with ``ValidationError({field: message})``.
When ``acting_user`` is given, the service also checks the policy of ``permissions.py``
(``PermissionDenied``); ``acting_user=None`` is the system itself (the demo).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from netweave.consultations import permissions
from netweave.consultations.models import (
    Audience,
    Comment,
    CommentKind,
    Consultation,
    Dissent,
    Endorsement,
    Phase,
    Recommendation,
    Response,
    Section,
    Status,
)
from netweave.core.access import NetworkAccess, get_access
from netweave.directory.models import Organisation, Sector
from netweave.networks.models import Network

__all__ = [
    "add_comment",
    "close_consultation",
    "create_consultation",
    "create_recommendation",
    "edit_comment",
    "endorse_comment",
    "feedback",
    "invited_organisations",
    "open_consultation",
    "publish_synthesis",
    "record_dissent",
    "record_response",
    "support_for",
    "update_consultation",
    "update_recommendation",
    "withdraw_endorsement",
]

COMMENT_MAX = 5000
# Section text: structure and links only (no images, which would load from other hosts).
SECTION_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
    "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_section_body(text: str) -> str:
    return nh3.clean(text or "", tags=SECTION_TAGS, link_rel="noopener noreferrer").strip()


def clean_comment_text(text: str) -> str:
    """Plain text as typed, without control characters; it is always shown escaped."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def _check(acting_user: Any, network: Network, allowed: Callable[[NetworkAccess], bool]) -> None:
    if acting_user is not None and not allowed(get_access(acting_user, network)):
        raise PermissionDenied


def _when(moment: Any, consultation: Consultation) -> str:
    local = moment.astimezone(consultation.tz)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({consultation.time_zone})"


# Invitations -----------------------------------------------------------------------------
def invited_organisations(consultation: Consultation) -> QuerySet:
    """The current member organisations the consultation's invitation rule reaches.

    The owner is never among them: it receives the feedback rather than giving it.
    """
    members = Organisation.objects.in_network(consultation.network).exclude(
        pk=consultation.owner_id
    )
    if consultation.audience == Audience.SECTORS:
        members = members.filter(sector__in=consultation.sectors.all())
    elif consultation.audience == Audience.TASK_GROUPS:
        members = members.filter(
            task_group_seats__task_group__in=consultation.task_groups.all()
        ).distinct()
    return members.select_related("sector").order_by("name")


def invited_ids(consultation: Consultation) -> set[int]:
    return set(invited_organisations(consultation).values_list("id", flat=True))


# Setting up ------------------------------------------------------------------------------
@dataclass
class SectionInput:
    heading: str
    body: str = ""
    uid: Any = None
    delete: bool = False


def _validate(network: Network, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the consultation a title.")
    if data.get("owner") is None:
        errors["owner"] = _("Choose the organisation that owns the document.")
    opens, closes = data.get("opens"), data.get("closes")
    if opens is None:
        errors["opens"] = _("Say when the consultation opens.")
    if closes is None:
        errors["closes"] = _("Say when the consultation closes.")
    if opens and closes and closes <= opens:
        errors["closes"] = _("The consultation must close after it opens.")
    if data.get("time_zone") not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Choose a time zone from the list.")
    audience = data.get("audience")
    if audience not in Audience.values:
        errors["audience"] = _("Choose whom to invite.")
    if audience == Audience.SECTORS and not list(data.get("sectors") or ()):
        errors["sectors"] = _("Choose at least one sector to invite.")
    if audience == Audience.TASK_GROUPS:
        groups = list(data.get("task_groups") or ())
        if not groups:
            errors["task_groups"] = _("Choose at least one task group to invite.")
        elif any(group.network_id != network.pk for group in groups):
            errors["task_groups"] = _("Choose task groups of this network.")
    if any(doc.network_id != network.pk for doc in data.get("documents") or ()):
        errors["documents"] = _("Choose documents of this network's library.")
    if errors:
        raise ValidationError(errors)


CONSULTATION_FIELDS = (
    "owner",
    "title",
    "description",
    "opens",
    "closes",
    "time_zone",
    "audience",
    "open_discussion",
)


@transaction.atomic
def create_consultation(
    network: Network,
    *,
    owner: Organisation,
    title: str,
    opens: Any,
    closes: Any,
    description: str = "",
    time_zone: str = "UTC",
    audience: str = Audience.ALL,
    sectors: Iterable[Sector] = (),
    task_groups: Iterable[Any] = (),
    documents: Iterable[Any] = (),
    open_discussion: bool = True,
    sections: Sequence[SectionInput | dict[str, Any]] = (),
    status: str = Status.DRAFT,
    acting_user: Any = None,
) -> Consultation:
    """A draft consultation with its sections; it takes comments once opened.

    ``status=closed`` enters a consultation that already ran, for the record (its comments
    then come in with ``add_comment(received_at=...)``); its close must have passed.
    """
    _check(acting_user, network, permissions.can_run)
    if status not in (Status.DRAFT, Status.CLOSED):
        raise ValidationError({"status": _("A new consultation is a draft, or closed already.")})
    if status == Status.CLOSED and closes is not None and closes > timezone.now():
        raise ValidationError(
            {"closes": _("A consultation entered for the record must have closed already.")}
        )
    sectors, task_groups, documents = list(sectors), list(task_groups), list(documents)
    data = {
        "owner": owner,
        "title": title,
        "description": description,
        "opens": opens,
        "closes": closes,
        "time_zone": time_zone,
        "audience": audience,
        "open_discussion": open_discussion,
    }
    _validate(network, {**data, "sectors": sectors, "task_groups": task_groups,
                        "documents": documents})  # fmt: skip
    consultation = Consultation.objects.create(
        network=network,
        status=status,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        **{**data, "title": title.strip()},
    )
    _set_rule(consultation, audience, sectors, task_groups)
    consultation.documents.set(documents)
    set_sections(consultation, sections)
    return consultation


def _set_rule(consultation: Consultation, audience: str, sectors: list, task_groups: list) -> None:
    consultation.sectors.set(sectors if audience == Audience.SECTORS else [])
    consultation.task_groups.set(task_groups if audience == Audience.TASK_GROUPS else [])


@transaction.atomic
def update_consultation(
    consultation: Consultation,
    *,
    sectors: Iterable[Sector] = (),
    task_groups: Iterable[Any] = (),
    documents: Iterable[Any] = (),
    sections: Sequence[SectionInput | dict[str, Any]] | None = None,
    acting_user: Any = None,
    **values: Any,
) -> Consultation:
    """Change the details, the invitation rule, the documents and the sections."""
    _check(acting_user, consultation.network, permissions.can_run)
    if consultation.status == Status.PUBLISHED:
        raise ValidationError(
            _("The synthesis is published; the consultation can no longer change.")
        )
    unknown = set(values) - set(CONSULTATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    sectors, task_groups, documents = list(sectors), list(task_groups), list(documents)
    data = {name: values.get(name, getattr(consultation, name)) for name in CONSULTATION_FIELDS}
    _validate(consultation.network, {**data, "sectors": sectors, "task_groups": task_groups,
                                     "documents": documents})  # fmt: skip
    for name, value in data.items():
        setattr(consultation, name, value.strip() if name == "title" else value)
    consultation.save()
    _set_rule(consultation, data["audience"], sectors, task_groups)
    consultation.documents.set(documents)
    if sections is not None:
        set_sections(consultation, sections)
    return consultation


def set_sections(
    consultation: Consultation, sections: Sequence[SectionInput | dict[str, Any]]
) -> list[Section]:
    """Sections in the order given: new ones added, known ones (by uid) changed or removed.

    A section that has comments is never removed: the comments would lose their place.
    """
    existing = {section.uid: section for section in consultation.sections.all()}
    kept: list[Section] = []
    errors: list[str] = []
    for raw in sections:
        item = raw if isinstance(raw, SectionInput) else SectionInput(**raw)
        section = existing.get(item.uid) if item.uid else None
        if item.uid and section is None:
            errors.append(_("A section does not belong to this consultation."))
            continue
        if item.delete:
            if section is not None:
                if section.comments.exists():
                    errors.append(
                        _("The section “%(heading)s” has comments; it cannot be removed.")
                        % {"heading": section.heading}
                    )
                    continue
                section.delete()
            continue
        heading = (item.heading or "").strip()
        if not heading:
            if section is None and not (item.body or "").strip():
                continue  # an empty extra form
            errors.append(_("Every section needs a heading."))
            continue
        section = section or Section(consultation=consultation)
        section.heading = heading[:300]
        section.body = clean_section_body(item.body)
        section.position = len(kept) + 1
        section.save()
        kept.append(section)
    if errors:
        raise ValidationError({"sections": errors})
    return kept


@transaction.atomic
def open_consultation(consultation: Consultation, *, acting_user: Any = None) -> Consultation:
    """Put a draft to the invited members; it takes comments from its opening time."""
    _check(acting_user, consultation.network, permissions.can_run)
    if consultation.status != Status.DRAFT:
        raise ValidationError({"status": _("Only a draft can be opened.")})
    if not consultation.sections.exists():
        raise ValidationError({"sections": _("Add at least one section before opening.")})
    if consultation.closes <= timezone.now():
        raise ValidationError({"closes": _("The closing time has passed; move it before opening.")})
    if not invited_organisations(consultation).exists():
        raise ValidationError({"audience": _("The invitation reaches no member organisation.")})
    consultation.status = Status.OPEN
    consultation.save(update_fields=["status", "modified"])
    return consultation


@transaction.atomic
def close_consultation(consultation: Consultation, *, acting_user: Any = None) -> Consultation:
    """Stop taking comments now, before the planned close if need be."""
    _check(acting_user, consultation.network, permissions.can_run)
    if consultation.status != Status.OPEN:
        raise ValidationError({"status": _("Only an open consultation can be closed.")})
    now = timezone.now()
    consultation.status = Status.CLOSED
    if consultation.closes > now:
        consultation.closes = max(now, consultation.opens + dt.timedelta(seconds=1))
    consultation.save(update_fields=["status", "closes", "modified"])
    return consultation


# Comments --------------------------------------------------------------------------------
def _refuse_unless_open(
    consultation: Consultation, field: str = "text", *, at: dt.datetime | None = None
) -> None:
    if at is not None:
        # A comment received in time and entered later: the window is what counts.
        if consultation.status in (Status.OPEN, Status.CLOSED) and (
            consultation.opens <= at < consultation.closes
        ):
            return
        phase = Phase.DRAFT if consultation.status == Status.DRAFT else Phase.CLOSED
        if consultation.status != Status.DRAFT and at < consultation.opens:
            phase = Phase.SCHEDULED
    else:
        phase = consultation.phase()
    if phase == Phase.OPEN:
        return
    if phase == Phase.SCHEDULED:
        message = _("The consultation opens on %(when)s; comments are not accepted yet.") % {
            "when": _when(consultation.opens, consultation)
        }
    elif phase == Phase.DRAFT:
        message = _("The consultation is a draft; it takes no comments.")
    else:
        message = _("The consultation closed on %(when)s; comments are no longer accepted.") % {
            "when": _when(consultation.closes, consultation)
        }
    raise ValidationError({field: message})


def _clean_comment(kind: str, text: str) -> str:
    errors = {}
    if kind not in CommentKind.values:
        errors["kind"] = _("Choose whether this is support, a concern, a suggestion or a question.")
    text = clean_comment_text(text)
    if not text:
        errors["text"] = _("Write the comment.")
    elif len(text) > COMMENT_MAX:
        errors["text"] = _("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX}
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def add_comment(
    consultation: Consultation,
    *,
    section: Section,
    organisation: Organisation,
    kind: str,
    text: str,
    received_at: dt.datetime | None = None,
    acting_user: Any = None,
) -> Comment:
    """An invited organisation's comment on one section, while the consultation is open.

    ``received_at`` records a comment that reached the secretariat in time by other means
    (a letter, an e-mail) and is entered later: only a facilitator gives it, and it must
    fall within the consultation's opening hours.
    """
    _check(
        acting_user,
        consultation.network,
        lambda a: a.is_facilitator or (received_at is None and organisation.pk in a.focal_org_ids),
    )
    if section is None or section.consultation_id != consultation.pk:
        raise ValidationError({"section": _("This section is not part of this consultation.")})
    _refuse_unless_open(consultation, at=received_at)
    if organisation is None or organisation.pk not in invited_ids(consultation):
        raise ValidationError(
            {
                "organisation": _("%(org)s is not invited to this consultation.")
                % {"org": organisation}
            }
        )
    text = _clean_comment(kind, text)
    comment = Comment.objects.create(
        section=section,
        organisation=organisation,
        author=acting_user if getattr(acting_user, "pk", None) else None,
        kind=kind,
        text=text,
    )
    if received_at is not None:
        Comment.objects.filter(pk=comment.pk).update(created=received_at, modified=received_at)
        comment.created = comment.modified = received_at
    return comment


@transaction.atomic
def edit_comment(comment: Comment, *, kind: str, text: str, acting_user: Any = None) -> Comment:
    """Its organisation (or a facilitator) changes a comment until the consultation closes."""
    consultation = comment.section.consultation
    _check(acting_user, consultation.network, lambda a: permissions.can_edit_comment(a, comment))
    _refuse_unless_open(consultation)
    comment.text = _clean_comment(kind, text)
    comment.kind = kind
    comment.save(update_fields=["kind", "text", "modified"])
    return comment


@transaction.atomic
def endorse_comment(
    comment: Comment,
    *,
    organisation: Organisation,
    received_at: dt.datetime | None = None,
    acting_user: Any = None,
) -> Endorsement:
    """Another invited organisation stands behind a comment, once.

    ``received_at``, as for ``add_comment``: an endorsement sent in time, entered later.
    """
    consultation = comment.section.consultation
    _check(
        acting_user,
        consultation.network,
        lambda a: organisation.pk in a.focal_org_ids and received_at is None,
    )
    if not consultation.open_discussion:
        raise ValidationError(
            {"organisation": _("In this consultation members do not endorse each other.")}
        )
    _refuse_unless_open(consultation, "organisation", at=received_at)
    if comment.organisation_id == organisation.pk:
        raise ValidationError(
            {"organisation": _("An organisation does not endorse its own comment.")}
        )
    if organisation.pk not in invited_ids(consultation):
        raise ValidationError(
            {
                "organisation": _("%(org)s is not invited to this consultation.")
                % {"org": organisation}
            }
        )
    endorsement, created = Endorsement.objects.get_or_create(
        comment=comment,
        organisation=organisation,
        defaults={"endorsed_by": acting_user if getattr(acting_user, "pk", None) else None},
    )
    if not created:
        raise ValidationError(
            {"organisation": _("%(org)s already endorses this comment.") % {"org": organisation}}
        )
    if received_at is not None:
        Endorsement.objects.filter(pk=endorsement.pk).update(created=received_at)
    return endorsement


@transaction.atomic
def withdraw_endorsement(
    comment: Comment, *, organisation: Organisation, acting_user: Any = None
) -> None:
    consultation = comment.section.consultation
    _check(acting_user, consultation.network, lambda a: organisation.pk in a.focal_org_ids)
    _refuse_unless_open(consultation, "organisation")
    Endorsement.objects.filter(comment=comment, organisation=organisation).delete()


# Synthesis -------------------------------------------------------------------------------
def _refuse_if_published(consultation: Consultation) -> None:
    if consultation.status == Status.PUBLISHED:
        raise ValidationError(_("The synthesis is published; it can no longer change."))
    if consultation.status == Status.DRAFT:
        raise ValidationError(_("A draft has no comments to synthesise yet."))


def _clean_recommendation(
    consultation: Consultation, text: str, section: Section | None, comments: list[Comment]
) -> str:
    errors = {}
    text = clean_comment_text(text)
    if not text:
        errors["text"] = _("Write the recommendation.")
    if section is not None and section.consultation_id != consultation.pk:
        errors["section"] = _("This section is not part of this consultation.")
    if any(comment.section.consultation_id != consultation.pk for comment in comments):
        errors["comments"] = _("Only comments made in this consultation can support it.")
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def create_recommendation(
    consultation: Consultation,
    *,
    text: str,
    section: Section | None = None,
    comments: Iterable[Comment] = (),
    acting_user: Any = None,
) -> Recommendation:
    """A recommendation of the synthesis; without supporting comments it is allowed, flagged."""
    _check(acting_user, consultation.network, permissions.can_run)
    _refuse_if_published(consultation)
    comments = list(comments)
    text = _clean_recommendation(consultation, text, section, comments)
    last = consultation.recommendations.order_by("-position").first()
    recommendation = Recommendation.objects.create(
        consultation=consultation,
        section=section,
        text=text,
        position=(last.position + 1) if last else 1,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    recommendation.comments.set(comments)
    return recommendation


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation,
    *,
    text: str,
    section: Section | None = None,
    comments: Iterable[Comment] = (),
    acting_user: Any = None,
) -> Recommendation:
    consultation = recommendation.consultation
    _check(acting_user, consultation.network, permissions.can_run)
    _refuse_if_published(consultation)
    comments = list(comments)
    recommendation.text = _clean_recommendation(consultation, text, section, comments)
    recommendation.section = section
    recommendation.save(update_fields=["text", "section", "modified"])
    recommendation.comments.set(comments)
    return recommendation


@transaction.atomic
def delete_recommendation(recommendation: Recommendation, *, acting_user: Any = None) -> None:
    consultation = recommendation.consultation
    _check(acting_user, consultation.network, permissions.can_run)
    _refuse_if_published(consultation)
    recommendation.delete()


@transaction.atomic
def record_dissent(
    recommendation: Recommendation,
    *,
    organisation: Organisation,
    note: str = "",
    acting_user: Any = None,
) -> Dissent:
    """An invited organisation objects to a recommendation; recorded with its reason."""
    consultation = recommendation.consultation
    _check(acting_user, consultation.network, permissions.can_run)
    _refuse_if_published(consultation)
    if organisation is None or organisation.pk not in invited_ids(consultation):
        raise ValidationError(
            {
                "organisation": _("%(org)s is not invited to this consultation.")
                % {"org": organisation}
            }
        )
    dissent, created = Dissent.objects.get_or_create(
        recommendation=recommendation,
        organisation=organisation,
        defaults={
            "note": clean_comment_text(note),
            "recorded_by": acting_user if getattr(acting_user, "pk", None) else None,
        },
    )
    if not created:
        raise ValidationError(
            {
                "organisation": _("The objection of %(org)s is already recorded.")
                % {"org": organisation}
            }
        )
    return dissent


@transaction.atomic
def publish_synthesis(
    consultation: Consultation, *, note: str | None = None, acting_user: Any = None
) -> Consultation:
    """Publish the coordinated feedback once the consultation is closed."""
    _check(acting_user, consultation.network, permissions.can_run)
    if consultation.status == Status.PUBLISHED:
        raise ValidationError({"status": _("The synthesis is already published.")})
    if consultation.phase() != Phase.CLOSED:
        raise ValidationError(
            {"status": _("Close the consultation before publishing its synthesis.")}
        )
    if not consultation.recommendations.exists():
        raise ValidationError({"status": _("Write at least one recommendation first.")})
    if note is not None:
        consultation.synthesis_note = clean_comment_text(note)
    consultation.status = Status.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["status", "published_at", "synthesis_note", "modified"])
    return consultation


@transaction.atomic
def record_response(
    recommendation: Recommendation, *, response: str, note: str = "", acting_user: Any = None
) -> Recommendation:
    """What the owner did with a recommendation: taken up, partly, not taken up, pending."""
    consultation = recommendation.consultation
    # Who may answer is checked apart from when: before publication the reason is the date.
    _check(
        acting_user,
        consultation.network,
        lambda a: a.is_facilitator or consultation.owner_id in a.focal_org_ids,
    )
    if consultation.status != Status.PUBLISHED:
        raise ValidationError({"response": _("The owner answers once the synthesis is published.")})
    if response not in Response.values:
        raise ValidationError({"response": _("Choose one of the listed responses.")})
    recommendation.response = response
    recommendation.response_note = clean_comment_text(note)
    recommendation.responded_at = None if response == Response.PENDING else timezone.now()
    recommendation.save(update_fields=["response", "response_note", "responded_at", "modified"])
    return recommendation


# Reads -----------------------------------------------------------------------------------
@dataclass
class Support:
    """Who backs a recommendation: the organisations behind its comments and endorsements."""

    comment_count: int = 0
    organisations: list[Organisation] = field(default_factory=list)
    commented_ids: set[int] = field(default_factory=set)
    endorsed_ids: set[int] = field(default_factory=set)
    by_sector: dict[int, int] = field(default_factory=dict)  # sector id → organisations
    sectors: list[tuple[Sector, int]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """No comment supports it: allowed, but the synthesis says so."""
        return self.comment_count == 0


def support_for(recommendation_ids: Iterable[int]) -> dict[int, Support]:
    """Support of each recommendation, in three queries whatever their number."""
    ids = list(recommendation_ids)
    through = Recommendation.comments.through
    links = list(
        through.objects.filter(recommendation_id__in=ids).values_list(
            "recommendation_id", "comment__organisation_id"
        )
    )
    endorsements = list(
        Endorsement.objects.filter(comment__recommendations__in=ids).values_list(
            "comment__recommendations", "organisation_id"
        )
    )
    support = {rec_id: Support() for rec_id in ids}
    for rec_id, org_id in links:
        support[rec_id].comment_count += 1
        support[rec_id].commented_ids.add(org_id)
    for rec_id, org_id in endorsements:
        support[rec_id].endorsed_ids.add(org_id)
    org_ids = {o for s in support.values() for o in s.commented_ids | s.endorsed_ids}
    organisations = {
        org.pk: org for org in Organisation.objects.filter(pk__in=org_ids).select_related("sector")
    }
    for item in support.values():
        backers = sorted(
            (organisations[o] for o in item.commented_ids | item.endorsed_ids),
            key=lambda org: org.name.casefold(),
        )
        item.organisations = backers
        sectors: dict[int, list] = {}
        for org in backers:
            sectors.setdefault(org.sector_id, [org.sector, 0])[1] += 1
        item.by_sector = {sector_id: count for sector_id, (_s, count) in sectors.items()}
        item.sectors = sorted(
            ((sector, count) for sector, count in sectors.values()),
            key=lambda pair: (pair[0].position, pair[0].name),
        )
    return support


def recommendations_of(consultation: Consultation) -> list[Recommendation]:
    """Recommendations with their section, dissents and support (``rec.support``)."""
    recommendations = list(
        consultation.recommendations.select_related("section").prefetch_related(
            Prefetch("dissents", queryset=Dissent.objects.select_related("organisation__sector")),
            Prefetch("comments", queryset=Comment.objects.only("id", "uid")),
        )
    )
    support = support_for(rec.pk for rec in recommendations)
    for rec in recommendations:
        rec.support = support[rec.pk]
    return recommendations


def sections_with_comments(consultation: Consultation, *, only_org_ids: set[int] | None = None):
    """Sections in order, each with its comments (organisation, sector, endorsements)."""
    comments = Comment.objects.select_related("organisation__sector").prefetch_related(
        Prefetch("endorsements", queryset=Endorsement.objects.select_related("organisation"))
    )
    if only_org_ids is not None:
        comments = comments.filter(organisation_id__in=only_org_ids)
    return consultation.sections.prefetch_related(Prefetch("comments", queryset=comments))


@dataclass
class Feedback:
    """The coordinated feedback as one document: what the HTML, PDF and DOCX show."""

    consultation: Consultation
    recommendations: list[Recommendation]
    sectors: list[Sector]  # the columns of the support table
    sections: list[Section]  # with ``comments`` prefetched: the annex
    invited_count: int
    commenting_count: int
    generated: Any


def feedback(consultation: Consultation) -> Feedback:
    recommendations = recommendations_of(consultation)
    sector_ids = {sid for rec in recommendations for sid in rec.support.by_sector}
    sectors = list(Sector.objects.filter(pk__in=sector_ids).order_by("position", "name"))
    for rec in recommendations:
        rec.sector_counts = [rec.support.by_sector.get(sector.pk, 0) for sector in sectors]
    sections = list(sections_with_comments(consultation))
    commenting = {c.organisation_id for s in sections for c in s.comments.all()}
    return Feedback(
        consultation=consultation,
        recommendations=recommendations,
        sectors=sectors,
        sections=sections,
        invited_count=invited_organisations(consultation).count(),
        commenting_count=len(commenting),
        generated=timezone.now(),
    )


def comment_counts(consultation_ids: Iterable[int]) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Comment.objects.filter(section__consultation_id__in=list(consultation_ids))
        .values("section__consultation_id")
        .annotate(n=Count("id"))
    )
    counts: dict[int, int] = defaultdict(int)
    for row in rows:
        counts[row["section__consultation_id"]] = row["n"]
    return counts
