"""`netweave network create|list`: create a network, or list the installation's networks."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from netweave.networks.models import MembershipStatus, Network, Visibility
from netweave.networks.services import create_network


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a date; use YYYY-MM-DD, e.g. 2009-11-01."
        ) from None


def error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create a network, or list the networks of this installation."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create an empty network.")
        create.add_argument("slug", help="Address of the network, e.g. water-sanitation.")
        create.add_argument("--name", required=True, help="The network's name.")
        create.add_argument("--country", default="", help="Two-letter ISO code, e.g. TJ.")
        create.add_argument("--aims", default="", help="What the network is for.")
        create.add_argument(
            "--launched", type=iso_date, default=None, help="Launch date, YYYY-MM-DD."
        )
        create.add_argument(
            "--public",
            action="store_true",
            help="Anyone may read the directory (default: members only).",
        )
        actions.add_parser("list", help="List the networks with their stage and members.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self.create(options)
        else:
            self.list()

    def create(self, options: dict[str, Any]) -> None:
        try:
            network = create_network(
                slug=options["slug"],
                name=options["name"],
                country=options["country"],
                aims=options["aims"],
                launched=options["launched"],
                visibility=Visibility.PUBLIC if options["public"] else Visibility.MEMBERS,
            )
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        details = ", ".join(
            part
            for part in (
                network.country,
                f"launched {network.launched.isoformat()}" if network.launched else "",
                "public" if network.is_public else "members only",
            )
            if part
        )
        self.stdout.write(
            self.style.SUCCESS(f"Created network {network.slug}: {network.name} ({details})")
        )

    def list(self) -> None:
        current = Q(memberships__left__isnull=True) & ~Q(memberships__status=MembershipStatus.LEFT)
        networks = Network.objects.annotate(members=Count("memberships", filter=current)).order_by(
            "slug"
        )
        rows = [("SLUG", "NAME", "STAGE", "MEMBERS")] + [
            (n.slug, n.name, n.stage, str(n.members)) for n in networks
        ]
        if len(rows) == 1:
            self.stdout.write("No networks yet. Create one with: netweave network create SLUG")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3].rjust(7)]).rstrip())
