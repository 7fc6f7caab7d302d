"""Backups of the archive's database, and restoring one into an empty database.

SQLite is copied with its online backup API (sqlite3's Connection.backup),
page by page, consistent and safe while the site runs and writes. PostgreSQL
is dumped with pg_dump in its custom format and restored with pg_restore. The
database is the configured one (DATABASE_URL); backups go to var/backups/ with
the time in their names. A restore writes into an empty database only (or
replaces everything when asked), brings the schema up to this release with
migrate, then rebuilds what is derived from the rows (stories.rebuilding).
"""

import os
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason to show."""


def backups_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def backup_path(*, vendor: str, now=None) -> Path:
    """Return a new backup's path: var/backups/archive-<UTC time>.<kind>."""
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return backups_folder() / f"archive-{stamp}{SUFFIXES[vendor]}"


def _vendor(alias):
    vendor = connections[alias].vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"Backups need SQLite or PostgreSQL, not {vendor}.")
    return vendor


def postgres_tool(name: str) -> str:
    """Return the newest pg_dump or pg_restore: Debian's, else the one on PATH."""
    found = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: (
            int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0
        ),
    )
    tool = found[-1] if found else shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} is not installed (apt-get install postgresql-client)."
        )
    return tool


def _postgres_env_and_args(settings_dict):
    """Return the environment and the connection options of pg_dump/pg_restore."""
    env = {**os.environ}
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    args += ["--dbname", settings_dict["NAME"], "--no-password"]
    return env, args


def _run(command, env):
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed ({finished.returncode}): "
            f"{finished.stderr.strip()}"
        )


def backup_make(*, path: Path | None = None, alias: str = "default") -> Path:
    """Write a backup of the database to path (a new timestamped one by default)."""
    vendor = _vendor(alias)
    path = Path(path) if path else backup_path(vendor=vendor)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    settings_dict = connections[alias].settings_dict
    if vendor == "sqlite":
        source = sqlite3.connect(settings_dict["NAME"])
        target = sqlite3.connect(partial)
        try:
            with target:
                # Copies a consistent snapshot while other connections write.
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        env, args = _postgres_env_and_args(settings_dict)
        _run(
            [
                postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
                *args,
            ],
            env,
        )
    partial.replace(path)
    return path


def _kind_of(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump archive.")


def database_tables(*, alias: str = "default") -> list[str]:
    """Return the tables the database holds (none when it is empty)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def backup_restore(
    *, path: Path, replace: bool = False, alias: str = "default"
) -> None:
    """Restore a backup into the database, which must be empty unless replace.

    Only the database is written here; the caller migrates and rebuilds.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    vendor = _vendor(alias)
    kind = _kind_of(path)
    if kind != vendor:
        raise BackupError(
            f"{path.name} is a {kind} backup; the configured database is {vendor}."
        )
    tables = database_tables(alias=alias)
    if tables and not replace:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables): restore into an "
            "empty database, or pass --replace to overwrite everything in it."
        )
    connection = connections[alias]
    settings_dict = connection.settings_dict
    connection.close()
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(settings_dict["NAME"])
        try:
            # The backup API writes every page of the target: whatever it
            # held is replaced, in one step other connections wait for.
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        env, args = _postgres_env_and_args(settings_dict)
        options = ["--no-owner", "--no-privileges", "--exit-on-error"]
        if replace:
            options += ["--clean", "--if-exists"]
        _run([postgres_tool("pg_restore"), *options, *args, str(path)], env)
