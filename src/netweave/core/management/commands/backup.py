"""`netweave backup FILE`: the whole database and every uploaded file in one zip."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup zip: manifest.json, data.json (a consistent snapshot of every table, "
        "read in one transaction) and media/ (uploaded files). Safe while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The zip file to write, e.g. netweave-2025-01-31.zip.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(options["file"], using=options["database"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest['counts'])} tables and "
            f"{manifest['media_files']} uploaded files to {options['file']}."
        )
