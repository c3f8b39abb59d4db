"""phoihop_nightly: per source (mapped from config/sources.yaml) crawl -> extract -> nlp -> validate -> load, then marts.

Each task calls one function of phoihop.pipeline and passes only the source id; files under data/ carry the data.
Loads go through the `phoihop_warehouse` pool (one slot): DuckDB has one writer at a time.
"""

from __future__ import annotations

import datetime as dt
import os

from airflow.sdk import Asset, dag, task, task_group

from dags.common import DAG_SETTINGS, NETWORK_RETRIES, WAREHOUSE_URI, on_failure, run_summary

WAREHOUSE = Asset(WAREHOUSE_URI)


@dag(
    dag_id="phoihop_nightly",
    schedule="0 1 * * *",
    **DAG_SETTINGS,
    dagrun_timeout=dt.timedelta(hours=6),
    tags=["phoihop"],
    doc_md=__doc__,
)
def phoihop_nightly() -> None:
    """The nightly crawl of every partner portal into the warehouse."""

    @task(execution_timeout=dt.timedelta(minutes=5))
    def sources() -> list[str]:
        from phoihop.pipeline import active_sources

        return [s.id for s in active_sources(replay=bool(os.environ.get("PHOIHOP_REPLAY_URL")))]

    @task_group(group_id="source")
    def per_source(source_id: str) -> None:
        @task(pool="phoihop_crawl", execution_timeout=dt.timedelta(hours=2), on_failure_callback=on_failure,
              **NETWORK_RETRIES)
        def crawl(source_id: str, run_id: str | None = None) -> str:
            from phoihop.pipeline import crawl as crawl_source

            assert run_id is not None
            crawl_source(source_id, run_id, replay=os.environ.get("PHOIHOP_REPLAY_URL"))
            return source_id

        @task(execution_timeout=dt.timedelta(hours=1), on_failure_callback=on_failure)
        def extract(source_id: str, run_id: str | None = None) -> str:
            from phoihop.pipeline import extract as extract_source

            assert run_id is not None
            extract_source(source_id, run_id)
            return source_id

        @task(execution_timeout=dt.timedelta(hours=2), on_failure_callback=on_failure)
        def nlp(source_id: str, run_id: str | None = None) -> str:
            from phoihop.pipeline import enrich

            assert run_id is not None
            enrich(source_id, run_id)
            return source_id

        @task(execution_timeout=dt.timedelta(minutes=30), on_failure_callback=on_failure)
        def validate(source_id: str, run_id: str | None = None) -> str:
            from phoihop.pipeline import validate as validate_source

            assert run_id is not None
            validate_source(source_id, run_id)
            return source_id

        @task(pool="phoihop_warehouse", execution_timeout=dt.timedelta(minutes=30), on_failure_callback=on_failure)
        def load(source_id: str, run_id: str | None = None) -> str:
            from phoihop.pipeline import load as load_source

            assert run_id is not None
            load_source(source_id, run_id)
            return source_id

        load(validate(nlp(extract(crawl(source_id)))))  # type: ignore[arg-type]  # XComArgs resolve to str

    @task(pool="phoihop_warehouse", trigger_rule="all_done", outlets=[WAREHOUSE],
          execution_timeout=dt.timedelta(minutes=30))
    def refresh_marts() -> dict[str, object]:
        from phoihop.pipeline import refresh

        return refresh()

    @task(trigger_rule="all_done", execution_timeout=dt.timedelta(minutes=5))
    def summary(run_id: str | None = None) -> dict[str, object]:
        assert run_id is not None
        return run_summary(run_id)

    groups = per_source.expand(source_id=sources())
    marts = refresh_marts()
    groups >> marts >> summary()


phoihop_nightly()
