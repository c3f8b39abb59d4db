"""Print facts about the DAG folder as JSON, with outbound network access blocked (run in a subprocess)."""

from __future__ import annotations

import json
import socket
import sys


def _no_network(*_args: object, **_kwargs: object) -> None:
    raise OSError("network access during DAG import")


socket.socket.connect = _no_network  # type: ignore[method-assign,assignment]
socket.create_connection = _no_network  # type: ignore[assignment]

from airflow.dag_processing.dagbag import DagBag  # noqa: E402

bag = DagBag(dag_folder=sys.argv[1])
facts: dict[str, object] = {"errors": {k: str(v)[-800:] for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in bag.dags.items():
    facts["dags"][dag_id] = {  # type: ignore[index]
        "catchup": dag.catchup,
        "timezone": str(dag.timezone),
        "schedule": repr(dag.timetable),
        "max_active_runs": dag.max_active_runs,
        "tasks": {t.task_id: {"pool": t.pool, "retries": t.retries,
                              "backoff": bool(getattr(t, "retry_exponential_backoff", False)),
                              "timeout": t.execution_timeout.total_seconds() if t.execution_timeout else None,
                              "downstream": sorted(t.downstream_task_ids)} for t in dag.tasks},
    }
print(json.dumps(facts))
