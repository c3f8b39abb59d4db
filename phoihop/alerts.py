"""Operator alerts and run summaries: always logged; sent to a webhook or by email when configured."""

from __future__ import annotations

import json
import logging
import os
import smtplib
from email.message import EmailMessage
from typing import Any

import requests

from phoihop.pipeline import safe_run_id
from phoihop.settings import paths

log = logging.getLogger(__name__)


def alert(message: str) -> None:
    """Log an alert and send it to $PHOIHOP_ALERT_WEBHOOK (JSON POST) and/or $PHOIHOP_ALERT_EMAIL (via $SMTP_HOST)."""
    log.error("ALERT %s", message)
    webhook = os.environ.get("PHOIHOP_ALERT_WEBHOOK")
    if webhook:
        try:
            requests.post(webhook, json={"text": message}, timeout=10)
        except requests.RequestException as exc:
            log.error("alert webhook %s failed: %s", webhook, exc)
    email = os.environ.get("PHOIHOP_ALERT_EMAIL")
    if email:
        msg = EmailMessage()
        msg["Subject"] = f"[phoihop] {message[:120]}"
        msg["From"] = os.environ.get("PHOIHOP_ALERT_FROM", "phoihop@localhost")
        msg["To"] = email
        msg.set_content(message)
        try:
            with smtplib.SMTP(os.environ.get("SMTP_HOST", "localhost"), int(os.environ.get("SMTP_PORT", "25"))) as s:
                s.send_message(msg)
        except OSError as exc:
            log.error("alert email to %s failed: %s", email, exc)


def summarise_run(run_id: str) -> dict[str, Any]:
    """Collect each source's summary.json of a run, log one line per source, alert on failures and collapses."""
    folder = paths().staging / safe_run_id(run_id)
    out: dict[str, Any] = {}
    for path in sorted(folder.glob("*/summary.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        loaded = data.get("loaded") or {}
        row = {"discovered": data.get("discovered", 0), "fetched": data.get("fetched", 0),
               "failed": data.get("failed", 0), "extracted": data.get("extracted", 0),
               "quarantined": data.get("quarantined", 0), "new": loaded.get("new", 0),
               "changed": loaded.get("changed", 0), "rejected": bool(data.get("rejected"))}
        out[path.parent.name] = row
        log.info("run %s %s: %s", run_id, path.parent.name, row)
        if data.get("rejected"):
            alert(data.get("rejection") or f"{path.parent.name}: batch rejected")
        elif row["fetched"] and not row["extracted"]:
            alert(f"source {path.parent.name}: {row['fetched']} pages fetched but none extracted "
                  f"({', '.join(data.get('layout_errors') or []) or 'see the quarantine table'})")
    target = paths().logs / "runs" / f"{safe_run_id(run_id)}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out
