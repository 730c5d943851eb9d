"""`netweave import organisations|people|attendance FILE --network SLUG`: import a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.core.lib.progress import ProgressBar
from netweave.imports.models import ImportKind, ImportRecord, RowOutcome
from netweave.imports.services import apply_import, create_import, discard_import, plan_import
from netweave.networks.models import Network


def error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Import organisations, people or attendance from a CSV or XLSX file. Prints a "
        "per-row report; exits 1 and changes nothing when a row is rejected, unless "
        "--skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--network", required=True, help="Slug of the network.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the valid rows, leave out the rest."
        )
        parser.add_argument("--encoding", help="Text encoding of a CSV file, e.g. cp1251.")
        parser.add_argument("--delimiter", help="Delimiter of a CSV file: , ; or tab.")
        parser.add_argument(
            "--date-order", choices=["dmy", "mdy"], help="How ambiguous dates are written."
        )
        parser.add_argument("--sheet", help="Worksheet of an XLSX file (default: the first).")
        parser.add_argument(
            "--time-zone", help="Time zone of meetings an attendance import creates (UTC)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"There is no network “{options['network']}”.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file “{path}”.")
        import_options = {
            "encoding": options["encoding"],
            "delimiter": options["delimiter"],
            "date_order": options["date_order"],
            "sheet": options["sheet"],
            "time_zone": options["time_zone"],
        }
        bar = ProgressBar(path.name, stream=self.stderr._out)
        try:
            with path.open("rb") as handle:
                record = create_import(
                    network,
                    kind=options["kind"],
                    file_name=path.name,
                    data=handle,
                    options=import_options,
                    acting_user=None,
                )
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        try:
            if options["dry_run"]:
                self.dry_run(record, bar, options["skip_invalid"])
            else:
                self.run(record, bar, options["skip_invalid"])
        finally:
            bar.close()

    def dry_run(self, record: ImportRecord, bar: ProgressBar, skip_invalid: bool) -> None:
        try:
            with plan_import(record, progress=bar):
                pass
            bar.close()
            self.print_report(record)
            self.stdout.write("Dry run: nothing was written.")
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        finally:
            discard_import(record, acting_user=None)
        if record.rejected_count and not skip_invalid:
            raise CommandError(f"{record.rejected_count} rows would be rejected.", returncode=1)

    def run(self, record: ImportRecord, bar: ProgressBar, skip_invalid: bool) -> None:
        try:
            apply_import(record, acting_user=None, skip_invalid=skip_invalid, progress=bar)
        except ValidationError as error:
            bar.close()
            record.refresh_from_db()
            self.print_report(record)
            discard_import(record, acting_user=None)
            raise CommandError(error_text(error), returncode=1) from None
        bar.close()
        self.print_report(record)
        self.stdout.write(
            self.style.SUCCESS(f"Imported. Undo with: netweave import-undo {record.uid}")
        )

    def print_report(self, record: ImportRecord) -> None:
        if record.unknown_columns:
            self.stdout.write(
                "Columns not imported (unknown): " + ", ".join(record.unknown_columns)
            )
        for entry in record.report:
            if entry["outcome"] == RowOutcome.NEW and not entry["reason"]:
                continue
            column = f" [{entry['column']}]" if entry["column"] else ""
            target = f" {entry['target']}:" if entry["target"] else ""
            line = f"row {entry['row']}: {entry['outcome']}{column}{target} {entry['reason']}"
            style = self.style.ERROR if entry["outcome"] == RowOutcome.REJECTED else str
            self.stdout.write(style(line.rstrip()))
        if record.report_omitted:
            self.stdout.write(f"({record.report_omitted} more rows not listed)")
        self.stdout.write(
            f"created {record.created_count}, updated {record.updated_count}, "
            f"merged {record.merged_count}, unchanged {record.unchanged_count}, "
            f"rejected {record.rejected_count}"
        )
