"""Analyst access: read-only SQL, accent-insensitive full-text search, Parquet export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from warehouse.db import load_extension, reader

READ_ONLY = {"SELECT", "EXPLAIN", "PRAGMA"}


class QueryRefused(ValueError):
    """A statement that is not a read was sent to the read-only query path."""


class QueryFailed(ValueError):
    """DuckDB could not run the query (syntax error, unknown table...); the message says where."""


def check_read_only(sql: str) -> None:
    """Refuse anything but SELECT-like statements, naming the offending statement."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(f"cannot parse the query: {exc}") from None
    if not statements:
        raise QueryFailed("empty query")
    for n, statement in enumerate(statements, start=1):
        kind = statement.type.name
        if kind not in READ_ONLY:
            raise QueryRefused(f"statement {n} is {kind}: `phoihop sql` only reads the warehouse "
                               f"(use `phoihop label` for corrections; loads go through `phoihop run`)")


def query(path: Path, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
    """Run a read-only query over the warehouse and return the result."""
    check_read_only(sql)
    with reader(path) as con:
        try:
            return con.execute(sql, list(params or [])).df()
        except duckdb.Error as exc:
            raise QueryFailed(str(exc).strip()) from None


def search(path: Path, text: str, limit: int = 20) -> pd.DataFrame:
    """BM25 full-text search over titles and bodies, with or without diacritics."""
    from nlp.text import fold_accents

    with reader(path) as con:
        load_extension(con, "fts")
        return con.execute("""
            SELECT a.article_id, s.outlet AS partner, a.published, a.title, a.canonical_url, round(f.score, 3) AS score
            FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?) AS score FROM articles) f
            JOIN articles a USING (article_id) JOIN sources s USING (source_id)
            WHERE f.score IS NOT NULL ORDER BY f.score DESC LIMIT ?
        """, [fold_accents(text), limit]).df()


def export(path: Path, target: Path, tables: list[str] | None = None) -> list[Path]:
    """Write tables and analyst views to Parquet files for other tools."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with reader(path) as con:
        names = tables or [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        for name in names:
            out = target / f"{name}.parquet"
            con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{out}' (FORMAT parquet)")
            written.append(out)
    return written
