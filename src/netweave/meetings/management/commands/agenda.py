"""`netweave agenda suggest --meeting UID --items K [--length MIN] [--format json|table]`.

JSON is ``AgendaPlan.as_dict()`` with the meeting's uid and an ``organisations`` map
(slug → name) added: organisations appear by slug; items by the uid of the offer or action
item behind them, with ``title`` and ``source`` (``offer`` or ``follow_up``).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.meetings.models import Meeting
from netweave.meetings.services import suggest_agenda


class Command(BaseCommand):
    help = (
        "Suggest a meeting's agenda: up to K candidate items within the meeting's length that "
        "give the most member organisations at least one item of interest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        suggest = actions.add_parser("suggest", help="Suggest the agenda of one meeting.")
        suggest.add_argument(
            "--meeting", required=True, help="The meeting's uid (as in its page's address)."
        )
        suggest.add_argument("--items", type=int, default=5, help="At most K items (default 5).")
        suggest.add_argument(
            "--length", type=int, default=None, help="Minutes available (default: the meeting's)."
        )
        suggest.add_argument("--method", choices=["auto", "exact", "greedy"], default="auto")
        suggest.add_argument("--format", dest="fmt", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            meeting = Meeting.objects.select_related("network").get(uid=options["meeting"])
        except (Meeting.DoesNotExist, ValidationError):
            raise CommandError(
                f"No meeting with the uid {options['meeting']!r}; "
                "copy it from the meeting page's address."
            ) from None
        if options["items"] < 0:
            raise CommandError("--items must be 0 or more.")
        if options["length"] is not None and options["length"] < 0:
            raise CommandError("--length must be 0 or more minutes.")
        try:
            suggestion = suggest_agenda(
                meeting,
                max_items=options["items"],
                length_minutes=options["length"],
                method=options["method"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(suggestion.as_dict(), ensure_ascii=False, indent=2))
            return
        self.table(suggestion)

    def table(self, suggestion: Any) -> None:
        plan = suggestion.plan
        names = {slug: org.name for slug, org in suggestion.organisations.items()}
        self.stdout.write(f"{suggestion.meeting.title} ({suggestion.meeting.uid})")
        self.stdout.write(
            f"Coverage: {plan.covered_count} of {plan.total} members "
            f"({plan.coverage:.0%}); {plan.total_duration} of {plan.length_minutes} minutes; "
            f"method {plan.method}{'' if plan.proved_optimal else ' (not proved optimal)'}"
        )
        self.stdout.write("")
        self.stdout.write(f"{'start':>5}  {'min':>3}  {'serves':>6}  item")
        for item in plan.items:
            self.stdout.write(
                f"{item.start_minute:>5}  {item.duration:>3}  {len(item.serves):>6}  "
                f"{item.title} [{item.source}]"
            )
            if item.serves:
                self.stdout.write(
                    "                     " + ", ".join(names[s] for s in item.serves)
                )
        if plan.uncovered:
            self.stdout.write("")
            self.stdout.write("Left out:")
            for row in plan.uncovered:
                self.stdout.write(f"  {names[row.id]}: {row.reason}")
