"""phoihop_reclassify: classify a period's articles again after config/themes.yaml or the model changed.

The new assignments become current; the previous classifier version's rows stay in theme_assignments
(is_current = false), so a report can always be traced to the version that produced it.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, Param, dag, task

from dags.common import DAG_SETTINGS, WAREHOUSE_URI, on_failure

WAREHOUSE = Asset(WAREHOUSE_URI)


@dag(
    dag_id="phoihop_reclassify",
    schedule=None,
    **DAG_SETTINGS,
    params={
        "start": Param(None, type=["null", "string"], format="date", description="first day (empty: all)"),
        "end": Param(None, type=["null", "string"], format="date", description="last day (empty: all)"),
    },
    tags=["phoihop"],
    doc_md=__doc__,
)
def phoihop_reclassify() -> None:
    """Reclassify a period with the current theme set and model."""

    @task(execution_timeout=dt.timedelta(hours=3), on_failure_callback=on_failure)
    def classify(params: dict | None = None, run_id: str | None = None) -> str:
        from phoihop.pipeline import reclassify

        assert run_id is not None
        p = params or {}
        start = dt.date.fromisoformat(p["start"]) if p.get("start") else None
        end = dt.date.fromisoformat(p["end"]) if p.get("end") else None
        reclassify(run_id, start, end)
        return run_id

    @task(pool="phoihop_warehouse", outlets=[WAREHOUSE], execution_timeout=dt.timedelta(minutes=30),
          on_failure_callback=on_failure)
    def load(key: str) -> dict[str, object]:
        from phoihop.pipeline import load_reclassified

        return load_reclassified(key)

    load(classify())  # type: ignore[arg-type]  # the XComArg resolves to the run id


phoihop_reclassify()
