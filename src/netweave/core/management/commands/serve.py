"""``netweave serve``: migrate, optionally load the demo, and serve.

gunicorn serves (the development server with ``--dev``), and one background-task worker
(``db_worker``) runs beside it; stopping the command stops both.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
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
        parser.add_argument(
            "--no-tasks", action="store_true", help="Do not start a background-task worker."
        )

    def handle(self, *args, host: str, port: int, demo: bool, workers: int, dev: bool, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        if demo:
            call_command("demo", stdout=self.stdout)
        if not dev:
            call_command("collectstatic", interactive=False, verbosity=0)
        address = f"{host}:{port}"
        self.stdout.write(f"Netweave serves on http://{address}/ (data in {settings.DATA_DIR})")
        self.stdout.flush()

        bindir = os.path.dirname(sys.executable)
        netweave = shutil.which("netweave", path=bindir) or shutil.which("netweave")
        gunicorn = shutil.which("gunicorn", path=bindir) or shutil.which("gunicorn")
        children: list[subprocess.Popen] = []
        if not options["no_tasks"] and netweave:
            children.append(subprocess.Popen([netweave, "db_worker"]))  # noqa: S603
        if dev or gunicorn is None:
            server = [netweave or "netweave", "runserver", address]
        else:
            server = [
                gunicorn, "netweave.wsgi:application",
                "--bind", address,
                "--workers", str(workers),
                "--access-logfile", "-",
                "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ]  # fmt: skip
        web = subprocess.Popen(server)  # noqa: S603 — fixed programs, our own arguments
        children.append(web)

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            code = web.wait()
        finally:
            stop(None, None)
            for child in children:
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
        if code not in (0, -signal.SIGTERM, -signal.SIGINT):
            sys.exit(code)
