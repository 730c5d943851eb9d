from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # SQLite drops a table's triggers when a migration rebuilds the table: put them back.
    from django.db import connections

    from netweave.library.search import ensure_search_index

    connection = connections[using]
    if "library_document" in connection.introspection.table_names():
        ensure_search_index(connection)


class LibraryConfig(AppConfig):
    name = "netweave.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        # Registers the app's lists with netweave.core.exports.
        from netweave.library import exports  # noqa: F401

        post_migrate.connect(_ensure_search_index, sender=self)
