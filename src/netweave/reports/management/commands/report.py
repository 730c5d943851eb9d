"""`netweave report --network SLUG --year YYYY --format html|pdf|xlsx [-o FILE]`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from netweave.core import audit
from netweave.networks.models import Network
from netweave.reports import render, services
from netweave.reports.registry import section_types

SUFFIXES = {f".{fmt}": fmt for fmt in render.FORMATS} | {".htm": "html"}


class Command(BaseCommand):
    help = (
        "Write a network's annual report as a standalone HTML page, a PDF or an XLSX "
        "workbook. Without -o, HTML goes to standard output and PDF or XLSX to "
        "SLUG-report-YEAR.FORMAT in the current directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, help="The network's slug.")
        parser.add_argument("--year", required=True, help="The calendar year reported, YYYY.")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=render.FORMATS,
            help="html, pdf or xlsx (default: from the -o file's extension, else html).",
        )
        parser.add_argument("-o", "--output", help="The file to write.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"The report's language (default {settings.LANGUAGE_CODE}).",
        )
        parser.add_argument(
            "--sections",
            default="",
            help="Only these sections, comma separated (default: the network's template).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        fmt = options["fmt"] or SUFFIXES.get(Path(output).suffix.lower() if output else "", "html")
        try:
            network = Network.objects.get(slug=options["network"])
        except Network.DoesNotExist:
            raise CommandError(f"No network with the slug {options['network']!r}.") from None
        only = self.sections(options["sections"])
        with translation.override(options["language"]):
            try:
                year = services.check_year(network, options["year"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            if output is None and fmt != "html":
                output = render.file_name(network.slug, year, fmt)
            target = self.target(output) if output else None
            report = services.build_report(network, year, only=only)
            content = render.render(report, fmt)
        if target is None:
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            self.write(target, content)
        audit.record_export(
            network,
            user=None,
            kind="report",
            fmt=fmt,
            filters={"year": year, **({"sections": ",".join(only)} if only else {})},
            source="cli",
        )
        if target is not None:
            self.stderr.write(f"Wrote {target} ({len(content):,} bytes).")

    def sections(self, value: str) -> list[str] | None:
        if not value.strip():
            return None
        keys = [key.strip() for key in value.split(",") if key.strip()]
        known = [t.key for t in section_types()]
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise CommandError(
                f"Unknown section {', '.join(unknown)}. Choose from: {', '.join(known)}."
            )
        return keys

    def target(self, output: str) -> Path:
        """The path to write, checked before the report is computed."""
        path = Path(output).expanduser()
        if path.is_dir():
            raise CommandError(f"Cannot write {output}: it is a directory.")
        folder = path.parent if str(path.parent) else Path()
        if not folder.is_dir():
            raise CommandError(f"Cannot write {output}: the directory {folder} does not exist.")
        if not os.access(folder, os.W_OK):
            raise CommandError(f"Cannot write {output}: the directory {folder} is not writable.")
        return path

    def write(self, path: Path, content: bytes) -> None:
        """Write through a temporary file in the same directory, so no half file is left."""
        try:
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".part"
            )
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            mask = os.umask(0)  # a command runs in one thread: read the umask and put it back
            os.umask(mask)
            os.chmod(temporary, 0o666 & ~mask)
            os.replace(temporary, path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
