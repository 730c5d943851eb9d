"""``netweave demo``: load the demo networks and print the demo accounts."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from netweave.demo.services import load_demo


class Command(BaseCommand):
    help = "Load the demo networks water-sanitation and food-security (safe to run again)."

    def handle(self, *args, **options) -> None:
        result = load_demo(stdout=self.stdout)
        self.stdout.write(
            _("Demo ready in %(seconds).1f s (created: %(created)s; already there: %(skipped)s).")
            % {
                "seconds": result.seconds,
                "created": ", ".join(result.created) or "—",
                "skipped": ", ".join(result.skipped) or "—",
            }
        )
        rows = [(_("User"), _("Password"), _("Roles"))]
        for user in result.users:
            password = user.password or _("(own password, unchanged)")
            roles = user.roles or [_("no role")]
            rows.append((user.username, password, roles[0]))
            rows.extend(("", "", role) for role in roles[1:])
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        for number, (username, password, roles) in enumerate(rows):
            self.stdout.write(f"{username:<{widths[0]}}  {password:<{widths[1]}}  {roles}")
            if number == 0:
                self.stdout.write(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 40}")
