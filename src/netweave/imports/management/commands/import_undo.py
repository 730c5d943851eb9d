"""`netweave import-undo ID`: undo an applied import."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.imports.models import ImportRecord
from netweave.imports.services import undo_import


class Command(BaseCommand):
    help = "Undo an import: delete what it created and restore what it changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="The import's id, as `netweave import` printed it.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            uid = uuid.UUID(options["id"])
        except ValueError:
            raise CommandError(f"“{options['id']}” is not an import id.") from None
        record = ImportRecord.objects.filter(uid=uid).first()
        if record is None:
            raise CommandError(f"There is no import {uid}.")
        try:
            undo_import(record, acting_user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Import {uid} undone."))
