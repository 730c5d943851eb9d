"""`netweave restore FILE [--force]`: bring back a backup made by `netweave backup`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup zip into an empty database: migrate, load every row in one "
        "transaction, check the row counts against the manifest, write the uploaded files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A zip file written by `netweave backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Erase the data already in the database (organisations, networks, users, "
            "everything) and replace it with the backup's.",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(
                options["file"], force=options["force"], using=options["database"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored {rows} rows and {manifest['media_files']} uploaded files from a backup "
            f"made {manifest['created']} (Netweave {manifest['netweave_version']})."
        )
