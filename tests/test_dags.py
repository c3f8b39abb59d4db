"""The DAGs: import without errors or network, no cycles, expected pools, retries and timeouts;
phoihop_nightly run by Airflow's dag.test() on the replay into a temporary warehouse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from phoihop.demo import airflow_env
from phoihop.settings import PROJECT_ROOT
from warehouse.query import query

DAGS = PROJECT_ROOT / "dags"
HELPERS = Path(__file__).parent / "helpers"


@pytest.fixture
def airflow(data_dir: Path) -> dict[str, str]:
    """Environment of a throw-away Airflow (SQLite metadata DB in the test's data dir), migrated."""
    env = {**os.environ, **airflow_env()}
    airflow_bin = str(Path(sys.executable).parent / "airflow")
    subprocess.run([airflow_bin, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    return env


def test_dags_import_cleanly_without_network(airflow: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, str(HELPERS / "dag_facts.py"), str(DAGS)], env=airflow,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["errors"] == {}
    assert set(facts["dags"]) == {"phoihop_nightly", "phoihop_backfill", "phoihop_reclassify", "phoihop_quarterly_report"}
    for dag_id, dag in facts["dags"].items():
        assert all(t["timeout"] for t in dag["tasks"].values()), f"every task of {dag_id} has a timeout"
        assert not any(t["pool"] == "phoihop_warehouse" and t["retries"] > 1 for t in dag["tasks"].values())
    assert "Asset" in facts["dags"]["phoihop_quarterly_report"]["schedule"], "the report waits for the warehouse"
    assert facts["dags"]["phoihop_backfill"]["tasks"]["month.crawl"]["pool"] == "phoihop_crawl"
    assert facts["dags"]["phoihop_reclassify"]["tasks"]["load"]["pool"] == "phoihop_warehouse"
    nightly = facts["dags"]["phoihop_nightly"]
    assert nightly["catchup"] is False and nightly["max_active_runs"] == 1
    assert nightly["timezone"] in ("Asia/Ho_Chi_Minh", "Timezone('Asia/Ho_Chi_Minh')")
    tasks = nightly["tasks"]
    assert tasks["source.crawl"]["pool"] == "phoihop_crawl"
    assert tasks["source.crawl"]["retries"] >= 3 and tasks["source.crawl"]["backoff"]
    assert tasks["source.load"]["pool"] == "phoihop_warehouse" and tasks["refresh_marts"]["pool"] == "phoihop_warehouse"
    assert all(t["timeout"] for t in tasks.values()), "every task has a timeout"
    chain = ["source.crawl", "source.extract", "source.nlp", "source.validate", "source.load"]
    for up, down in pairwise(chain):
        assert down in tasks[up]["downstream"]


def test_nightly_dag_runs_end_to_end_on_the_replay(airflow: dict[str, str], replay_url: str, data_dir: Path) -> None:
    env = {**airflow, "PHOIHOP_REPLAY_URL": replay_url}
    proc = subprocess.run([sys.executable, str(HELPERS / "run_dag.py"), str(DAGS), "phoihop_nightly"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert "DAG_STATE=success" in proc.stdout, (proc.stdout + proc.stderr)[-4000:]
    wh = data_dir / "warehouse.duckdb"
    per_source = query(wh, "SELECT source_id, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1")
    assert dict(zip(per_source.source_id, per_source.n, strict=True)) == {
        "chinhphu_tphcm": 21, "dcs_tphcm": 22, "saigon_thanhpho": 20}
    known = query(wh, """
        SELECT a.title, strftime(timezone('Asia/Ho_Chi_Minh', a.published), '%Y-%m-%d %H:%M') AS local_time,
               a.authors, a.format, list(t.theme_id ORDER BY t.theme_id) AS themes
        FROM articles a LEFT JOIN v_article_themes t USING (article_id)
        WHERE a.canonical_url LIKE '%' || ? || '%' GROUP BY ALL""", ["tphcm-trien-khai-nghi-quyet-dai-hoi-xiii"])
    row = known.iloc[0]
    assert row.title == "TP Hồ Chí Minh đưa Nghị quyết Đại hội XIII của Đảng vào cuộc sống"
    assert row.local_time == "2021-07-09 09:15" and list(row.authors) == ["Minh Khôi"]
    assert "nghi_quyet_dai_hoi" in list(row.themes)
    video = query(wh, "SELECT format, authors, videos FROM articles WHERE canonical_url LIKE '%video-luc-luong%'")
    assert video.format[0] == "video" and list(video.authors[0]) == ["TRỌNG TÍN"] and video.videos[0] == 1
    copy = query(wh, """SELECT s.original_outlet, o.source_id FROM syndication s
                        JOIN articles o ON o.article_id = s.original_article_id""")
    assert copy.values.tolist() == [["Báo điện tử Đảng Cộng sản Việt Nam", "dcs_tphcm"]]
    coverage = query(wh, "SELECT count(DISTINCT partner) AS partners, count(DISTINCT theme_id) AS themes "
                         "FROM v_coverage_items WHERE theme_id IS NOT NULL")
    assert coverage.partners[0] == 3 and coverage.themes[0] >= 10
    runs = query(wh, "SELECT source_id, status, loaded_new FROM crawl_runs ORDER BY 1")
    assert runs.values.tolist() == [["chinhphu_tphcm", "loaded", 21], ["dcs_tphcm", "loaded", 22],
                                    ["saigon_thanhpho", "loaded", 20]]
    summary = json.loads(next((data_dir / "logs" / "runs").glob("*.json")).read_text())
    assert {k: v["new"] for k, v in summary.items()} == {"chinhphu_tphcm": 21, "dcs_tphcm": 22, "saigon_thanhpho": 20}


def _run_dag(env: dict[str, str], dag_id: str, conf: dict[str, object] | None = None) -> None:
    args = [sys.executable, str(HELPERS / "run_dag.py"), str(DAGS), dag_id] + ([json.dumps(conf)] if conf else [])
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)
    assert "DAG_STATE=success" in proc.stdout, (proc.stdout + proc.stderr)[-4000:]


def test_backfill_by_month_is_safe_to_rerun_and_reclassify_keeps_versions(
        airflow: dict[str, str], replay_url: str, data_dir: Path, tmp_path: Path) -> None:
    import shutil

    from phoihop.demo_portals import load_articles

    env = {**airflow, "PHOIHOP_REPLAY_URL": replay_url}
    conf = {"sources": ["saigon_thanhpho"], "start": "2021-08-01", "end": "2021-09-30"}
    _run_dag(env, "phoihop_backfill", conf)
    wh = data_dir / "warehouse.duckdb"
    _, articles = load_articles()
    expected = sorted(a.url.split("/")[-1] for a in articles
                      if a.portal == "sggp" and "2021-08-01" <= a.published.date().isoformat() <= "2021-09-30")
    got = query(wh, "SELECT url FROM articles ORDER BY url")
    assert sorted(u.split("/")[-1] for u in got.url) == expected
    before = query(wh, "SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM article_versions) AS v, "
                       "(SELECT count(*) FROM theme_assignments) AS t").iloc[0].tolist()
    _run_dag(env, "phoihop_backfill", conf)  # the same range again: nothing twice
    after = query(wh, "SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM article_versions) AS v, "
                      "(SELECT count(*) FROM theme_assignments) AS t").iloc[0].tolist()
    assert after == before

    config = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    themes = config / "themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace('version: "2021.1"', 'version: "2021.2"'),
                      encoding="utf-8")
    _run_dag({**env, "PHOIHOP_CONFIG": str(config)}, "phoihop_reclassify", {"start": "2021-08-01", "end": "2021-09-30"})
    versions = query(wh, "SELECT classifier_version, bool_and(is_current) AS cur, bool_or(is_current) AS any_cur, "
                         "count(*) AS n FROM theme_assignments GROUP BY 1 ORDER BY 1")
    assert versions.classifier_version.tolist() == ["themes-2021.1+lexicon", "themes-2021.2+lexicon"]
    assert versions.cur.tolist() == [False, True] and versions.any_cur.tolist() == [False, True]
    assert versions.n.tolist() == [len(expected) * 16, len(expected) * 16]
    in_marts = query(wh, "SELECT DISTINCT classifier_version FROM v_article_themes")
    assert in_marts.classifier_version.tolist() == ["themes-2021.2+lexicon"]
