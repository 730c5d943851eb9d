"""Back up the whole installation to one zip file, and restore it into an empty database.

A backup holds:

- ``manifest.json``: the backup format version, when and from which database vendor it was
  made, the Netweave version, the applied migrations and the number of rows of every model;
- ``data.json``: every row of every model in Django's JSON serialisation, read in one
  transaction so that it is a consistent snapshot while the server keeps running;
- ``media/...``: every uploaded file under ``MEDIA_ROOT``.

Content types and permissions are left out: ``migrate`` recreates them, and rows that point
at them (admin log, group and user permissions) are written with natural keys
(``["app_label", "model"]``), which resolve to whatever ids the restored database gives them.
Every other row keeps its primary key.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

import netweave
from netweave.core.lib.pause import pause_point

FORMAT = "netweave-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"
# Recreated by migrate; rows that refer to them use natural keys.
EXCLUDED = frozenset({"contenttypes.contenttype", "auth.permission"})
# What makes a database "hold Netweave data" for restore.
GUARDED = ("directory.organisation", "networks.network", "auth.user")
CHUNK = 2000


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to
    milliseconds, which would change every timestamp and the order of history records)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupError(Exception):
    """A backup that cannot be written or restored, with a message a user can act on."""


# Backup -------------------------------------------------------------------------------------
def backup_models() -> list[type[Model]]:
    """Every concrete model to back up, ordered so natural keys come before their users."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        model
        for model in ordered
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


@contextmanager
def snapshot(using: str = "default") -> Iterator[None]:
    """A read-only transaction that sees the database as it was when it began.

    PostgreSQL: REPEATABLE READ, READ ONLY, so every table is read at the same instant
    and no lock is held beyond what a read takes. SQLite in WAL mode: one read
    transaction is a snapshot; it begins DEFERRED rather than with the IMMEDIATE of the
    settings, which would take the write lock and hold up the server for the whole backup.
    Inside an already open transaction (tests) the outer transaction decides what is seen.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite" and outermost:
        connection.ensure_connection()
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "sqlite":
                connection.transaction_mode = mode
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _write_data(stream: IO[str], using: str) -> tuple[Counter[str], dict[str, list[str]]]:
    """Serialise every model into ``stream`` model by model; the rows of each, counted."""
    counts: Counter[str] = Counter()
    # A model whose migration is not applied yet has no table, and so no rows.
    tables = set(connections[using].introspection.table_names())
    models = [model for model in backup_models() if model._meta.db_table in tables]

    def objects() -> Iterator[Model]:
        for model in models:
            label = model._meta.label_lower
            counts[label] += 0  # an empty table is counted too
            for obj in model._base_manager.using(using).order_by("pk").iterator(CHUNK):
                counts[label] += 1
                yield obj

    with snapshot(using):
        migrations = _applied_migrations(using)
        serializers.serialize(
            "json",
            objects(),
            stream=stream,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=False,
            cls=PreciseJSONEncoder,
        )
    return counts, migrations


def _media_files(root: Path, skip: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and path.resolve() != skip:
                yield path, path.relative_to(root).as_posix()


def create_backup(path: str | os.PathLike, *, using: str = "default") -> dict[str, Any]:
    """Write a backup zip to ``path`` and return its manifest.

    The zip is written beside ``path`` under a temporary name and moved into place at the
    end, so a failed backup never leaves a half-written file under the name asked for.
    """
    target = Path(path).resolve()
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="netweave-backup-") as work:
        data_path = Path(work) / DATA
        with data_path.open("w", encoding="utf-8") as stream:
            counts, migrations = _write_data(stream, using)
        partial = target.with_name(f".{target.name}.partial")
        media_count = 0
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                archive.write(data_path, DATA)
                pause_point("backup", sum(counts.values()))
                for file, name in _media_files(media_root, skip=partial.resolve()):
                    if file.resolve() == target:
                        continue
                    archive.write(file, MEDIA + name)
                    media_count += 1
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "database": connections[using].vendor,
                    "netweave_version": netweave.__version__,
                    "counts": dict(sorted(counts.items())),
                    "media_files": media_count,
                    "migrations": migrations,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# Restore ------------------------------------------------------------------------------------
def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest of a backup, checked: a Netweave backup this version can restore."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(
            "This zip file has no manifest.json: it is not a Netweave backup."
        ) from None
    except (ValueError, zipfile.BadZipFile) as error:
        raise BackupError(f"The manifest.json of this backup is unreadable: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("The manifest.json does not describe a Netweave backup.")
    version = manifest.get("version")
    if not isinstance(version, int) or not isinstance(manifest.get("counts"), dict):
        raise BackupError("The manifest.json of this backup is incomplete.")
    if version > VERSION:
        raise BackupError(
            f"This backup was made by a newer Netweave (backup format {version}, "
            f"Netweave {manifest.get('netweave_version', '?')}); this one reads format "
            f"{VERSION} (Netweave {netweave.__version__}). Upgrade Netweave, then restore."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in (manifest.get("migrations") or {}).items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "This backup was made by a newer Netweave: its database has migrations this "
            f"installation does not know ({', '.join(unknown[:5])}). Upgrade Netweave, then "
            "restore."
        )
    if DATA not in archive.namelist():
        raise BackupError("This backup has no data.json.")
    return manifest


def _media_members(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """The uploaded files in the backup, refusing names that would land outside MEDIA_ROOT."""
    members = []
    for info in archive.infolist():
        if not info.filename.startswith(MEDIA) or info.is_dir():
            continue
        relative = PurePosixPath(info.filename[len(MEDIA) :])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise BackupError(f"The backup holds a file with an unsafe name: {info.filename}.")
        members.append((info, relative))
    return members


def holds_data(using: str = "default") -> dict[str, int]:
    """Rows of the guarded models (organisations, networks, users) already in the database."""
    tables = set(connections[using].introspection.table_names())
    found = {}
    for label in GUARDED:
        model = apps.get_model(label)
        if model._meta.db_table in tables:
            count = model._base_manager.using(using).count()
            if count:
                found[label] = count
    return found


def _check_counts(manifest: dict[str, Any], using: str) -> None:
    wrong = []
    for label, expected in manifest["counts"].items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise BackupError(f"The backup holds rows of an unknown model {label}.") from None
        actual = model._base_manager.using(using).count()
        if actual != expected:
            wrong.append(f"{label}: {actual} restored, {expected} in the backup")
    if wrong:
        raise BackupError("The restored data does not match the manifest: " + "; ".join(wrong))


def empty_database(using: str = "default") -> None:
    """Empty every table (Django's flush), also inside a transaction that already wrote.

    PostgreSQL refuses TRUNCATE while deferred foreign-key checks are pending, so they are
    run first; they are deferred again afterwards because loaddata relies on it.
    """
    connection = connections[using]
    postgres = connection.vendor == "postgresql" and connection.in_atomic_block
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", database=using, interactive=False, verbosity=0)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore_backup(
    path: str | os.PathLike, *, force: bool = False, using: str = "default"
) -> dict[str, Any]:
    """Restore the backup at ``path``; return its manifest.

    Refuses a database that holds organisations, networks or users unless ``force``, which
    erases them. Migrates, then in one transaction empties the tables (a fresh database
    holds the seeded sectors), loads data.json and checks the counts against the manifest,
    so a failure leaves the database as it was. Uploaded files are written afterwards.
    """
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except (zipfile.BadZipFile, IsADirectoryError, OSError):
        raise BackupError(f"{path} is not a zip file, so not a Netweave backup.") from None
    with archive:
        manifest = read_manifest(archive)
        media = _media_members(archive)
        existing = holds_data(using)
        if existing and not force:
            found = ", ".join(f"{count} {label}" for label, count in existing.items())
            raise BackupError(
                f"The database already holds Netweave data ({found}). Restore into an empty "
                "database, or pass --force to erase everything in it first."
            )
        call_command("migrate", database=using, interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory(prefix="netweave-restore-") as work:
            data_path = Path(work) / DATA
            with archive.open(DATA) as source, data_path.open("wb") as target:
                shutil.copyfileobj(source, target)
            with transaction.atomic(using=using):
                empty_database(using)
                try:
                    call_command("loaddata", str(data_path), database=using, verbosity=0)
                except Exception as error:
                    raise BackupError(f"The backup's data could not be loaded: {error}") from error
                _check_counts(manifest, using)
        media_root = Path(settings.MEDIA_ROOT)
        for info, relative in media:
            destination = media_root.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, destination.open("wb") as target:
                shutil.copyfileobj(source, target)
    return manifest
