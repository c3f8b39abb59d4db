"""Run one DAG with dag.test() (real Airflow, in-process executor) and print its final state (subprocess)."""

from __future__ import annotations

import json
import sys

import pendulum
from airflow.dag_processing.dagbag import DagBag

bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
dag = bag.dags[sys.argv[2]]
conf = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
run = dag.test(logical_date=pendulum.now("UTC"), run_conf=conf or None)
print(f"DAG_STATE={run.state}")
