"""``netweave seed-scale``: synthetic networks for benchmarks (see netweave.demo.scale)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netweave.demo.scale import DEFAULT_PASSWORD, seed_scale


class Command(BaseCommand):
    help = (
        "Load synthetic networks with organisations, people, meetings and skewed attendance, "
        "written in bulk (no change history). Refuses to run into networks it filled before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, required=True, help="organisations")
        parser.add_argument("--people", type=int, help="people (default: 5 per organisation)")
        parser.add_argument("--meetings", type=int, required=True, help="meetings")
        parser.add_argument("--attendance", type=int, required=True, help="attendance records")
        parser.add_argument("--networks", type=int, default=1, help="networks (default 1)")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--prefix",
            default="scale",
            help="slug prefix: networks PREFIX-1…, users PREFIX-facilitator (default scale)",
        )
        parser.add_argument(
            "--focal-points",
            type=int,
            default=50,
            help="focal-point users for members of the first network (default 50)",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of the generated users (default {DEFAULT_PASSWORD})",
        )

    def handle(self, *args, **options) -> None:
        people = options["people"] if options["people"] is not None else 5 * options["orgs"]
        try:
            result = seed_scale(
                orgs=options["orgs"],
                people=people,
                meetings=options["meetings"],
                attendance=options["attendance"],
                networks=options["networks"],
                seed=options["seed"],
                prefix=options["prefix"],
                focal_points=options["focal_points"],
                password=options["password"],
                stdout=self.stdout if options["verbosity"] > 1 else None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        counts = ", ".join(f"{name} {count:,}" for name, count in result.counts.items())
        self.stdout.write(
            _("Seeded %(networks)s in %(seconds).1f s: %(counts)s.")
            % {
                "networks": ", ".join(result.networks),
                "seconds": result.seconds,
                "counts": counts,
            }
        )
        self.stdout.write(
            _("Facilitator: %(user)s; focal points: %(first)s…; password: %(password)s")
            % {
                "user": result.facilitator,
                "first": result.focal_points[0] if result.focal_points else "—",
                "password": result.password,
            }
        )
