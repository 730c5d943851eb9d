"""search_documents: words inside files, filters, ranking, snippets, safe queries, visibility."""

from __future__ import annotations

import datetime as dt

import pytest

from netweave.core.access import get_access
from netweave.governance.services import add_task_group_member, create_task_group
from netweave.library.search import (
    fts5_query,
    query_terms,
    search_documents,
    snippets,
    tsquery,
)
from netweave.library.tests.factories import (
    docx_upload,
    make_document,
    pdf_upload,
    text_upload,
    upload,
)

pytestmark = pytest.mark.django_db


def _titles(network, query, user=None, **filters):
    access = get_access(user, network) if user is not None else None
    if access is None:
        from netweave.core.exports import site_admin_access

        access = site_admin_access(network)
    return [d.title for d in search_documents(network, query, access=access, filters=filters)]


def test_finds_a_word_that_is_only_inside_the_pdf(personas):
    """A word that appears only in the PDF's text finds the document."""
    make_document(
        personas.network,
        title="Annual report",
        file=pdf_upload("The vodokanal introduced chlorination in Khujand."),
    )
    make_document(personas.network, title="Other", description="Nothing here")
    assert _titles(personas.network, "chlorination") == ["Annual report"]
    assert _titles(personas.network, "CHLORINATION khujand") == ["Annual report"]


def test_finds_a_word_inside_a_docx_and_its_tables(personas):
    """Paragraphs and table cells of a Word file are searchable."""
    make_document(personas.network, title="Brief", file=docx_upload("Washbasins in schools"))
    assert _titles(personas.network, "washbasins") == ["Brief"]
    assert _titles(personas.network, "tablecellword") == ["Brief"]


def test_finds_plain_text_in_another_encoding(personas):
    """A Windows-1251 text file is decoded and its Cyrillic words found."""
    make_document(
        personas.network,
        title="Заметки",
        file=upload(
            "notes.txt", "Питьевая вода и водоснабжение, тарифы и законы.".encode("cp1251")
        ),
    )
    assert _titles(personas.network, "водоснабжение") == ["Заметки"]


def test_prefix_matching_finds_plural_forms(personas):
    """Every query word matches as a prefix: "tariff" finds "tariffs"."""
    make_document(personas.network, title="Water tariffs study")
    assert _titles(personas.network, "tariff") == ["Water tariffs study"]


def test_title_matches_rank_above_text_matches(personas):
    """A word in the title counts more than the same word deep in the text."""
    make_document(personas.network, title="Notes", file=text_upload("sanitation " * 3))
    make_document(personas.network, title="Sanitation strategy")
    assert _titles(personas.network, "sanitation") == ["Sanitation strategy", "Notes"]


@pytest.mark.parametrize(
    "query",
    ['"', "AND OR (", "NEAR(", "*", "title:foo", "a' OR 1=1 --", "\\", "!!!", "-", "^x", "()"],
)
def test_query_syntax_never_breaks_the_search(personas, query):
    """Operators and quotes are not syntax: the search answers and never errors."""
    make_document(personas.network, title="Water law")
    result = _titles(personas.network, query)
    assert isinstance(result, list)


def test_query_terms_are_quoted():
    """Only words are kept, each quoted and matched as a prefix."""
    assert query_terms('water "law" AND (') == ["water", "law", "AND"]
    assert fts5_query(["water", "AND"]) == '"water"* AND "AND"*'
    assert tsquery(["water", "law"]) == "'water':* & 'law':*"
    assert query_terms("x " * 50) == ["x"] * 12


def test_filters(personas):
    """Kind, topic, language, author organisation and year narrow the results."""
    from netweave.directory.models import Topic

    topic = Topic.objects.create(name="Tariffs", slug="tariffs")
    make_document(
        personas.network,
        title="A",
        kind="report",
        language="en",
        author_organisation=personas.org_a,
        date=dt.date(2012, 5, 1),
        topics=[topic],
        url="https://example.org/a",
    )
    make_document(
        personas.network,
        title="B",
        kind="legislation",
        language="ru",
        author_organisation=personas.org_b,
        date=dt.date(2013, 5, 1),
        url="https://example.org/b",
    )
    assert _titles(personas.network, "", kind="report") == ["A"]
    assert _titles(personas.network, "", topic="tariffs") == ["A"]
    assert _titles(personas.network, "", language="ru") == ["B"]
    assert _titles(personas.network, "", organisation="awi") == ["A"]
    assert _titles(personas.network, "", year=2013) == ["B"]
    assert _titles(personas.network, "", year="not a year") == ["B", "A"]


def test_snippets_highlight_the_match_and_escape_html(personas):
    """The passage marks the words found and escapes whatever else the text holds."""
    document = make_document(
        personas.network,
        title="Notes",
        file=text_upload("Before <b>bold</b> & the chlorination plant after."),
    )
    found = snippets([document], "chlorination")
    html = str(found[document.pk])
    assert "<mark>chlorination</mark>" in html
    # SQLite shows the tag as text, PostgreSQL drops it: either way it is not markup.
    assert "<b>" not in html and "&amp;" in html


def test_task_group_documents_are_for_the_group(personas):
    """A task-group document: members' focal points, steering and facilitators see it."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    make_document(
        personas.network,
        title="Group notes",
        visibility="task_group",
        task_group=group,
        url="https://example.org/notes",
    )
    make_document(personas.network, title="Public", visibility="public")
    assert _titles(personas.network, "", personas.alice) == ["Public"]
    assert _titles(personas.network, "", personas.olga) == ["Public"]
    assert set(_titles(personas.network, "", personas.bob)) == {"Group notes", "Public"}
    assert set(_titles(personas.network, "", personas.sam)) == {"Group notes", "Public"}
    add_task_group_member(group, personas.org_a)
    assert set(_titles(personas.network, "", personas.alice)) == {"Group notes", "Public"}


def test_public_network_shows_only_public_documents_to_outsiders(personas):
    """On a public network, anonymous readers see public documents and nothing else."""
    personas.network.visibility = "public"
    personas.network.save()
    make_document(personas.network, title="Members only", visibility="network")
    make_document(personas.network, title="Open", visibility="public")
    assert _titles(personas.network, "", personas.charlie) == ["Open"]
    from django.contrib.auth.models import AnonymousUser

    assert _titles(personas.network, "", AnonymousUser()) == ["Open"]


def test_search_across_networks_respects_roles(personas):
    """Without a network, a user finds documents of the networks they may read only."""
    make_document(personas.network, title="Here", visibility="network")
    make_document(personas.other_network, title="There", visibility="network")
    mine = {d.title for d in search_documents(None, "", user=personas.alice)}
    franks = {d.title for d in search_documents(None, "", user=personas.frank)}
    assert mine == {"Here"} and franks == {"There"}
    assert {d.title for d in search_documents(None, "here", user=personas.alice)} == {"Here"}
