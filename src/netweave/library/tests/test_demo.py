"""The demo library: added once, with files whose words the search finds."""

from __future__ import annotations

import pytest

from netweave.core.exports import site_admin_access
from netweave.demo.library import load_library
from netweave.library.models import Document
from netweave.library.search import search_documents
from netweave.networks.tests.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def test_demo_documents_load_once_and_are_searchable(settings):
    """Five documents, searchable by words inside the PDF and the Word file; idempotent."""
    network = NetworkFactory(slug="water-sanitation")
    assert load_library() == 5
    assert load_library() == 0
    assert Document.objects.filter(network=network).count() == 5
    access = site_admin_access(network)
    found = [d.title for d in search_documents(network, "chlorination", access=access)]
    assert found == ["Review of drinking-water legislation in the region"]
    found = [d.title for d in search_documents(network, "washbasin", access=access)]
    assert found == ["Policy brief: hand washing in rural schools"]
