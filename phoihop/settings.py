"""Where phoihop keeps its configuration and generated data (overridable by environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """The data directory layout: every hop is a file or a table a person can open."""

    data: Path

    @property
    def warehouse(self) -> Path:
        """The DuckDB warehouse file."""
        return Path(os.environ.get("PHOIHOP_WAREHOUSE", self.data / "warehouse.duckdb"))

    @property
    def raw(self) -> Path:
        """Raw zone: raw/<source>/<run>.warc.gz."""
        return self.data / "raw"

    @property
    def staging(self) -> Path:
        """Staging zone: staging/<run>/<source>/*.parquet."""
        return self.data / "staging"

    @property
    def state(self) -> Path:
        """Crawler state (one SQLite file per source)."""
        return self.data / "state"

    @property
    def logs(self) -> Path:
        """Run logs."""
        return self.data / "logs"

    @property
    def cache(self) -> Path:
        """Token cache and other derived, disposable files."""
        return self.data / "cache"

    @property
    def reports(self) -> Path:
        """Generated reports and GX Data Docs."""
        return self.data / "reports"


def paths() -> Paths:
    """The active data directory: $PHOIHOP_DATA, else ./data under the project."""
    return Paths(Path(os.environ.get("PHOIHOP_DATA", PROJECT_ROOT / "data")).resolve())


def config_dir() -> Path:
    """The active configuration directory: $PHOIHOP_CONFIG, else config/ under the project."""
    return Path(os.environ.get("PHOIHOP_CONFIG", PROJECT_ROOT / "config")).resolve()
