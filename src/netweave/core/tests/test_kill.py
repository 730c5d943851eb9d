"""A process killed with SIGKILL in the middle of a write leaves the database consistent.

Each test runs the real command in a subprocess on a SQLite file in a temporary data
directory, waits until the process reports that it is half-way through its write (see
``netweave.core.lib.pause``), kills it, and then checks the file: ``PRAGMA
integrity_check`` passes and either nothing or everything was written. Running the same
command again then succeeds.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from netweave.core.lib.pause import ENV as PAUSE_ENV

pytestmark = pytest.mark.slow

NETWEAVE = Path(sys.executable).with_name("netweave")
PEOPLE = 2500  # the importer writes 1000 rows a batch: the pause falls after the first batch
REGISTERED = 700  # check-in writes 500 rows a batch

SETUP = """
import datetime as dt
from netweave.directory.models import Organisation, Person
from netweave.directory.sectors import ensure_sectors
from netweave.directory.models import Sector
from netweave.meetings.models import Meeting, Registration
from netweave.networks.models import Membership, Network

ensure_sectors()
network = Network.objects.create(name="Kill test", slug="kill")
org = Organisation.objects.create(name="Kill Org", slug="kill-org", sector=Sector.objects.first())
Membership.objects.create(network=network, organisation=org, joined=dt.date(2020, 1, 1))
start = dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)
meeting = Meeting.objects.create(
    network=network, title="Plenary", kind="regular", start=start,
    end=start + dt.timedelta(hours=3), time_zone="UTC",
)
people = Person.objects.bulk_create(
    [Person(name=f"Registered {n}", name_key=f"registered {n}", organisation=org)
     for n in range(%(registered)d)]
)
Registration.objects.bulk_create(
    [Registration(meeting=meeting, person=p, response="yes") for p in people]
)
"""

CHECK_IN = """
import os, sys, time
from simple_history.manager import HistoryManager
from netweave.meetings.models import Meeting
from netweave.meetings.services.followup import check_in_registered

original = HistoryManager.bulk_history_create

def paused(self, *args, **kwargs):
    # The attendance rows of the first batch are written; their history is not yet.
    if os.environ.get("NETWEAVE_TEST_PAUSE_AFTER_ROWS"):
        sys.stderr.write("netweave-paused checkin\\n")
        sys.stderr.flush()
        time.sleep(600)
    return original(self, *args, **kwargs)

HistoryManager.bulk_history_create = paused
print(check_in_registered(Meeting.objects.get(title="Plenary")))
"""


def _env(data_dir: Path, *, pause: int | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", PAUSE_ENV, "NETWEAVE_TESTING")
    }
    env["NETWEAVE_DATA_DIR"] = str(data_dir)
    if pause is not None:
        env[PAUSE_ENV] = str(pause)
    return env


def _run(args: list[str], data_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 — our own console script
        [str(NETWEAVE), *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        **kwargs,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def template_dir(tmp_path_factory) -> Path:
    """A migrated data directory with a network, an organisation, a meeting and registrations."""
    data = tmp_path_factory.mktemp("kill-template")
    _run(["migrate", "--verbosity", "0"], data)
    _run(["shell", "-c", SETUP % {"registered": REGISTERED}], data)
    return data


@pytest.fixture
def data_dir(template_dir, tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(template_dir, data)
    return data


def _kill_when_paused(args: list[str], data_dir: Path, where: str, *, pause: int = 1) -> None:
    """Start the command, wait for its pause report, SIGKILL it."""
    process = subprocess.Popen(  # noqa: S603 — our own console script
        [str(NETWEAVE), *args],
        env=_env(data_dir, pause=pause),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen = b""
    deadline = time.monotonic() + 600
    try:
        while f"netweave-paused {where}".encode() not in seen:
            assert process.poll() is None, f"ended before the pause: {seen[-2000:]!r}"
            assert time.monotonic() < deadline, "never reached the pause"
            ready, _, _ = select.select([process.stderr], [], [], 1)
            if ready:
                seen += os.read(process.stderr.fileno(), 65536)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "netweave.sqlite3")


def _count(data_dir: Path, table: str, where: str = "1=1") -> int:
    with _db(data_dir) as connection:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]  # noqa: S608


def _integrity(data_dir: Path) -> str:
    with _db(data_dir) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def test_import_killed_mid_transaction_writes_nothing(data_dir, tmp_path):
    csv = tmp_path / "people.csv"
    rows = [f"Imported Person {n},Kill Org,imported{n}@example.org" for n in range(PEOPLE)]
    csv.write_text("name,organisation,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    people_before = _count(data_dir, "directory_person")
    history_before = _count(data_dir, "directory_historicalperson")

    _kill_when_paused(
        ["import", "people", str(csv), "--network", "kill"], data_dir, "import", pause=1000
    )

    assert _integrity(data_dir) == "ok"
    assert _count(data_dir, "directory_person") == people_before
    assert _count(data_dir, "directory_historicalperson") == history_before
    # The same import, run again, writes everything.
    _run(["import", "people", str(csv), "--network", "kill"], data_dir)
    assert _count(data_dir, "directory_person") == people_before + PEOPLE
    assert _count(data_dir, "directory_historicalperson") == history_before + PEOPLE
    assert _integrity(data_dir) == "ok"


def test_check_in_killed_mid_transaction_writes_nothing(data_dir):
    assert _count(data_dir, "meetings_attendance") == 0
    _kill_when_paused(["shell", "-c", CHECK_IN], data_dir, "checkin")
    assert _integrity(data_dir) == "ok"
    assert _count(data_dir, "meetings_attendance") == 0
    assert _count(data_dir, "meetings_historicalattendance") == 0
    _run(["shell", "-c", CHECK_IN], data_dir)
    assert _count(data_dir, "meetings_attendance") == REGISTERED
    assert _count(data_dir, "meetings_historicalattendance") == REGISTERED


def test_backup_killed_leaves_no_partial_file_in_place(data_dir, tmp_path):
    target = tmp_path / "backup.zip"
    target.write_bytes(b"yesterday's backup")
    _kill_when_paused(["backup", str(target)], data_dir, "backup")
    assert target.read_bytes() == b"yesterday's backup"  # the old file is untouched
    assert _integrity(data_dir) == "ok"
    _run(["backup", str(target)], data_dir)
    assert zipfile.is_zipfile(target)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
    assert not (tmp_path / ".backup.zip.partial").exists()
