"""`netweave send-reminders`: remind people of meetings that start soon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from netweave.meetings.services import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail a reminder to the people registered yes or maybe, and to invitees who have not "
        "answered, of every meeting that starts within the next N hours (default 48). Each "
        "person is reminded once per meeting, so running it again sends nothing twice. "
        "Run it from cron, for example every hour: "
        "'0 * * * * cd /srv/netweave && .venv/bin/netweave send-reminders'"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--hours", type=int, default=48, help="Look this many hours ahead (default 48)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would be reminded; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours <= 0:
            raise CommandError(_("--hours must be a positive number of hours."))
        dry_run = options["dry_run"]
        sent = send_reminders(hours=hours, dry_run=dry_run)
        for meeting, person in sent:
            line = _("%(person)s <%(email)s>: %(meeting)s") % {
                "person": person.name,
                "email": person.email,
                "meeting": meeting,
            }
            self.stdout.write(("[dry run] " if dry_run else "") + line)
        if dry_run:
            self.stdout.write(_("%(count)d reminder(s) would be sent.") % {"count": len(sent)})
        else:
            self.stdout.write(_("%(count)d reminder(s) sent.") % {"count": len(sent)})
