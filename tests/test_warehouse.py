"""The warehouse: idempotent loads, versions, atomicity, one writer, migrations, quarantine, marts and analyst SQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from phoihop import pipeline
from warehouse.db import migrate, schema_version, writer
from warehouse.quality import BatchRejected
from warehouse.query import QueryFailed, QueryRefused, query, search

SOURCES = ("dcs_tphcm", "chinhphu_tphcm", "saigon_thanhpho")
RUN = "night1"
TABLES = ("articles", "article_versions", "theme_assignments", "entities", "syndication", "quarantine",
          "fetch_log", "validation_results")


@pytest.fixture(scope="session")
def staged(tmp_path_factory: pytest.TempPathFactory, replay_url: str) -> Path:
    """Crawled, extracted, enriched and validated batches of the three demo portals (nothing loaded yet)."""
    root = tmp_path_factory.mktemp("staged") / "data"
    old = os.environ.get("PHOIHOP_DATA")
    os.environ["PHOIHOP_DATA"] = str(root)
    pipeline.nlp_resources.cache_clear()
    try:
        for sid in SOURCES:
            pipeline.crawl(sid, RUN, replay=replay_url, fast=True)
            pipeline.process(sid, RUN)
    finally:
        if old is None:
            os.environ.pop("PHOIHOP_DATA", None)
        else:
            os.environ["PHOIHOP_DATA"] = old
        pipeline.nlp_resources.cache_clear()
    return root


@pytest.fixture
def fresh(staged: Path, data_dir: Path) -> Path:
    """A copy of the staged batches in this test's own data directory."""
    shutil.copytree(staged, data_dir)
    return data_dir


def counts(path: Path) -> dict[str, int]:
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in TABLES)
    return {r.t: int(r.n) for r in query(path, sql).itertuples()}


def load_all() -> None:
    for sid in SOURCES:
        pipeline.load(sid, RUN)
    pipeline.refresh()


def warehouse_path(data: Path) -> Path:
    return data / "warehouse.duckdb"


def test_same_batch_twice_changes_nothing(fresh: Path) -> None:
    load_all()
    first = counts(warehouse_path(fresh))
    again = pipeline.load("dcs_tphcm", RUN)
    assert again["loaded"] == {"new": 0, "changed": 0, "unchanged": 22, "quarantined": 0}
    assert counts(warehouse_path(fresh)) == first
    assert first["articles"] == 63 and first["article_versions"] == 63 and first["theme_assignments"] == 63 * 16


def _rewrite(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    rows = pq.read_table(path).to_pylist()
    schema = pq.read_schema(path)
    pq.write_table(pa.Table.from_pylist(fn(rows), schema), path)


def test_changed_page_becomes_a_new_version(fresh: Path) -> None:
    load_all()
    ready = pipeline.stage_dir(RUN, "dcs_tphcm") / "ready" / "articles.parquet"
    target = pq.read_table(ready).to_pylist()[0]["article_id"]

    def edit(rows):  # type: ignore[no-untyped-def]
        for r in rows:
            if r["article_id"] == target:
                r["title"] += " (cập nhật)"
                r["content_hash"] = "changed"
        return rows

    _rewrite(ready, edit)
    before = counts(warehouse_path(fresh))
    result = pipeline.load("dcs_tphcm", RUN)
    after = counts(warehouse_path(fresh))
    assert result["loaded"]["changed"] == 1 and result["loaded"]["new"] == 0
    assert after["articles"] == before["articles"]
    assert after["article_versions"] == before["article_versions"] + 1
    versions = query(warehouse_path(fresh), "SELECT version, title FROM article_versions WHERE article_id = ? "
                     "ORDER BY version", [target])
    assert list(versions.version) == [1, 2] and versions.title[1].endswith("(cập nhật)")
    current = query(warehouse_path(fresh), "SELECT DISTINCT article_version FROM theme_assignments "
                    "WHERE article_id = ? AND is_current", [target])
    assert list(current.article_version) == [2]


def test_crash_mid_load_leaves_the_warehouse_unchanged(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.load("dcs_tphcm", RUN)
    before = counts(warehouse_path(fresh))
    import warehouse.load

    def boom(con: duckdb.DuckDBPyConnection) -> None:
        raise RuntimeError("injected crash after articles and themes were written")

    with monkeypatch.context() as patched, pytest.raises(RuntimeError, match="injected crash"):
        patched.setattr(warehouse.load, "_entities", boom)
        pipeline.load("chinhphu_tphcm", RUN)
    assert counts(warehouse_path(fresh)) == before
    pipeline.load("chinhphu_tphcm", RUN)
    assert counts(warehouse_path(fresh))["articles"] == 22 + 21


def test_second_writer_gets_a_clear_message(fresh: Path) -> None:
    pipeline.load("dcs_tphcm", RUN)
    article = query(warehouse_path(fresh), "SELECT article_id FROM articles LIMIT 1").article_id[0]
    env = {**os.environ, "PHOIHOP_DATA": str(fresh), "PHOIHOP_LOCK_TIMEOUT": "1"}
    with writer(warehouse_path(fresh)):
        proc = subprocess.run([sys.executable, "-m", "phoihop.cli", "label", article, "chuyen_doi_so", "--yes"],
                              env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "is being written by another phoihop process" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_migration_from_the_previous_schema_version(data_dir: Path) -> None:
    path = warehouse_path(data_dir)
    data_dir.mkdir(parents=True)
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.execute("INSERT INTO quarantine VALUES ('r0', 's', 'http://x.demo/a', 'extract', ['broken'], NULL, NULL, "
                "NULL, now())")
    assert schema_version(con) == 1
    con.close()
    with writer(path) as con:
        assert schema_version(con) == 2
        row = con.execute("SELECT url, resolved_at FROM quarantine").fetchall()
        assert row == [("http://x.demo/a", None)]
        applied = con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        assert applied == [(1,), (2,)]


def test_bad_rows_are_quarantined_and_good_rows_load(fresh: Path) -> None:
    enriched = pipeline.stage_dir(RUN, "saigon_thanhpho") / "enriched.parquet"
    rows = pq.read_table(enriched).to_pylist()
    empty, future = rows[0]["article_id"], rows[1]["article_id"]

    def spoil(rows):  # type: ignore[no-untyped-def]
        import datetime as dt

        rows[0]["body"], rows[0]["lead"] = "", ""
        rows[1]["published"] = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
        return rows

    _rewrite(enriched, spoil)
    summary = pipeline.validate("saigon_thanhpho", RUN)
    assert summary["valid"] == 18 and not summary["rejected"]
    pipeline.load("saigon_thanhpho", RUN)
    q = query(warehouse_path(fresh), "SELECT record->>'article_id' AS id, reasons FROM quarantine ORDER BY 1")
    reasons = {r.id: list(r.reasons) for r in q.itertuples()}
    assert set(reasons) == {empty, future}
    assert any("text_chars" in r for r in reasons[empty])
    assert reasons[future] == ["extracted.expect_column_values_to_be_between(published_epoch)"]
    assert counts(warehouse_path(fresh))["articles"] == 18


def test_mostly_failing_batch_fails_the_source(fresh: Path) -> None:
    enriched = pipeline.stage_dir(RUN, "chinhphu_tphcm") / "enriched.parquet"

    def blank(rows):  # type: ignore[no-untyped-def]
        for r in rows:
            r["body"], r["lead"] = "", ""
        return rows

    _rewrite(enriched, blank)
    summary = pipeline.validate("chinhphu_tphcm", RUN)
    assert summary["rejected"] and summary["valid"] == 0
    with pytest.raises(BatchRejected, match="layout has probably changed") as err:
        pipeline.load("chinhphu_tphcm", RUN)
    assert "chinhphu_tphcm: 21 of 21 extracted articles failed validation" in str(err.value)
    runs = query(warehouse_path(fresh), "SELECT status FROM crawl_runs WHERE source_id = 'chinhphu_tphcm'")
    assert list(runs.status) == ["rejected"]
    assert counts(warehouse_path(fresh))["articles"] == 0
    assert counts(warehouse_path(fresh))["quarantine"] == 21


def test_read_only_sql(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from phoihop.cli import main

    load_all()
    with pytest.raises(QueryRefused, match="statement 1 is DELETE"):
        query(warehouse_path(fresh), "DELETE FROM articles")
    with pytest.raises(QueryFailed):
        query(warehouse_path(fresh), "SELEC title FROM articles")
    assert main(["sql", "DROP TABLE articles"]) == 2
    assert "only reads the warehouse" in capsys.readouterr().err
    assert counts(warehouse_path(fresh))["articles"] == 63


def test_accent_insensitive_search(fresh: Path) -> None:
    load_all()
    plain = search(warehouse_path(fresh), "cai cach hanh chinh")
    accented = search(warehouse_path(fresh), "cải cách hành chính")
    assert len(plain) >= 3 and list(plain.article_id) == list(accented.article_id)
    assert "hành chính" in " ".join(plain.title).lower()


def test_readme_question_is_one_short_select(fresh: Path) -> None:
    load_all()
    answer = query(warehouse_path(fresh), """
        SELECT partner, month, items FROM coverage_monthly
        WHERE theme_id = 'cai_cach_hanh_chinh' AND year = 2021 ORDER BY partner, month""")
    direct = query(warehouse_path(fresh), """
        SELECT count(*) AS n FROM v_article_themes t JOIN v_articles a USING (article_id)
        WHERE t.theme_id = 'cai_cach_hanh_chinh' AND a.is_counted""")
    assert int(answer["items"].sum()) == int(direct.n[0]) > 0


def test_syndicated_copy_is_counted_once_for_the_original(fresh: Path) -> None:
    load_all()
    link = query(warehouse_path(fresh), """
        SELECT c.source_id AS copy_source, o.source_id AS original_source
        FROM syndication s JOIN articles c ON c.article_id = s.copy_article_id
        JOIN articles o ON o.article_id = s.original_article_id""")
    assert link.to_dict("records") == [{"copy_source": "saigon_thanhpho", "original_source": "dcs_tphcm"}]
    counted = query(warehouse_path(fresh), "SELECT count(*) AS n FROM v_articles WHERE is_counted")
    assert int(counted.n[0]) == 62


def test_analyst_verdict_changes_the_marts_at_once(fresh: Path) -> None:
    from phoihop.training import record_verdict

    load_all()
    path = warehouse_path(fresh)
    row = query(path, "SELECT article_id, theme_id FROM v_article_themes ORDER BY article_id LIMIT 1")
    aid, theme = row.article_id[0], row.theme_id[0]
    before = int(query(path, "SELECT count(*) AS n FROM v_coverage_items WHERE theme_id = ?", [theme]).n[0])
    record_verdict(aid, theme, False, "tester", "not the subject")
    after = int(query(path, "SELECT count(*) AS n FROM v_coverage_items WHERE theme_id = ?", [theme]).n[0])
    assert after == before - 1
    record_verdict(aid, "bau_cu", True, "tester")
    decided = query(path, "SELECT decided_by FROM v_article_themes WHERE article_id = ? AND theme_id = 'bau_cu'", [aid])
    assert list(decided.decided_by) == ["analyst"]


def test_every_table_and_view_is_documented(fresh: Path) -> None:
    load_all()
    missing = query(warehouse_path(fresh), """
        SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND (comment IS NULL OR comment = '')
        UNION ALL
        SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
          AND (comment IS NULL OR comment = '')""")
    assert list(missing.table_name) == []


def test_export_writes_parquet_for_other_tools(fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from phoihop.cli import main

    load_all()
    assert main(["export", str(tmp_path / "out"), "--table", "articles", "coverage_monthly"]) == 0
    articles = pq.read_table(tmp_path / "out" / "articles.parquet")
    assert articles.num_rows == 63 and "title" in articles.column_names
    assert pq.read_table(tmp_path / "out" / "coverage_monthly.parquet").num_rows > 0
