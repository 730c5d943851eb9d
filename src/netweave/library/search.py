"""Full-text search over the library, behind one function: ``search_documents``.

Two engines, one behaviour:

- SQLite (the embedded default): an FTS5 table ``library_document_fts`` over the title,
  description and extracted text, an "external content" index of ``library_document``
  kept in step by triggers, so every write (services, admin, ``QuerySet.update``) is seen.
- PostgreSQL: a ``search_vector`` column (title weighted A, description B, text C) filled
  by a trigger and indexed with GIN. A tsvector holds at most 1 MB, so the text part is
  built from the distinct words of the text (its first 400,000 characters of them), which
  finds every word of a long report; ranking then weighs where a word occurs, not how often.

Both use Unicode word tokens without stemming (``unicode61`` / the ``simple`` configuration,
documents come in English, Russian, Tajik …) and match every word of the query as a prefix,
so "tariff" finds "tariffs". The query is never passed through as syntax: only its words
are kept, each quoted, so ``"`` or ``AND OR (`` cannot break the search.

``ensure_search_index`` creates or repairs the index; the migration and every ``migrate``
(post_migrate) call it, because SQLite drops a table's triggers when a later migration
rebuilds the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from netweave.core.access import (
    FACILITATOR,
    FOCAL_POINT,
    STEERING,
    NetworkAccess,
    get_access,
    visible_networks,
)
from netweave.library.models import Document, Visibility

MAX_TERMS = 12
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Private-use characters mark the matches in snippets; they become <mark> after escaping.
_START, _STOP = "\ue000", "\ue001"

FTS_TABLE = "library_document_fts"
_SQLITE_INDEX = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS library_document_fts USING fts5(
        title, description, text,
        content='library_document', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS library_document_fts_ai AFTER INSERT ON library_document
    BEGIN
        INSERT INTO library_document_fts(rowid, title, description, text)
        VALUES (new.id, new.title, new.description, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS library_document_fts_ad AFTER DELETE ON library_document
    BEGIN
        INSERT INTO library_document_fts(library_document_fts, rowid, title, description, text)
        VALUES ('delete', old.id, old.title, old.description, old.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS library_document_fts_au
    AFTER UPDATE OF title, description, text ON library_document
    BEGIN
        INSERT INTO library_document_fts(library_document_fts, rowid, title, description, text)
        VALUES ('delete', old.id, old.title, old.description, old.text);
        INSERT INTO library_document_fts(rowid, title, description, text)
        VALUES (new.id, new.title, new.description, new.text);
    END""",
]
_SQLITE_TRIGGERS = ("library_document_fts_ai", "library_document_fts_ad", "library_document_fts_au")

_POSTGRES_INDEX = [
    "ALTER TABLE library_document ADD COLUMN IF NOT EXISTS search_vector tsvector",
    r"""CREATE OR REPLACE FUNCTION library_document_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'B')
            || setweight(to_tsvector('simple', left(coalesce((
                SELECT string_agg(DISTINCT word, ' ')
                FROM regexp_split_to_table(lower(coalesce(NEW.text, '')), '\s+') AS word
                WHERE word <> ''
            ), ''), 400000)), 'C');
        RETURN NEW;
    END
    $$""",
    "DROP TRIGGER IF EXISTS library_document_search_vector ON library_document",
    """CREATE TRIGGER library_document_search_vector
    BEFORE INSERT OR UPDATE OF title, description, text ON library_document
    FOR EACH ROW EXECUTE FUNCTION library_document_search_vector()""",
    """CREATE INDEX IF NOT EXISTS library_document_search_idx
    ON library_document USING gin (search_vector)""",
    "UPDATE library_document SET title = title WHERE search_vector IS NULL",
]


def ensure_search_index(connection: Any = default_connection) -> None:
    """Create the full-text index and its triggers when missing, and fill it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
                "AND name IN (%s, %s, %s, %s)",
                [FTS_TABLE, *_SQLITE_TRIGGERS],
            )
            present = {row[0] for row in cursor.fetchall()}
            if len(present) == 4:
                return
            for statement in _SQLITE_INDEX:
                cursor.execute(statement)
            # Rows written while a trigger was missing are not in the index: rebuild it.
            cursor.execute(
                "INSERT INTO library_document_fts(library_document_fts) VALUES ('rebuild')"
            )
        elif connection.vendor == "postgresql":
            for statement in _POSTGRES_INDEX:
                cursor.execute(statement)


def drop_search_index(connection: Any = default_connection) -> None:
    """Undo ``ensure_search_index`` (for migrating backwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "DROP TRIGGER IF EXISTS library_document_search_vector ON library_document"
            )
            cursor.execute("DROP FUNCTION IF EXISTS library_document_search_vector()")
            cursor.execute("DROP INDEX IF EXISTS library_document_search_idx")
            cursor.execute("ALTER TABLE library_document DROP COLUMN IF EXISTS search_vector")


# The query -------------------------------------------------------------------------------
def query_terms(query: str | None) -> list[str]:
    """The words of a user's query, at most ``MAX_TERMS``; punctuation and syntax dropped."""
    terms = [word[:MAX_TERM_LENGTH] for word in _WORD.findall(query or "")]
    return terms[:MAX_TERMS]


def fts5_query(terms: Iterable[str]) -> str:
    """Every term quoted (a quote doubled) and matched as a prefix, all required."""
    return " AND ".join('"{}"*'.format(term.replace('"', '""')) for term in terms)


def tsquery(terms: Iterable[str]) -> str:
    """A ``to_tsquery('simple', …)`` text: every term quoted and matched as a prefix."""
    return " & ".join("'{}':*".format(term.replace("'", "''").replace("\\", "")) for term in terms)


class _FullText(Expression):
    """Rank (higher is better) or match of the document against a query, per engine.

    Built on the document's ``id`` column so that it keeps working when Django re-aliases
    the table (as in a subquery).
    """

    def __init__(self, terms: list[str], *, match: bool) -> None:
        super().__init__(output_field=BooleanField() if match else FloatField())
        self.terms = terms
        self.match = match
        self.id = F("id")

    def get_source_expressions(self) -> list[Any]:
        return [self.id]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.id,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        id_sql, id_params = compiler.compile(self.id)
        if connection.vendor == "sqlite":
            query = fts5_query(self.terms)
            if self.match:
                # Only our table name and Django's compiled column go into the text.
                sql = f"{id_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608, E501
                return sql, [*id_params, query]
            sql = (  # our table name and Django's compiled column only
                f"(SELECT -bm25({FTS_TABLE}, 8.0, 3.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND rowid = {id_sql})"
            )
            return sql, [query, *id_params]
        if connection.vendor == "postgresql":
            table = id_sql.rsplit(".", 1)[0]
            vector = f"{table}.search_vector"
            if self.match:
                return f"{vector} @@ to_tsquery('simple', %s)", [tsquery(self.terms)]
            return f"ts_rank({vector}, to_tsquery('simple', %s))", [tsquery(self.terms)]
        raise NotImplementedError(f"No full-text search on {connection.vendor}")


# Who sees what ---------------------------------------------------------------------------
def visibility_filter(access: NetworkAccess) -> Q:
    """The documents of ``access.network`` that ``access`` may read, as a filter.

    Public documents: whoever may read the network. Network documents: anyone with a role
    in it. Task-group documents: facilitators, the steering committee, and the focal points
    of the task group's member or lead organisations.
    """
    if not access.can_view:
        return Q(pk__in=[])
    if access.is_facilitator or access.is_steering:
        return Q()
    if not access.has_role:
        return Q(visibility=Visibility.PUBLIC)
    condition = Q(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK])
    if access.focal_org_ids:
        condition |= Q(
            visibility=Visibility.TASK_GROUP, task_group_id__in=_groups_of(access.focal_org_ids)
        )
    return condition


def _groups_of(org_ids: Iterable[int]) -> QuerySet:
    from netweave.governance.models import TaskGroup

    org_ids = list(org_ids)
    return TaskGroup.objects.filter(
        Q(lead_id__in=org_ids) | Q(members__organisation_id__in=org_ids)
    ).values("id")


def can_read(access: NetworkAccess, document: Document) -> bool:
    """One document, the same rule as ``visibility_filter`` (for a page already loaded)."""
    if document.network_id != access.network.pk or not access.can_view:
        return False
    if document.visibility == Visibility.PUBLIC:
        return True
    if not access.has_role:
        return False
    if document.visibility == Visibility.NETWORK or access.is_facilitator or access.is_steering:
        return True
    return (
        bool(access.focal_org_ids)
        and _groups_of(access.focal_org_ids).filter(id=document.task_group_id).exists()
    )


def visible_documents(user: Any) -> QuerySet:
    """Documents the user may read in every network, as one query (for the API)."""
    from netweave.governance.models import TaskGroup
    from netweave.networks.models import Role

    documents = Document.objects.filter(network__in=visible_networks(user))
    if user is not None and user.is_authenticated and user.is_staff:
        return documents
    if user is None or not user.is_authenticated:
        return documents.filter(visibility=Visibility.PUBLIC)
    roles = Role.objects.filter(user=user)
    member_groups = TaskGroup.objects.filter(
        Q(lead_id__in=roles.filter(kind=FOCAL_POINT).values("organisation_id"))
        | Q(members__organisation_id__in=roles.filter(kind=FOCAL_POINT).values("organisation_id"))
    ).values("id")
    return documents.filter(
        Q(visibility=Visibility.PUBLIC)
        | Q(
            Exists(roles.filter(network_id=OuterRef("network_id"))),
            visibility=Visibility.NETWORK,
        )
        | Q(
            Exists(
                roles.filter(network_id=OuterRef("network_id"), kind__in=[FACILITATOR, STEERING])
            ),
        )
        | Q(visibility=Visibility.TASK_GROUP, task_group_id__in=member_groups)
    )


# The one search function -----------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    kind: str = ""
    topic: str = ""  # a topic slug
    language: str = ""
    organisation: str = ""  # an organisation slug
    year: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Filters:
        data = data or {}
        year = data.get("year")
        try:
            year = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            year = None
        return cls(
            kind=str(data.get("kind") or ""),
            topic=str(data.get("topic") or ""),
            language=str(data.get("language") or ""),
            organisation=str(data.get("organisation") or ""),
            year=year,
        )


def search_documents(
    network: Any,
    query: str | None = "",
    *,
    access: NetworkAccess | None = None,
    user: Any = None,
    filters: Filters | Mapping[str, Any] | None = None,
) -> QuerySet:
    """The documents matching ``query`` and ``filters`` that the reader may see, best first.

    ``network`` None searches every network ``user`` may read (the API); otherwise the
    reader is ``access`` (or ``user``'s access to ``network``). With a query, documents
    carry ``rank`` (higher is better) and come best first; without one, newest first.
    The large ``text`` column is deferred; author organisation and network are joined.
    """
    if not isinstance(filters, Filters):
        filters = Filters.from_mapping(filters)
    if network is None:
        documents = visible_documents(user)
    else:
        access = access or get_access(user, network)
        documents = Document.objects.filter(network=network).filter(visibility_filter(access))
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.topic:
        documents = documents.filter(topics__slug=filters.topic)
    if filters.language:
        documents = documents.filter(language__iexact=filters.language)
    if filters.organisation:
        documents = documents.filter(author_organisation__slug=filters.organisation)
    if filters.year:
        documents = documents.filter(date__year=filters.year)
    documents = documents.select_related("author_organisation", "network").defer("text")
    terms = query_terms(query)
    if not terms:
        return documents.annotate(rank=Value(None, output_field=FloatField())).order_by(
            F("date").desc(nulls_last=True), "title", "id"
        )
    return (
        documents.filter(_FullText(terms, match=True))
        .annotate(rank=_FullText(terms, match=False))
        .order_by(F("rank").desc(nulls_last=True), F("date").desc(nulls_last=True), "id")
    )


def snippets(documents: Iterable[Document], query: str | None) -> dict[int, SafeString]:
    """Highlighted passages where ``query`` matches, by document id (one query).

    For the page of results only: building a headline reads the whole text.
    """
    terms = query_terms(query)
    ids = [document.pk for document in documents]
    if not terms or not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    with default_connection.cursor() as cursor:
        if default_connection.vendor == "sqlite":
            cursor.execute(  # placeholders only: the values are parameters
                f"SELECT rowid, snippet({FTS_TABLE}, -1, %s, %s, '…', 24) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                [_START, _STOP, fts5_query(terms), *ids],
            )
        else:
            cursor.execute(  # placeholders only: the values are parameters
                "SELECT id, ts_headline('simple', "  # noqa: S608
                "coalesce(description, '') || E'\\n' || left(coalesce(text, ''), 200000), "
                "to_tsquery('simple', %s), %s) FROM library_document "
                f"WHERE id IN ({placeholders})",
                [
                    tsquery(terms),
                    f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, "
                    'MaxFragments=2, FragmentDelimiter=" … "',
                    *ids,
                ],
            )
        rows = cursor.fetchall()
    return {pk: _highlight(text) for pk, text in rows if text and _START in text}


def _highlight(text: str) -> SafeString:
    cleaned = " ".join(text.split())
    html = escape(cleaned).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 — escaped above; only our <mark> tags added
