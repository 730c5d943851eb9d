import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from netweave.core import backup
from netweave.directory.models import Organisation, Person
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.meetings.models import Attendance, Meeting
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.models import Membership, Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(personas):
    """Personas, two meetings with attendance, an edit in the history and an uploaded file."""
    p = personas
    for title in ("Kick-off", "Review"):
        meeting = MeetingFactory(network=p.network, title=title, host=p.org_a)
        AttendanceFactory(meeting=meeting, person=p.person_a)
        AttendanceFactory(meeting=meeting, person=p.person_b)
    p.org_a.region = "Khatlon"
    p.org_a.save()  # a second history record
    upload = settings.MEDIA_ROOT / "imports" / "2025" / "members.csv"
    upload.parent.mkdir(parents=True)
    upload.write_bytes("name\nВодоканал\n".encode())
    return p


def run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def database_counts(labels):
    from django.apps import apps

    return {label: apps.get_model(label)._base_manager.count() for label in labels}


def test_backup_writes_manifest_data_and_media(populated, tmp_path):
    """The zip holds a manifest with counts that match data.json, the data and the uploads."""
    path = tmp_path / "backup.zip"
    assert "uploaded files" in run("backup", str(path))
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        data = json.loads(archive.read("data.json"))
        media = archive.read("media/imports/2025/members.csv")
    assert manifest["format"] == "netweave-backup" and manifest["version"] == backup.VERSION
    assert manifest["database"] == connection.vendor
    assert manifest["netweave_version"]
    assert manifest["media_files"] == 1
    assert "0001_initial" in manifest["migrations"]["directory"]
    assert manifest["counts"] == dict(Counter(item["model"] for item in data)) | {
        label: 0 for label, n in manifest["counts"].items() if n == 0
    }
    assert manifest["counts"]["meetings.attendance"] == 4
    assert manifest["counts"]["directory.historicalorganisation"] == 3
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert media.decode() == "name\nВодоканал\n"


def test_restore_into_an_empty_database(populated, tmp_path):
    """After a flush, restore brings back every row, field values, history and files."""
    path = tmp_path / "backup.zip"
    run("backup", str(path))
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    org_a_modified = Organisation.objects.get(slug="awi").modified
    backup.empty_database()
    upload = settings.MEDIA_ROOT / "imports" / "2025" / "members.csv"
    upload.unlink()
    assert not Network.objects.exists()

    assert "Restored" in run("restore", str(path))

    assert database_counts(manifest["counts"]) == manifest["counts"]
    org_a = Organisation.objects.get(slug="awi")
    assert (org_a.name, org_a.region, org_a.sector.slug) == (
        "Alpha Water Institute",
        "Khatlon",
        "academia",
    )
    assert org_a.modified == org_a_modified
    assert Person.objects.get(name="Anna Alpha").organisation == org_a
    assert set(Attendance.objects.values_list("meeting__title", "person__name")) == {
        ("Kick-off", "Anna Alpha"),
        ("Kick-off", "Boris Beta"),
        ("Review", "Anna Alpha"),
        ("Review", "Boris Beta"),
    }
    assert [h.region for h in org_a.history.order_by("history_date")] == ["", "Khatlon"]
    fiona = get_user_model().objects.get(username="fiona")
    assert fiona.check_password("correct horse battery staple")
    assert fiona.network_roles.get().kind == "facilitator"
    assert upload.read_text(encoding="utf-8") == "name\nВодоканал\n"
    # New rows get fresh ids after the restored ones (sequences were reset).
    new = OrganisationFactory(sector=sector("media"))
    assert new.pk > Organisation.objects.exclude(pk=new.pk).latest("pk").pk


def test_restore_refuses_a_database_with_data(populated, tmp_path):
    """Restore refuses a database that holds Netweave data; --force replaces it."""
    path = tmp_path / "backup.zip"
    run("backup", str(path))
    extra = OrganisationFactory(name="Added after the backup", sector=sector("media"))
    with pytest.raises(CommandError, match="already holds Netweave data.*--force"):
        run("restore", str(path))
    assert Organisation.objects.filter(pk=extra.pk).exists()
    run("restore", str(path), "--force")
    assert not Organisation.objects.filter(name="Added after the backup").exists()
    assert Meeting.objects.count() == 2


def rewrite(path, target, *, manifest=None, data=None, extra=None):
    """A copy of the backup at ``path`` with some members replaced or added."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "manifest.json" and manifest is not None:
                content = json.dumps(manifest(json.loads(content))).encode()
            if info.filename == "data.json" and data is not None:
                content = json.dumps(data(json.loads(content))).encode()
            if content is not None:
                out.writestr(info, content)
        for name, content in (extra or {}).items():
            out.writestr(name, content)
    return target


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("directory.historicalorganisation", "historicalorganisation: 2 restored, 3 in the backup"),
        ("directory.person", "could not be loaded.*(invalid foreign key|foreign key constraint)"),
    ],
)
def test_failed_restore_leaves_the_database_as_it_was(populated, tmp_path, model, message):
    """A backup missing a row (counts differ, or a reference breaks) restores nothing."""
    path = run_backup(tmp_path)

    def drop_a_row(data):
        return [item for item in data if item != first(data, model)]

    bad = rewrite(path, tmp_path / "bad.zip", data=drop_a_row)
    extra = OrganisationFactory(name="Still here", sector=sector("media"))
    with pytest.raises(CommandError, match=message):
        run("restore", str(bad), "--force")
    assert Organisation.objects.filter(pk=extra.pk).exists()
    assert Attendance.objects.count() == 4


def first(data, model):
    return next(item for item in data if item["model"] == model)


def run_backup(tmp_path):
    path = tmp_path / "backup.zip"
    run("backup", str(path))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, t: t.write_text("not a zip") and t, "is not a zip file"),
        (lambda p, t: zipfile.ZipFile(t, "w").close() or t, "no manifest.json"),
        (
            lambda p, t: rewrite(p, t, manifest=lambda m: m | {"version": 99}),
            "made by a newer Netweave",
        ),
        (
            lambda p, t: rewrite(
                p, t, manifest=lambda m: m | {"migrations": {"directory": ["9999_future"]}}
            ),
            r"newer Netweave.*directory\.9999_future",
        ),
        (
            lambda p, t: rewrite(p, t, manifest=lambda m: m | {"format": "other"}),
            "does not describe a Netweave backup",
        ),
        (
            lambda p, t: rewrite(p, t, extra={"media/../../evil.txt": b"x"}),
            "unsafe name",
        ),
    ],
)
def test_bad_files_are_refused(populated, tmp_path, make, message):
    """A file that is not a restorable backup gives a clear error and changes nothing."""
    bad = make(run_backup(tmp_path), tmp_path / "bad.zip")
    backup.empty_database()
    with pytest.raises(CommandError, match=message):
        run("restore", str(bad))
    assert not Organisation.objects.exists()
    assert not (tmp_path / "evil.txt").exists()


def test_missing_file_and_folder(db, tmp_path):
    """Restoring a missing file or backing up into a missing folder is a CommandError."""
    with pytest.raises(CommandError, match="There is no file"):
        run("restore", str(tmp_path / "nothing.zip"))
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", str(tmp_path / "missing" / "backup.zip"))


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite locks whole tables; the subprocess test covers SQLite in WAL mode",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_while_another_connection_writes(personas, tmp_path):
    """A backup taken while rows are being written is a consistent snapshot that restores.

    The writer adds an organisation and its membership in one transaction each time;
    a backup that read the two tables at different moments would hold one without the
    other.
    """
    stop = threading.Event()
    written = []

    def writer():
        try:
            n = 0
            while not stop.is_set():
                with transaction.atomic():
                    org = Organisation.objects.create(
                        name=f"Writer {n}", slug=f"writer-{n}", sector=sector("media")
                    )
                    Membership.objects.create(
                        network=personas.network, organisation=org, joined=dt.date(2020, 1, 1)
                    )
                written.append(n)
                n += 1
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            time.sleep(0.01)
        path = run_backup(tmp_path)
        while len(written) < 10:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()

    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        manifest = json.loads(archive.read("manifest.json"))
    orgs = {item["pk"] for item in data if item["model"] == "directory.organisation"}
    members = {
        item["fields"]["organisation"] for item in data if item["model"] == "networks.membership"
    }
    assert orgs == members
    assert manifest["counts"]["directory.organisation"] == len(orgs)
    assert len(orgs) - 2 < len(written)  # the writer went on after the snapshot

    backup.empty_database()
    run("restore", str(path))
    assert Organisation.objects.count() == len(orgs)
    assert Membership.objects.count() == len(members)


WAL_SCRIPT = """
import datetime as dt, json, sys, threading, time, zipfile
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
from netweave.core import backup
from netweave.directory.models import Organisation, Sector
from netweave.networks.models import Membership, Network

network = Network.objects.create(name="N", slug="n")
sector = Sector.objects.first()
stop, written = threading.Event(), []

def writer():
    n = 0
    while not stop.is_set():
        with transaction.atomic():
            org = Organisation.objects.create(name=f"W{n}", slug=f"w{n}", sector=sector)
            Membership.objects.create(network=network, organisation=org, joined=dt.date(2020, 1, 1))
        written.append(n)
        n += 1
    connection.close()

applied = backup._applied_migrations
blocked = []

def applied_then_wait(using):
    # The snapshot has begun; the writer must still be able to commit meanwhile.
    result, goal, deadline = applied(using), len(written) + 5, time.monotonic() + 10
    while len(written) < goal and time.monotonic() < deadline:
        time.sleep(0.005)
    blocked.append(len(written) < goal)
    return result

backup._applied_migrations = applied_then_wait
thread = threading.Thread(target=writer)
thread.start()
while len(written) < 5:
    time.sleep(0.005)
manifest = backup.create_backup(sys.argv[1])
stop.set()
thread.join()
data = json.loads(zipfile.ZipFile(sys.argv[1]).read("data.json"))
orgs = {i["pk"] for i in data if i["model"] == "directory.organisation"}
members = {i["fields"]["organisation"] for i in data if i["model"] == "networks.membership"}
print(json.dumps({
    "consistent": orgs == members and manifest["counts"]["networks.membership"] == len(members),
    "snapshot": len(orgs), "written": len(written), "blocked": blocked[0],
    "journal": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
}))
"""


@pytest.mark.slow
def test_backup_on_sqlite_wal_lets_writers_go_on(tmp_path):
    """On a SQLite file in WAL mode the backup is a snapshot and holds no write lock.

    Runs in a subprocess on a real database file (the tests' in-memory database has no
    WAL): a writer thread keeps committing while the backup's transaction is open.
    """
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "NETWEAVE_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "netweave.settings",
    }
    (tmp_path / "data").mkdir()
    result = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", WAL_SCRIPT, str(tmp_path / "backup.zip")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["journal"] == "wal"
    assert report["consistent"]
    assert not report["blocked"]
    assert report["snapshot"] < report["written"]


def test_restore_drill_gives_back_the_row_count_of_every_model(populated, tmp_path):
    """The drill: counts taken from the live database before the backup, for every model
    the backup covers, match the restored database (not merely the backup's own manifest)."""
    from netweave.core.models import ExportLog
    from netweave.directory import privacy

    ExportLog.objects.create(network=populated.network, kind="people", format="csv")
    privacy.erase_person(populated.person_b, acting_user=populated.fiona, reason="Request")
    models = backup.backup_models()
    labels = [model._meta.label_lower for model in models]
    assert "core.exportlog" in labels and "directory.historicalperson" in labels
    before = {model._meta.label_lower: model._base_manager.count() for model in models}
    assert sum(before.values()) > 50
    path = tmp_path / "drill.zip"
    run("backup", str(path))
    backup.empty_database()
    assert not Network.objects.exists() and not Person.objects.exists()
    run("restore", str(path))
    after = {model._meta.label_lower: model._base_manager.count() for model in models}
    assert after == before
