"""Scale-out: the services docker-compose.yml names, started directly (PostgreSQL and Redis already running on the
machine, an api-server, a scheduler, a dag-processor and two Celery workers), run phoihop_nightly with the
CeleryExecutor; its tasks spread over both workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from phoihop.demo import airflow_env

pytestmark = pytest.mark.services
PG, REDIS = ("127.0.0.1", 5432), ("127.0.0.1", 6379)


def _reachable(addr: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(addr, timeout=2):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def database() -> Iterator[str]:
    """A throw-away PostgreSQL database for Airflow's metadata (trust auth as user postgres)."""
    if not _reachable(PG) or not _reachable(REDIS):
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 "
                    "(docker compose up -d postgres redis, or the Debian packages)")
    import psycopg2

    name = f"phoihop_airflow_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg2.connect(host=PG[0], port=PG[1], user="postgres", dbname="postgres")
    except psycopg2.Error as exc:
        pytest.skip(f"PostgreSQL refused the connection as user postgres: {exc}")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


def test_nightly_runs_on_two_celery_workers(database: str, data_dir: Path, replay_url: str, tmp_path: Path) -> None:
    import psycopg2

    api_port = _free_port()
    conn = f"postgresql+psycopg2://postgres@{PG[0]}:{PG[1]}/{database}"
    env = {**os.environ, **airflow_env(replay_url), **{
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": conn,
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{int(uuid.uuid4().int % 15) + 1}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://postgres@{PG[0]}:{PG[1]}/{database}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API_AUTH__JWT_SECRET": uuid.uuid4().hex,
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "phoihop.hosts.worker_name",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "false",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "false",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
    }}
    airflow = str(Path(sys.executable).parent / "airflow")
    logs = tmp_path / "logs"
    logs.mkdir()
    migrate = subprocess.run([airflow, "db", "migrate"], env=env, capture_output=True, text=True, timeout=600)
    assert migrate.returncode == 0, (migrate.stdout + migrate.stderr)[-3000:]
    for pool, slots in (("phoihop_warehouse", "1"), ("phoihop_crawl", "4")):
        subprocess.run([airflow, "pools", "set", pool, slots, pool], env=env, check=True, capture_output=True)
    services = {
        "api-server": [airflow, "api-server", "--port", str(api_port)],
        "scheduler": [airflow, "scheduler"],
        "dag-processor": [airflow, "dag-processor"],
        "worker1": [airflow, "celery", "worker", "--celery-hostname", "w1@%h", "--concurrency", "2"],
        "worker2": [airflow, "celery", "worker", "--celery-hostname", "w2@%h", "--concurrency", "2"],
    }
    procs = []
    try:
        for name, cmd in services.items():
            extra = {}
            if name.startswith("worker"):
                extra = {"PHOIHOP_WORKER_NAME": name, "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port())}
            out = (logs / f"{name}.log").open("w")
            procs.append(subprocess.Popen(cmd, env={**env, **extra}, stdout=out, stderr=subprocess.STDOUT))
        time.sleep(20)
        subprocess.run([airflow, "dags", "reserialize"], env=env, capture_output=True, timeout=300)
        trigger = subprocess.run([airflow, "dags", "trigger", "phoihop_nightly"], env=env, capture_output=True,
                                 text=True, timeout=120)
        assert trigger.returncode == 0, trigger.stderr[-2000:]
        state, deadline = None, time.monotonic() + 600
        with psycopg2.connect(host=PG[0], port=PG[1], user="postgres", dbname=database) as pg:
            pg.autocommit = True
            while time.monotonic() < deadline and state not in ("success", "failed"):
                time.sleep(5)
                with pg.cursor() as cur:
                    cur.execute("SELECT state FROM dag_run WHERE dag_id = 'phoihop_nightly' AND run_type = 'manual'")
                    row = cur.fetchone()
                    state = row[0] if row else None
            with pg.cursor() as cur:
                cur.execute("SELECT hostname, count(*) FROM task_instance WHERE dag_id = 'phoihop_nightly' "
                            "AND state = 'success' GROUP BY hostname")
                spread = dict(cur.fetchall())
        tails = {p.name: p.read_text(errors="replace")[-1500:] for p in logs.glob("*.log")}
        assert state == "success", tails
        assert set(spread) == {"worker1", "worker2"}, spread
        assert sum(spread.values()) >= 3 * 5 + 3  # sources + 5 stages x 3 sources + marts + summary
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    from warehouse.query import query

    assert int(query(data_dir / "warehouse.duckdb", "SELECT count(*) AS n FROM articles").n[0]) == 63
