"""`netweave export KIND --network SLUG --format csv|xlsx|json [-o FILE] [--as USERNAME]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.core import audit, exports
from netweave.networks.models import Network


class Command(BaseCommand):
    help = (
        "Export one list of a network (organisations, people, memberships, relationships, "
        "meetings, attendance, ...) as CSV, XLSX or JSON. Without --as the command acts as a "
        "site administrator and exports every row and column, contacts included; with "
        "--as USERNAME it exports what that user may see on the pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What to export: " + ", ".join(exports.kinds()) + ".")
        parser.add_argument("--network", required=True, help="The network's slug.")
        parser.add_argument("--format", dest="fmt", choices=sorted(exports.FORMATS), default="csv")
        parser.add_argument(
            "-o", "--output", help="Write to this file (required for xlsx); default stdout."
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="Apply this user's permissions instead of a site administrator's.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["fmt"]
        output = options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError("An XLSX file is binary: name the file to write with -o FILE.")
        try:
            network = Network.objects.get(slug=options["network"])
        except Network.DoesNotExist:
            raise CommandError(f"No network with the slug {options['network']!r}.") from None
        user, access = None, exports.site_admin_access(network)
        if options["username"]:
            user = self.user(options["username"])
            access = None
        try:
            content = exports.export_dataset(options["kind"], network, user, fmt, access=access)
        except exports.UnknownExport as error:
            raise CommandError(str(error)) from None
        except PermissionDenied:
            raise CommandError(
                f"{options['username']} may not export {options['kind']} of {network.slug}."
            ) from None
        audit.record_export(network, user=user, kind=options["kind"], fmt=fmt, source="cli")
        if output:
            try:
                Path(output).write_bytes(content)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        else:
            # The byte-order mark helps spreadsheets open a file; in a pipe it is noise.
            self.stdout.write(content.decode("utf-8").removeprefix("\ufeff"), ending="")

    def user(self, username: str) -> Any:
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
