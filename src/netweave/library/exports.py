"""The library's exportable list: the documents the reader may see, with their metadata."""

from __future__ import annotations

from typing import Any

import tablib
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.directory.models import Topic
from netweave.library.search import search_documents
from netweave.networks.models import Network

DOCUMENT_COLUMNS = (
    "uid",
    "title",
    "kind",
    "language",
    "date",
    "author_organisation",
    "topics",
    "visibility",
    "task_group",
    "file_name",
    "content_type",
    "size",
    "url",
    "description",
)


def documents_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Every document of the network that ``access`` may read (never the extracted text)."""
    documents = (
        search_documents(network, "", access=access)
        .select_related("task_group")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    )
    rows = (
        (
            str(document.uid),
            document.title,
            document.kind,
            document.language,
            iso(document.date),
            document.author_organisation.name if document.author_organisation else "",
            "; ".join(topic.name for topic in document.topics.all()),
            document.visibility,
            document.task_group.name if document.task_group else "",
            document.original_name,
            document.content_type,
            document.size if document.size is not None else "",
            document.url,
            document.description,
        )
        for document in documents
    )
    return dataset(DOCUMENT_COLUMNS, rows)


register("documents", label=_("Documents"), app="library", build=documents_export)
