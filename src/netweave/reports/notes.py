"""Learning notes: their writes, and the search that the pages and the API share.

One note per network and year: a second note for the same year is refused with a message
naming the note that exists (checked first, and again by the database constraint when two
writers race). Every write runs in one transaction.

The search matches words, not phrases: every word of the query must occur somewhere in the
note (its title, one of its texts or the name of one of its topics), in any order and case.
The matching runs in Python over the candidate notes' texts, read with two queries whatever
their number, because SQLite's ``LIKE`` folds the case of ASCII letters only and notes are
written in Russian and Tajik as well as English. A network writes one note a year, so even a
programme of fifty networks has a few thousand notes at most.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from netweave.networks.models import Network
from netweave.reports.models import LearningNote

__all__ = [
    "create_note",
    "delete_note",
    "highlight",
    "note_snippet",
    "query_words",
    "search_notes",
    "update_note",
]

FIRST_YEAR = 1990
TEXT_FIELDS = ("title", "context", "what_worked", "what_did_not", "lessons", "recommendations")
# Where a snippet is taken from, in this order; the title is shown on its own.
SNIPPET_FIELDS = ("lessons", "what_worked", "what_did_not", "context", "recommendations")
NOTE_FIELDS = ("year", *TEXT_FIELDS)
MAX_WORDS = 12
SNIPPET_LENGTH = 240


# Writes --------------------------------------------------------------------------------------
def last_year() -> int:
    """Notes look back: the latest year a note can be about is the current one."""
    return timezone.localdate().year


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The note's fields from ``data``, texts stripped; a ``ValidationError`` by field."""
    values = {name: data[name] for name in NOTE_FIELDS if name in data}
    for name in TEXT_FIELDS:
        if name in values:
            values[name] = (values[name] or "").strip()
    errors: dict[str, str] = {}
    year = values.get("year")
    if "year" in values:
        try:
            year = int(year)
        except (TypeError, ValueError):
            errors["year"] = _("“%(year)s” is not a year.") % {"year": year}
        else:
            if not FIRST_YEAR <= year <= last_year():
                errors["year"] = _("Choose a year from %(first)d to %(last)d.") % {
                    "first": FIRST_YEAR,
                    "last": last_year(),
                }
            values["year"] = year
    for name, message in (
        ("title", _("Give the note a title.")),
        ("lessons", _("Write down the lessons learned: they are what other networks read.")),
    ):
        if name in values and not values[name]:
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    return values


def _duplicate(existing: LearningNote) -> ValidationError:
    return ValidationError(
        {
            "year": _(
                "%(network)s already has a learning note for %(year)d: “%(title)s”. "
                "Edit that note instead."
            )
            % {"network": existing.network.name, "year": existing.year, "title": existing.title}
        }
    )


def _check_year_free(network: Network, year: int, note: LearningNote | None = None) -> None:
    others = LearningNote.objects.filter(network=network, year=year).select_related("network")
    if note is not None:
        others = others.exclude(pk=note.pk)
    existing = others.first()
    if existing is not None:
        raise _duplicate(existing)


def _save(note: LearningNote) -> None:
    """Save, turning the race on the (network, year) constraint into the same message."""
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        existing = (
            LearningNote.objects.select_related("network")
            .filter(network=note.network_id, year=note.year)
            .exclude(pk=note.pk)
            .first()
        )
        if existing is None:
            raise
        raise _duplicate(existing) from None


@transaction.atomic
def create_note(
    network: Network,
    *,
    acting_user: Any,
    topics: Iterable[Any] | None = None,
    **data: Any,
) -> LearningNote:
    """Write the note of ``network`` for a year; the acting user is its author."""
    for name in ("year", "title", "lessons"):
        data.setdefault(name, "")
    values = _clean(data)
    _check_year_free(network, values["year"])
    note = LearningNote(network=network, author=_user(acting_user), **values)
    _save(note)
    if topics:
        note.topics.set(list(topics))
    return note


@transaction.atomic
def update_note(
    note: LearningNote,
    data: dict[str, Any],
    *,
    acting_user: Any,
) -> LearningNote:
    """Change the fields given in ``data`` (and the topics when ``topics`` is given)."""
    data = dict(data)
    topics = data.pop("topics", None)
    values = _clean(data)
    if "year" in values and values["year"] != note.year:
        _check_year_free(note.network, values["year"], note)
    for name, value in values.items():
        setattr(note, name, value)
    _save(note)
    if topics is not None:
        note.topics.set(list(topics))
    return note


@transaction.atomic
def delete_note(note: LearningNote, *, acting_user: Any) -> None:
    note.delete()


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# Search --------------------------------------------------------------------------------------
def query_words(text: str | None) -> list[str]:
    """The distinct words of a query, in order, at most ``MAX_WORDS``."""
    words = [word.strip("\"'«»“”„.,;:!?()") for word in (text or "").split()]
    return list(dict.fromkeys(word for word in words if word))[:MAX_WORDS]


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    # Longest first, so that "water" wins over "wat" where both match at one place.
    alternatives = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in alternatives), re.IGNORECASE)


def search_notes(queryset: QuerySet, text: str | None) -> QuerySet:
    """The notes of ``queryset`` in which every word of ``text`` occurs somewhere.

    Two queries (the notes' texts, their topics' names), then a filter by primary key.
    """
    words = query_words(text)
    if not words:
        return queryset
    rows = list(queryset.order_by().values_list("pk", *TEXT_FIELDS))
    topics: dict[int, list[str]] = defaultdict(list)
    through = LearningNote.topics.through.objects.filter(
        learningnote_id__in=queryset.order_by().values("pk")
    )
    for note_id, name in through.values_list("learningnote_id", "topic__name"):
        topics[note_id].append(name)
    patterns = [re.compile(re.escape(word), re.IGNORECASE) for word in words]
    matches = []
    for pk, *texts in rows:
        haystack = "\n".join([*(t or "" for t in texts), *topics[pk]])
        if all(pattern.search(haystack) for pattern in patterns):
            matches.append(pk)
    return queryset.filter(pk__in=matches)


def highlight(text: str, words: Sequence[str]) -> SafeString:
    """``text`` escaped, with each occurrence of the words marked with ``<mark>``."""
    if not words or not text:
        return escape(text or "")
    parts: list[str] = []
    position = 0
    for match in _pattern(words).finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def note_snippet(note: LearningNote, words: Sequence[str]) -> SafeString:
    """A short passage of the note around the first match, with the matches marked.

    Taken from the first text that holds a word of the query; without one (the words matched
    the title or a topic), the start of the lessons.
    """
    pattern = _pattern(words) if words else None
    source, start = note.lessons, 0
    if pattern is not None:
        for name in SNIPPET_FIELDS:
            text = getattr(note, name) or ""
            found = pattern.search(text)
            if found:
                source, start = text, found.start()
                break
    source = " ".join(source.split())
    if pattern is not None:
        found = pattern.search(source)
        start = found.start() if found else 0
    begin = max(0, start - SNIPPET_LENGTH // 3)
    if begin:
        space = source.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = min(len(source), begin + SNIPPET_LENGTH)
    if end < len(source):
        space = source.rfind(" ", begin, end)
        end = space if space > start else end
    passage = source[begin:end]
    marked = highlight(passage, words)
    return mark_safe(  # noqa: S308 - ``marked`` is escaped; only ellipses are added
        ("… " if begin else "") + marked + (" …" if end < len(source) else "")
    )
