"""`netweave partnership-reminders`: remind partners' focal points of open health checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netweave.partnerships.services import send_health_reminders


class Command(BaseCommand):
    help = (
        "E-mail the focal points of partner organisations who have not answered an open "
        "health check round. Each person is reminded once per round, so it is safe to run daily."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        sent = send_health_reminders(today=today)
        self.stdout.write(_("%(count)d reminder(s) sent.") % {"count": sent})
