"""A nightly run killed mid-way (SIGKILL while crawling), then run again, ends with the same warehouse as a run
that was never interrupted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from phoihop import pipeline
from scrapers.replay import serve
from warehouse.query import query

SNAPSHOT = {
    "articles": "SELECT article_id, source_id, content_hash, title, published, authors, format FROM articles",
    "themes": "SELECT article_id, theme_id FROM v_article_themes",
    "entities": "SELECT article_id, name, kind, mentions FROM entities",
    "syndication": "SELECT copy_article_id, original_article_id FROM syndication",
    "versions": "SELECT article_id, version, content_hash FROM article_versions",
}


def snapshot(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    return {name: sorted(map(tuple, query(warehouse, sql).astype(str).values.tolist()))
            for name, sql in SNAPSHOT.items()}


def fetched_articles(state_dir: Path) -> int:
    total = 0
    for db in state_dir.glob("*.sqlite"):
        try:
            with sqlite3.connect(db, timeout=1) as con:
                total += con.execute("SELECT count(*) FROM urls WHERE kind = 'article' AND warc IS NOT NULL").fetchone()[0]
        except sqlite3.Error:
            pass
    return total


def test_killed_run_then_rerun_equals_an_uninterrupted_run(demo_archive: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fast = serve([demo_archive])
    slow = serve([demo_archive], delay_s=0.05)
    try:
        reference = tmp_path / "reference"
        monkeypatch.setenv("PHOIHOP_DATA", str(reference))
        pipeline.nlp_resources.cache_clear()
        pipeline.run("night1", replay=fast.url)
        expected = snapshot(reference / "warehouse.duckdb")

        crashed = tmp_path / "crashed"
        env = {**os.environ, "PHOIHOP_DATA": str(crashed)}
        proc = subprocess.Popen([sys.executable, "-m", "phoihop.cli", "run", "--replay-url", slow.url,
                                 "--run-id", "night1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while fetched_articles(crashed / "state") < 15 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert 15 <= fetched_articles(crashed / "state") < 63
        assert not (crashed / "warehouse.duckdb").exists(), "killed while crawling, before any load"

        monkeypatch.setenv("PHOIHOP_DATA", str(crashed))
        pipeline.nlp_resources.cache_clear()
        results = pipeline.run("night2", replay=fast.url)
        assert all("error" not in r for r in results.values()), results
        assert snapshot(crashed / "warehouse.duckdb") == expected
    finally:
        fast.shutdown()
        slow.shutdown()
        pipeline.nlp_resources.cache_clear()
