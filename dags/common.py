"""Shared settings of the phoihop DAGs: retries, timeouts, alert callback, run summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum

# The warehouse as an Airflow asset: the nightly and reclassify DAGs update it; the report DAG is scheduled on it.
WAREHOUSE_URI = "phoihop://warehouse/articles"

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "phoihop",
    "retries": 1,
    "retry_delay": dt.timedelta(minutes=2),
    "execution_timeout": dt.timedelta(hours=1),
}
# What every phoihop DAG shares: dates in Vietnam's time zone, no catch-up of missed intervals, one run at a time.
DAG_SETTINGS: dict[str, Any] = {
    "start_date": pendulum.datetime(2021, 1, 1, tz="Asia/Ho_Chi_Minh"),
    "catchup": False,
    "max_active_runs": 1,
    "default_args": DEFAULT_ARGS,
}
# Tasks that touch the network: more retries, exponential backoff.
NETWORK_RETRIES: dict[str, Any] = {
    "retries": 3,
    "retry_delay": dt.timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": dt.timedelta(hours=1),
}


def on_failure(context: dict[str, Any]) -> None:
    """Alert an operator: which source and stage failed, and why (log always; webhook/email when configured)."""
    from phoihop.alerts import alert

    ti = context.get("task_instance") or context.get("ti")
    source = (getattr(ti, "map_index", None), context.get("params"))
    exc = context.get("exception")
    task_id = getattr(ti, "task_id", "?")
    alert(f"phoihop task {task_id} failed (run {context.get('run_id')}, map {source[0]}): {exc}")


def run_summary(run_id: str) -> dict[str, Any]:
    """Per source: new, changed, failed, quarantined; logged and stored under data/logs/runs/."""
    from phoihop.alerts import summarise_run

    return summarise_run(run_id)
