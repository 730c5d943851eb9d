"""``netweave serve``: migrate, optionally load the demo, and serve.

gunicorn serves when it is installed (it is a dependency), the development server otherwise
or with ``--dev``.
"""

from __future__ import annotations

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate the database, optionally load the demo networks, and serve Netweave."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="Load the demo networks first.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument(
            "--dev", action="store_true", help="Use Django's development server (auto-reload)."
        )

    def handle(self, *args, host: str, port: int, demo: bool, workers: int, dev: bool, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        if demo:
            call_command("demo", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        address = f"{host}:{port}"
        self.stdout.write(f"Netweave serves on http://{address}/ (data in {settings.DATA_DIR})")
        self.stdout.flush()
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if dev or gunicorn is None:
            call_command("runserver", address, use_reloader=dev, use_threading=True)
            return
        argv = [
            gunicorn,
            "netweave.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        # gunicorn replaces this process, so signals from a supervisor reach it directly.
        os.execv(gunicorn, argv)  # noqa: S606 — fixed program, arguments from our own options
