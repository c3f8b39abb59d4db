"""Airflow hostname callable: a worker's name from $PHOIHOP_WORKER_NAME (several workers on one machine stay
distinguishable in the task instances), else the machine's FQDN."""

from __future__ import annotations

import os
import socket


def worker_name() -> str:
    """The name recorded as the task instance's hostname."""
    return os.environ.get("PHOIHOP_WORKER_NAME") or socket.getfqdn()
