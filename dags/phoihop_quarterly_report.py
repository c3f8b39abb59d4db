"""phoihop_quarterly_report: the evaluation report of every active programme for the last completed quarter.

Data-aware: it runs whenever phoihop_nightly updates the warehouse asset, so the report of a quarter is
(re)written as soon as its data lands, and again if late items arrive; writing it is idempotent.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, dag, task

from dags.common import DAG_SETTINGS, WAREHOUSE_URI, on_failure

WAREHOUSE = Asset(WAREHOUSE_URI)


@dag(
    dag_id="phoihop_quarterly_report",
    schedule=[WAREHOUSE],
    **DAG_SETTINGS,
    params={"period": None},
    tags=["phoihop", "report"],
    doc_md=__doc__,
)
def phoihop_quarterly_report() -> None:
    """Reports of the last completed quarter (or params.period)."""

    @task(pool="phoihop_warehouse", execution_timeout=dt.timedelta(minutes=30), on_failure_callback=on_failure)
    def reports(params: dict[str, object] | None = None) -> list[str]:
        from phoihop.reports import quarterly_reports

        period = (params or {}).get("period")
        return [str(p) for p in quarterly_reports(str(period) if period else None)]

    reports()


phoihop_quarterly_report()
