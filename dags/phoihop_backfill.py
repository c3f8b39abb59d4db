"""phoihop_backfill: collect a date range of some sources again, one month at a time (safe to re-run).

Params: sources (ids; empty = every enabled live source, or every replay source when PHOIHOP_REPLAY_URL is set),
start and end (YYYY-MM-DD). Index pages are read in full and listings paged back to each month's first day;
articles already fetched are not downloaded again and loads are idempotent, so a re-run adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import os

from airflow.sdk import Param, dag, task, task_group

from dags.common import DAG_SETTINGS, NETWORK_RETRIES, on_failure


@dag(
    dag_id="phoihop_backfill",
    schedule=None,
    **DAG_SETTINGS,
    params={
        "sources": Param([], type="array", description="source ids (empty: all)"),
        "start": Param("2021-07-01", type="string", format="date"),
        "end": Param("2021-09-30", type="string", format="date"),
    },
    tags=["phoihop"],
    doc_md=__doc__,
)
def phoihop_backfill() -> None:
    """Backfill a date range, chunked by month."""

    @task(execution_timeout=dt.timedelta(minutes=5))
    def plan(params: dict | None = None) -> list[dict[str, str]]:
        from phoihop.pipeline import active_sources, backfill_plan

        p = params or {}
        ids = list(p.get("sources") or []) or [
            s.id for s in active_sources(replay=bool(os.environ.get("PHOIHOP_REPLAY_URL")))]
        return backfill_plan(ids, dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]))

    @task_group(group_id="month")
    def per_chunk(chunk: dict[str, str]) -> None:
        @task(pool="phoihop_crawl", execution_timeout=dt.timedelta(hours=3), on_failure_callback=on_failure,
              **NETWORK_RETRIES)
        def crawl(chunk: dict[str, str], run_id: str | None = None) -> dict[str, str]:
            from phoihop.pipeline import backfill_chunk

            assert run_id is not None
            return {**chunk, "key": backfill_chunk(chunk, run_id, os.environ.get("PHOIHOP_REPLAY_URL"))}

        @task(execution_timeout=dt.timedelta(hours=3), on_failure_callback=on_failure)
        def process(chunk: dict[str, str]) -> dict[str, str]:
            from phoihop.pipeline import process as process_source

            process_source(chunk["source_id"], chunk["key"])
            return chunk

        @task(pool="phoihop_warehouse", execution_timeout=dt.timedelta(minutes=30), on_failure_callback=on_failure)
        def load(chunk: dict[str, str]) -> str:
            from phoihop.pipeline import load as load_source

            load_source(chunk["source_id"], chunk["key"])
            return chunk["key"]

        load(process(crawl(chunk)))  # type: ignore[arg-type]  # XComArgs resolve to dicts

    @task(pool="phoihop_warehouse", trigger_rule="all_done", execution_timeout=dt.timedelta(minutes=30))
    def refresh_marts() -> dict[str, object]:
        from phoihop.pipeline import refresh

        return refresh()

    per_chunk.expand(chunk=plan()) >> refresh_marts()


phoihop_backfill()
