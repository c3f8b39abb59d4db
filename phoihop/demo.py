"""`make demo`: the nightly DAG run by Airflow against the offline replay, then the coverage table."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

from phoihop.settings import PROJECT_ROOT, paths

log = logging.getLogger(__name__)
DEMO_SOURCES = PROJECT_ROOT / "demo"
COUNTED_TABLES = ("articles", "article_versions", "theme_assignments", "entities", "syndication", "fetch_log",
                  "quarantine", "validation_results", "crawl_runs")
POOLS = {"phoihop_warehouse": (1, "the single DuckDB writer"), "phoihop_crawl": (4, "concurrent source crawls")}


def demo_archive() -> Path:
    """The demo portals' WARC, rebuilt when its sources in demo/ are newer."""
    from phoihop.demo_portals import write_archive

    target = paths().data / "replay" / "demo-portals.warc.gz"
    newest = max(p.stat().st_mtime for p in DEMO_SOURCES.glob("*.yaml"))
    builder = Path(__file__).with_name("demo_portals.py").stat().st_mtime
    if not target.exists() or target.stat().st_mtime < max(newest, builder):
        write_archive(target)
        log.info("built the demo archive %s", target)
    return target


def airflow_env(replay_url: str | None = None) -> dict[str, str]:
    """Environment for a local Airflow: home and SQLite metadata DB under data/airflow, the project's DAGs."""
    home = paths().data / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        "PHOIHOP_DATA": str(paths().data),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])),
        # airflow standalone starts its components as `airflow ...` subprocesses: the venv's bin must be on PATH
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    if replay_url:
        env["PHOIHOP_REPLAY_URL"] = replay_url
    return env


def _airflow(args: list[str], env: dict[str, str], echo: str | None = None) -> None:
    """Run the airflow CLI; its output goes to data/airflow/cli.log, lines containing `echo` are shown."""
    airflow = str(Path(sys.executable).parent / "airflow")
    logfile = Path(env["AIRFLOW_HOME"]) / "cli.log"
    log.info("$ airflow %s  (output: %s)", " ".join(args), logfile)
    with logfile.open("a", encoding="utf-8") as out, subprocess.Popen(
            [airflow, *args], env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.write(line)
            if echo and echo in line:
                print("  " + line.split(echo, 1)[1].split("[airflow", 1)[0].strip(), flush=True)
    if proc.returncode:
        raise RuntimeError(f"airflow {' '.join(args)} failed (exit {proc.returncode}); see {logfile}")


def prepare_airflow(env: dict[str, str]) -> None:
    """Create or upgrade the metadata DB and the pools the DAGs use."""
    _airflow(["db", "migrate"], env)
    for name, (slots, description) in POOLS.items():
        _airflow(["pools", "set", name, str(slots), description], env)


def ensure_model() -> None:
    """Train the theme model when it is missing and the labelled data is beside the project."""
    from phoihop.pipeline import model_path
    from phoihop.training import SHARED_GOLD, train_model

    if model_path().exists():
        return
    if SHARED_GOLD.exists():
        info = train_model(SHARED_GOLD)
        log.info("trained the theme model %s on %d examples", info["version"], info["examples"])
    else:
        log.warning("no labelled data at %s: themes come from the lexicon alone", SHARED_GOLD)


def row_counts() -> dict[str, int]:
    """Rows per warehouse table (for the idempotence check between two demo runs)."""
    from warehouse.query import query

    if not paths().warehouse.exists():
        return {}
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in COUNTED_TABLES)
    df = query(paths().warehouse, sql)
    return {str(r.t): int(r.n) for r in df.itertuples()}


def run_demo(use_airflow: bool = True, logical_date: str | None = None) -> int:
    """Build the replay, run the nightly job on it, print the coverage table and where everything is."""
    from phoihop import pipeline
    from phoihop.coverage import coverage, render
    from scrapers.replay import serve

    ensure_model()
    archive = demo_archive()
    server = serve([archive])
    before = row_counts()
    log.info("replaying %d captures from %s on %s", len(server.index), archive, server.url)
    try:
        if use_airflow:
            env = airflow_env(server.url)
            prepare_airflow(env)
            date = logical_date or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            print(f"running the Airflow DAG phoihop_nightly ({date}) against the replay:", flush=True)
            _airflow(["dags", "test", "phoihop_nightly", date], env, echo="[DAG TEST] end task ")
        else:
            pipeline.run(dt.datetime.now(dt.UTC).strftime("demo_%Y%m%dT%H%M%S"), replay=server.url)
    finally:
        server.shutdown()
    from phoihop.reports import quarterly_reports

    reports = quarterly_reports("2021Q3", formats=("html",))
    after = row_counts()
    table = coverage(paths().warehouse)
    render(table, "Số tin bài theo chủ đề x đối tác (bản sao đăng lại tính một lần)")
    print("\nrows per table (before -> after this run):")
    for name in COUNTED_TABLES:
        print(f"  {name:20s} {before.get(name, 0):6d} -> {after.get(name, 0):6d}")
    print("\nquarterly reports (2021Q3), open in a browser:")
    for report in reports:
        print(f"  {report}")
    print(f"\nwarehouse: {paths().warehouse}")
    print(f"raw WARC:  {paths().raw}")
    print(f"logs:      {paths().data / 'airflow' / 'logs' if use_airflow else paths().logs}"
          f"{'  (airflow CLI: ' + str(paths().data / 'airflow' / 'cli.log') + ')' if use_airflow else ''}")
    print('ask it:    .venv/bin/phoihop sql "SELECT partner, month, items FROM coverage_monthly '
          "WHERE theme_id = 'phong_chong_dich' ORDER BY 1, 2\"")
    return 0


def run_standalone(port: int = 8765, replay: bool = True) -> int:
    """`make airflow`: `airflow standalone` on this project's DAGs, with the demo replay served alongside."""
    from scrapers.replay import serve

    server = serve([demo_archive()], port) if replay else None
    env = airflow_env(server.url if server else None)
    prepare_airflow(env)
    print(f"replay of the demo portals: {server.url if server else 'off'}")
    print("Airflow UI: http://localhost:8080 (user admin; password in "
          f"{Path(env['AIRFLOW_HOME']) / 'simple_auth_manager_passwords.json.generated'})")
    print("trigger the nightly DAG from another shell:  .venv/bin/phoihop airflow dags trigger phoihop_nightly")
    airflow = str(Path(sys.executable).parent / "airflow")
    try:
        return subprocess.call([airflow, "standalone"], env={**os.environ, **env})
    except KeyboardInterrupt:
        return 0
    finally:
        if server:
            server.shutdown()
