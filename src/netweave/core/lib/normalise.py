"""Cell normalisation for spreadsheet imports, with no Django.

The contract for callers (the import command, the upload → preview → confirm pages):

* Nothing here raises on bad input. Every function returns the cleaned value together
  with an error (``None`` when the value is fine), so a preview can list every problem of
  every row at once instead of stopping at the first.
* An empty cell is not an error: ``validate_email("")`` is ``("", None)``,
  ``parse_bool("")`` is ``(None, None)`` and ``parse_date("")`` has ``empty=True``.
  Whether a column is required is the caller's business.
* Nothing is guessed silently. A date such as 03/04/2015 comes back ambiguous with both
  readings unless the caller passes the column's order (``infer_date_order`` finds it
  from the whole column); a sector spelling that matches no alias comes back unmapped
  with the closest suggestions, never as "other".
* Error messages are :class:`Message` objects: plain ``str`` in English, which also keep
  their template and parameters. The templates are marked with ``_()`` so Django's
  ``makemessages`` collects them; a caller shows them in the user's language with
  ``message.translate(gettext)``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from netweave.core.lib.text import clean_text

__all__ = [
    "DEFAULT_SECTOR_ALIASES",
    "DEFAULT_SECTOR_RULES",
    "SECTOR_SLUGS",
    "Checked",
    "DateResult",
    "Message",
    "SectorMapper",
    "Suggestion",
    "clean_cell",
    "infer_date_order",
    "is_formula_like",
    "neutralise_formula",
    "parse_bool",
    "parse_date",
    "split_list",
    "validate_email",
    "validate_url",
]


def _(message: str) -> str:
    """Mark a message for translation; the caller translates it (see ``Message.translate``)."""
    return message


class Message(str):
    """An English message that remembers its template and parameters for translation."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        self = super().__new__(cls, template % params if params else template)
        self.template = template
        self.params = params
        return self

    def translate(self, gettext: Callable[[str], str]) -> str:
        """The message in the language ``gettext`` speaks (Django's ``gettext`` for one)."""
        translated = gettext(self.template)
        if not self.params:
            return translated
        params = {
            key: value.translate(gettext) if isinstance(value, Message) else value
            for key, value in self.params.items()
        }
        return translated % params


class Checked(tuple):
    """``(value, error)``, unpacking as a pair, with ``.note`` for what was changed silently.

    A note is not an error: ``validate_url("oxfam.org")`` gives
    ``("https://oxfam.org", None)`` with the note "https:// was added".
    """

    value: Any
    error: Message | None
    note: Message | None

    def __new__(cls, value: Any, error: Message | None = None, note: Message | None = None):
        self = super().__new__(cls, (value, error))
        self.value = value
        self.error = error
        self.note = note
        return self


# ---------------------------------------------------------------------------
# Cells

# Invisible characters that spreadsheets and copy-paste leave behind. Zero-width
# (non-)joiners are kept: Persian and Arabic spelling needs them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)
# Control characters other than the ones re's \s counts as white space (clean_text
# turns those into spaces).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_cell(value: object) -> str:
    """Trim, NFC-normalise, collapse white space and drop invisible and control characters."""
    if value is None:
        return ""
    return clean_text(_CONTROL.sub("", str(value).translate(_INVISIBLE)))


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet could run ``value`` as a formula (CSV injection)."""
    return value.startswith(_FORMULA_START)


def neutralise_formula(value: str) -> str:
    """Prefix a formula-like value with an apostrophe so a spreadsheet shows it as text.

    For exports: "=HYPERLINK(...)" typed into a profile must not run when a secretariat
    opens the export in Excel or LibreOffice.
    """
    return "'" + value if is_formula_like(value) else value


_LIST_SEPARATORS = re.compile(r"[;,\n|\u060c\u061b]")  # also the Arabic comma and semicolon


def split_list(value: str | None) -> list[str]:
    """Split "a; b, c" (or one item per line) into clean items, dropping empties and repeats."""
    items: list[str] = []
    seen: set[str] = set()
    for part in _LIST_SEPARATORS.split(value or ""):
        item = clean_cell(part)
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


_TRUE = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "+", "да", "д", "oui", "sí", "si", "ja"}
_FALSE = {"no", "n", "false", "f", "0", "-", "нет", "н", "non"}


def parse_bool(value: str | None) -> Checked:
    """yes/no, да/нет, 1/0, true/false, and "x" for a ticked box → ``(bool | None, error)``."""
    text = clean_cell(value).casefold().rstrip(".")
    if not text:
        return Checked(None)
    if text in _TRUE:
        return Checked(True)
    if text in _FALSE:
        return Checked(False)
    error = Message(_('"%(value)s" is not a yes or no; write yes or no.'), value=clean_cell(value))
    return Checked(None, error)


# ---------------------------------------------------------------------------
# E-mail and web addresses

_EMAIL = re.compile(
    r"^(?P<local>[^\s@<>()\[\],;:\"\\]+)@"
    r"(?P<domain>(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63})$"
)
_NAMED_ADDRESS = re.compile(r"^[^<>]*<([^<>]+)>$")


def validate_email(value: str | None) -> Checked:
    """One e-mail address → ``(address with a lower-case domain, error)``."""
    text = clean_cell(value)
    if not text:
        return Checked("")
    note = None
    named = _NAMED_ADDRESS.match(text)
    if named:  # "Oxfam <info@oxfam.org>", as mail programs copy it
        text = named.group(1).strip()
        note = Message(_("Only the address was kept."))
    if text.casefold().startswith("mailto:"):
        text = text[len("mailto:") :]
        note = Message(_("“mailto:” was removed."))
    if text.count("@") > 1:
        error = Message(_('"%(value)s" holds more than one e-mail address; give one.'), value=text)
        return Checked(text, error)
    match = _EMAIL.match(text)
    local = match.group("local") if match else ""
    if (
        not match
        or len(text) > 254
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        return Checked(text, Message(_('"%(value)s" is not an e-mail address.'), value=text))
    return Checked(f"{local}@{match.group('domain').lower()}", None, note)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_LABEL = re.compile(r"^[^\W_](?:[\w-]{0,61}[^\W_])?$")


def validate_url(value: str | None) -> Checked:
    """A web address → ``(http(s) URL, error)``; a bare domain gets https:// and a note."""
    from urllib.parse import urlsplit

    text = clean_cell(value)
    if not text:
        return Checked("")
    invalid = Message(_('"%(value)s" is not a web address.'), value=text)
    if any(char.isspace() or char == "\\" for char in text):
        return Checked(text, invalid)
    note = None
    scheme = _SCHEME.match(text)
    # "oxfam.org:8080/x" has a colon but no scheme: a scheme has no dot before the colon.
    if scheme and "." not in scheme.group(1) and not text[scheme.end() :][:1].isdigit():
        if scheme.group(1).lower() not in {"http", "https"}:
            return Checked(
                text,
                Message(
                    _('"%(value)s" is not a web address: only http and https are accepted.'),
                    value=text,
                ),
            )
    else:
        text = "https://" + text.removeprefix("//")
        note = Message(_("https:// was added."))
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return Checked(text, invalid)
    if "@" in parts.netloc:
        return Checked(
            text,
            Message(_('"%(value)s" holds a user name or password; remove it.'), value=text),
        )
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return Checked(text, invalid)
    return Checked(text, None, note)


# ---------------------------------------------------------------------------
# Dates

MIN_YEAR, MAX_YEAR = 1800, 2199

_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
_YEAR_LAST = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d+){_TIME}$")
_SERIAL = re.compile(r"^\d{1,6}(?:[.,]\d+)?$")
_TOKENS = re.compile(r"\d+|[^\W\d_]+")
_NOISE = {"st", "nd", "rd", "th", "of", "de", "г", "года", "год", "le", "the"}

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janvier janv январь января янв",
        "february feb février fevrier févr fevr февраль февраля фев",
        "march mar mars март марта мар",
        "april apr avril avr апрель апреля апр",
        "may mai май мая",
        "june jun juin июнь июня июн",
        "july jul juillet juil июль июля июл",
        "august aug août aout август августа авг",
        "september sep sept septembre сентябрь сентября сен сент",
        "october oct octobre октябрь октября окт",
        "november nov novembre ноябрь ноября ноя",
        "december dec décembre decembre déc декабрь декабря дек",
    ],
    start=1,
):
    _MONTHS.update(dict.fromkeys(_names.split(), _number))

_ORDER_NAMES = {"dmy": Message(_("day/month/year")), "mdy": Message(_("month/day/year"))}


@dataclass(frozen=True)
class DateResult:
    """The outcome of ``parse_date``: a value, or an error, or an ambiguity to resolve.

    ``order`` says how the value was read: "ymd", "dmy", "mdy" or "named" (month in
    words). ``candidates`` holds both readings of an ambiguous date, day-first first.
    """

    text: str
    value: dt.date | None = None
    error: Message | None = None
    ambiguous: bool = False
    candidates: tuple[dt.date, ...] = ()
    order: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def empty(self) -> bool:
        return not self.text


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _invalid(text: str, year: int, month: int, day: int) -> DateResult:
    if 1 <= month <= 12:
        error = Message(
            _('"%(text)s" is not a valid date: %(year)s-%(month)02d has no day %(day)s.'),
            text=text,
            year=year,
            month=month,
            day=day,
        )
    else:
        error = Message(_('"%(text)s" is not a valid date.'), text=text)
    return DateResult(text, error=error)


def _year_problem(text: str, year_text: str) -> DateResult | None:
    if len(year_text) != 4:
        return DateResult(
            text,
            error=Message(
                _('"%(text)s": write the year with four digits (for example 2015).'), text=text
            ),
        )
    if not MIN_YEAR <= int(year_text) <= MAX_YEAR:
        return DateResult(
            text,
            error=Message(
                _('"%(text)s": the year %(year)s is out of range.'), text=text, year=year_text
            ),
        )
    return None


def _numeric_parts(text: str) -> tuple[int, int, str] | None:
    """(first, second, year digits) of a day/month/year or month/day/year date."""
    match = _YEAR_LAST.match(text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(3)), match.group(4)


def _parse_named(text: str) -> DateResult | None:
    """Read a date with the month in words: "21 July 2015", "July 21st, 2015", "21 июля 2015"."""
    tokens = [token for token in _TOKENS.findall(text.casefold()) if token not in _NOISE]
    if len(tokens) != 3:
        return None
    months = [token for token in tokens if token in _MONTHS]
    numbers = [token for token in tokens if token.isdigit()]
    if len(months) != 1 or len(numbers) != 2:
        return None
    month = _MONTHS[months[0]]
    day_text, year_text = numbers if len(numbers[0]) <= 2 else numbers[::-1]
    if len(day_text) > 2:
        return None
    problem = _year_problem(text, year_text)
    if problem:
        return problem
    value = _make_date(int(year_text), month, int(day_text))
    if value is None:
        return _invalid(text, int(year_text), month, int(day_text))
    return DateResult(text, value=value, order="named")


def parse_date(text: str | None, *, order_hint: str | None = None) -> DateResult:
    """Read a date typed into a spreadsheet; never raises.

    Accepts 2015-07-21 (also with a time), 21.07.2015, 21/07/2015, 07/21/2015 and month
    names ("21 July 2015", "21 июля 2015"). Two-digit years and Excel serial numbers
    (42206) are refused, not guessed. A date whose day and month could be swapped is
    ambiguous unless ``order_hint`` ("dmy" or "mdy") says how the column is written.
    """
    if order_hint not in (None, "dmy", "mdy"):
        raise ValueError(f"order_hint must be 'dmy', 'mdy' or None, not {order_hint!r}")
    text = clean_cell(text)
    if not text:
        return DateResult(text)

    match = _YEAR_FIRST.match(text)
    if match:
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
        problem = _year_problem(text, match.group(1))
        if problem:
            return problem
        value = _make_date(year, month, day)
        if value is None:
            return _invalid(text, year, month, day)
        return DateResult(text, value=value, order="ymd")

    parts = _numeric_parts(text)
    if parts:
        first, second, year_text = parts
        problem = _year_problem(text, year_text)
        if problem:
            return problem
        year = int(year_text)
        readings = {"dmy": _make_date(year, second, first), "mdy": _make_date(year, first, second)}
        if order_hint:
            value = readings[order_hint]
            if value is None:
                return DateResult(
                    text,
                    error=Message(
                        _('"%(text)s" is not a valid date in the %(order)s order of this column.'),
                        text=text,
                        order=_ORDER_NAMES[order_hint],
                    ),
                )
            return DateResult(text, value=value, order=order_hint)
        valid = {order: value for order, value in readings.items() if value is not None}
        if not valid:
            if first > 12:
                return _invalid(text, year, second, first)
            return _invalid(text, year, first, second)
        if len(set(valid.values())) == 1:
            # One valid reading, or 05/05/2015, which reads the same either way.
            order = None if first == second else next(iter(valid))
            return DateResult(text, value=next(iter(valid.values())), order=order)
        day_first, month_first = valid["dmy"], valid["mdy"]
        return DateResult(
            text,
            ambiguous=True,
            candidates=(day_first, month_first),
            error=Message(
                _(
                    '"%(text)s" could be %(day_first)s or %(month_first)s; '
                    "say whether the column is day/month/year or month/day/year."
                ),
                text=text,
                day_first=day_first.isoformat(),
                month_first=month_first.isoformat(),
            ),
        )

    named = _parse_named(text)
    if named:
        return named
    if _SERIAL.match(text):
        return DateResult(
            text,
            error=Message(
                _(
                    '"%(text)s" looks like a spreadsheet date number, not a date; '
                    "format the column as dates (for example 2015-07-21) and export again."
                ),
                text=text,
            ),
        )
    return DateResult(
        text,
        error=Message(
            _('"%(text)s" is not a date; write dates like 2015-07-21 or 21.07.2015.'), text=text
        ),
    )


def infer_date_order(values: Iterable[str | None]) -> str | None:
    """The order ("dmy" or "mdy") a column's dates show; ``None`` when unsure or mixed.

    A value whose first part is over 12 can only be day-first, one whose second part is
    over 12 only month-first. A column with both kinds is inconsistent and gets ``None``.
    """
    seen: set[str] = set()
    for value in values:
        parts = _numeric_parts(clean_cell(value))
        if not parts:
            continue
        first, second, _year = parts
        if first > 12 >= second:
            seen.add("dmy")
        elif second > 12 >= first:
            seen.add("mdy")
    return seen.pop() if len(seen) == 1 else None


# ---------------------------------------------------------------------------
# Sectors

SECTOR_SLUGS: tuple[str, ...] = (
    "government",
    "parliament",
    "un-agency",
    "donor",
    "academia",
    "international-ngo",
    "civil-society",
    "private-sector",
    "media",
    "womens-organisation",
    "community-leaders",
    "farmer-group",
    "financial-services",
    "other",
)

# One line per slug, aliases separated by "|". Matching ignores case, spaces and
# punctuation, so "UN agency", "U.N. agency" and "un-agency" need one entry.
_DEFAULT_ALIASES_BY_SLUG: dict[str, str] = {
    "government": (
        "gov | govt | government | state | ministry | public sector | government agency | "
        "local government | local authority | municipality | министерство | госорган | "
        "государственный орган | государство | правительство | хукумат | гос | gouvernement | "
        "ministère | gobierno"
    ),
    "parliament": (
        "parliament | parliamentarian | mp | legislature | парламент | депутат | маджлис | "
        "меджлис | parlement"
    ),
    "un-agency": (
        "un | united nations | un agency | un agencies | оон | агентство оон | onu | nations unies"
    ),
    "donor": (
        "donor | donors | bilateral donor | development partner | funder | донор | "
        "партнёр по развитию | bailleur | bailleur de fonds"
    ),
    "academia": (
        "university | research | academia | academic | research institute | "
        "academia and research | университет | академия | наука | научный институт | "
        "université | recherche"
    ),
    "international-ngo": (
        "ingo | international ngo | international non governmental organisation | "
        "international non governmental organization | мнпо | международная нпо | "
        "ong internationale"
    ),
    "civil-society": (
        "ngo | local ngo | national ngo | cso | civil society | civil society organisation | "
        "civil society organization | cbo | non profit | association | "
        "national or local ngo and civil society | нпо | оо | нко | ннпо | "
        "общественная организация | общественное объединение | гражданское общество | ong | "
        "ong locale | société civile"
    ),
    "private-sector": (
        "private | company | business | private sector | enterprise | corporate | "
        "частный сектор | бизнес | компания | предприятие | secteur privé | entreprise"
    ),
    "media": (
        "media | press | journalists | journalist | newspaper | radio | tv | television | сми | "
        "пресса | журналисты | médias"
    ),
    "womens-organisation": (
        "women's organisation | women's organization | women's group | women group | "
        "женская организация | женская группа | organisation de femmes"
    ),
    "community-leaders": (
        "community leaders | community leader | religious leaders | religious leader | "
        "community and religious leaders | махалля | махаллинский комитет | джамоат | "
        "лидеры сообществ | религиозные лидеры"
    ),
    "farmer-group": (
        "farmer group | farmers group | farmers | cooperative | "
        "farmer group or cooperative | wua | water users association | дехканское хозяйство | "
        "фермеры | кооператив | ассоциация водопользователей | авп"
    ),
    "financial-services": (
        "bank | microfinance | mfi | financial services | financial service provider | "
        "finance | банк | мфо | микрофинансовая организация | микрофинансы | "
        "microfinance institution | banque"
    ),
    "other": ("other | другое | прочее | autre"),
}

DEFAULT_SECTOR_ALIASES: dict[str, str] = {
    alias.strip(): slug
    for slug, aliases in _DEFAULT_ALIASES_BY_SLUG.items()
    for alias in aliases.split("|")
}

# Phrases that settle a value which is no alias as a whole, e.g. "Ministry of Water
# Resources" or "Министерство здравоохранения". Checked in order, as whole words (a
# phrase ending in "*" matches a word stem, for Russian endings): specific ones first.
DEFAULT_SECTOR_RULES: tuple[tuple[str, str], ...] = (
    ("international ngo", "international-ngo"),
    ("ingo", "international-ngo"),
    ("ministry", "government"),
    ("министерств*", "government"),
    ("ministère", "government"),
    ("government", "government"),
    ("un agency", "un-agency"),
    ("united nations", "un-agency"),
    ("university", "academia"),
    ("университет*", "academia"),
    ("institute", "academia"),
    ("институт*", "academia"),
    ("microfinance", "financial-services"),
    ("микрофинанс*", "financial-services"),
    ("ngo", "civil-society"),
    ("нпо", "civil-society"),
)


def _alias_key(value: str) -> str:
    """Letters and digits only, case-folded: "Civil-Society", "civil society" are one key."""
    text = unicodedata.normalize("NFKC", value).casefold().replace("ё", "е")
    return "".join(char for char in text if char.isalnum())


def _words(value: str) -> list[str]:
    text = unicodedata.normalize("NFKC", value).casefold().replace("ё", "е")
    return re.findall(r"\w+", text.replace("_", " "))


class Suggestion(NamedTuple):
    alias: str
    slug: str
    score: float


@dataclass
class SectorMapper:
    """Maps free-text sector spellings to taxonomy slugs through a visible alias table.

    ``aliases`` (alias → slug) and ``rules`` are plain data a secretariat can read and
    extend (``add_alias``, e.g. with a choice made in an import preview). ``map`` returns
    ``(slug, how)``, how being "slug", "alias" or "rule", or ``(None, suggestions)`` with
    the closest aliases; an unknown spelling is never mapped to "other" behind anyone's back.
    """

    aliases: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SECTOR_ALIASES))
    rules: tuple[tuple[str, str], ...] = DEFAULT_SECTOR_RULES
    slugs: tuple[str, ...] = SECTOR_SLUGS

    def __post_init__(self) -> None:
        self.aliases = dict(self.aliases)
        for alias, slug in [*self.aliases.items(), *self.rules]:
            self._check_slug(alias, slug)
        self._slug_keys = {_alias_key(slug): slug for slug in self.slugs}
        self._alias_keys = {_alias_key(alias): slug for alias, slug in self.aliases.items()}

    def _check_slug(self, alias: str, slug: str) -> None:
        if slug not in self.slugs:
            raise ValueError(f"{alias!r} maps to {slug!r}, which is not a sector slug")

    def add_alias(self, alias: str, slug: str) -> None:
        """Teach the mapper one more spelling."""
        self._check_slug(alias, slug)
        self.aliases[alias] = slug
        self._alias_keys[_alias_key(alias)] = slug

    def by_slug(self) -> dict[str, list[str]]:
        """The alias table grouped by slug, for showing it on a page."""
        grouped: dict[str, list[str]] = {slug: [] for slug in self.slugs}
        for alias, slug in self.aliases.items():
            grouped[slug].append(alias)
        return grouped

    def map(self, value: str | None) -> tuple[str, str] | tuple[None, list[Suggestion]]:
        """``(slug, how)`` for a known spelling, else ``(None, closest suggestions)``."""
        text = clean_cell(value)
        key = _alias_key(text)
        if not key:
            return None, []
        if key in self._slug_keys:
            return self._slug_keys[key], "slug"
        if key in self._alias_keys:
            return self._alias_keys[key], "alias"
        words = _words(text)
        for phrase, slug in self.rules:
            if _phrase_in(phrase, words):
                return slug, "rule"
        return None, self.suggest(text)

    def suggest(self, value: str, limit: int = 3) -> list[Suggestion]:
        """The aliases closest to ``value``, best first, at most one per sector."""
        choices = {alias: _alias_key(alias) for alias in self.aliases}
        found = process.extract(
            _alias_key(value),
            choices,
            scorer=fuzz.ratio,
            processor=None,
            limit=len(choices),
            score_cutoff=60,
        )
        suggestions: list[Suggestion] = []
        for _key, score, alias in found:
            slug = self.aliases[alias]
            if all(suggestion.slug != slug for suggestion in suggestions):
                suggestions.append(Suggestion(alias, slug, round(score, 1)))
            if len(suggestions) == limit:
                break
        return suggestions


def _phrase_in(phrase: str, words: list[str]) -> bool:
    """Whether ``phrase`` occurs in ``words`` as whole words ("stem*" matches any ending)."""
    wanted = phrase.split()
    for start in range(len(words) - len(wanted) + 1):
        window = words[start : start + len(wanted)]
        if all(
            word.startswith(want[:-1]) if want.endswith("*") else word == want
            for want, word in zip(wanted, window, strict=True)
        ):
            return True
    return False
