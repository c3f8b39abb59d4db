"""Open the DuckDB warehouse: one writer at a time (file lock), migrations applied once and recorded, views refreshed."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

log = logging.getLogger(__name__)
MIGRATIONS = "migrations"
MARTS = "marts"


class WarehouseBusy(RuntimeError):
    """Another process holds the writer lock."""

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(
            f"the warehouse {path} is being written by another phoihop process (lock {path}.lock held; waited "
            f"{waited:.0f}s). Wait for that run to finish, or check for a stale process.")


def _sql_files(folder: str) -> list[tuple[int, str, str]]:
    out = []
    for entry in resources.files("warehouse").joinpath(folder).iterdir():
        match = re.match(r"(\d+)_(.+)\.sql$", entry.name)
        if match:
            out.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(out)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every schema migration, in order."""
    return _sql_files(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest applied migration (0 for a new file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'").fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply pending migrations (each in its own transaction) and record them; returns what was applied."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL)")
    con.execute("COMMENT ON TABLE schema_version IS 'Phiên bản lược đồ đã áp dụng | Applied schema migrations'")
    current = schema_version(con)
    applied = []
    for version, name, sql in migrations():
        if version <= current or (target is not None and version > target):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, dt.datetime.now(dt.UTC)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        log.info("applied migration %03d_%s", version, name)
        applied.append(version)
    return applied


def refresh_marts(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)create the analyst views from warehouse/marts/*.sql, in file order."""
    files = _sql_files(MARTS)
    for _, _, sql in files:
        con.execute(sql)
    return len(files)


def lock_for(path: Path) -> FileLock:
    """The writer lock shared by the CLI and every DAG task."""
    return FileLock(str(path) + ".lock")


@contextlib.contextmanager
def writer(path: Path, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one writer connection: takes the lock, migrates, refreshes views; WarehouseBusy if the lock is held."""
    timeout = float(os.environ.get("PHOIHOP_LOCK_TIMEOUT", "600")) if timeout is None else timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_for(path)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise WarehouseBusy(path, timeout) from None
    try:
        con = duckdb.connect(str(path))
        try:
            if migrate(con):
                refresh_marts(con)
            yield con
        finally:
            con.close()
    finally:
        lock.release()


@contextlib.contextmanager
def reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for analysts (DuckDB refuses every write on it)."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `phoihop run` or `make demo` first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(path, 0) from None
        raise
    try:
        yield con
    finally:
        con.close()


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD a DuckDB extension from its PyPI package (duckdb-extension-<name>); nothing is downloaded."""
    module = __import__(f"duckdb_extension_{name}")
    base = Path(module.__file__ or "").parent
    files = sorted(base.rglob(f"{name}.duckdb_extension"))
    if not files:
        raise RuntimeError(f"the package duckdb-extension-{name} holds no {name}.duckdb_extension file")
    con.execute(f"LOAD '{files[0]}'")
