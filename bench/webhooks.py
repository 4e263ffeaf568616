"""Webhook benchmark (SPEC §13): events/s verified, deduplicated and applied on SQLite; ack p50/p99.

    .venv/bin/python bench/webhooks.py                 # 3,000 deliveries, 8 senders
    .venv/bin/python bench/webhooks.py --events 10000 --senders 16

Serves the real ASGI app (uvicorn, one process, its background worker on) on
127.0.0.1 over a fresh SQLite database holding one connected workspace. Senders
post Stripe-signed events (customers, subscriptions, invoices with failed and
successful payments; 10% are redeliveries) and time each acknowledgement.
Throughput is counted from the first delivery until the queue is empty, i.e.
verify + dedupe + enqueue + apply + signals, end to end; the apply-only rate
(the worker draining a pre-filled queue) is printed too. The workspace has
finished its backfill, so every batch also marks its accounts and the worker
recomputes their figures: "figures current" is the time from the last
acknowledgement until the queue is empty and no account waits for its
recompute (issue 10: within 5 s at 300 events/s).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import uvicorn
from sqlalchemy import func, select

from bot.serve import web_app
from bot.webhooks import build_service, webhook_routes
from core.settings import Settings
from storage import event_log
from storage.db import Database
from storage.dirty_accounts import dirty_count
from storage.models import StripeConnection, StripeEvent
from storage.secrets import SecretBox
from storage.workspaces import ensure_workspace
from sync.account_billing import run_account_billing
from sync.queue import enqueue

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
T0 = int((NOW - timedelta(days=10)).timestamp())
TEAM = "TBENCH01"
SECRET = "whsec_bench_secret_0000000000000000"
FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0="


def sign(body: bytes, secret: str) -> str:
    t = int(time.time())
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


# -- the event stream ---------------------------------------------------------------------
def _customer(n: int) -> dict[str, Any]:
    return {
        "id": f"cus_{n:05d}",
        "object": "customer",
        "name": f"Company {n}",
        "email": f"billing@company{n}.com",
        "created": T0,
        "metadata": {},
    }


def _subscription(n: int, quantity: int) -> dict[str, Any]:
    price = {
        "id": "price_pro",
        "object": "price",
        "currency": "usd",
        "product": "prod_pro",
        "unit_amount": 5000,
        "unit_amount_decimal": "5000",
        "billing_scheme": "per_unit",
        "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
        "active": True,
        "created": T0,
    }
    item = {
        "id": f"si_{n:05d}",
        "object": "subscription_item",
        "price": price,
        "quantity": quantity,
        "current_period_start": T0,
        "current_period_end": T0 + 2592000,
        "created": T0,
        "discounts": [],
    }
    return {
        "id": f"sub_{n:05d}",
        "object": "subscription",
        "customer": f"cus_{n:05d}",
        "status": "active",
        "currency": "usd",
        "created": T0,
        "start_date": T0,
        "cancel_at_period_end": False,
        "collection_method": "charge_automatically",
        "discounts": [],
        "metadata": {},
        "items": {"object": "list", "data": [item], "has_more": False},
    }


def _invoice(n: int, status: str, attempts: int) -> dict[str, Any]:
    line = {
        "id": f"il_{n:05d}",
        "object": "line_item",
        "amount": 5000,
        "currency": "usd",
        "period": {"start": T0, "end": T0 + 2592000},
        "quantity": 1,
        "pricing": {
            "type": "price_details",
            "unit_amount_decimal": "5000",
            "price_details": {"price": "price_pro", "product": "prod_pro"},
        },
        "parent": {
            "type": "subscription_item_details",
            "subscription_item_details": {
                "subscription": f"sub_{n:05d}",
                "proration": False,
                "subscription_item": f"si_{n:05d}",
            },
        },
    }
    return {
        "id": f"in_{n:05d}",
        "object": "invoice",
        "customer": f"cus_{n:05d}",
        "status": status,
        "currency": "usd",
        "created": T0,
        "amount_due": 5000,
        "amount_paid": 5000 if status == "paid" else 0,
        "amount_remaining": 0 if status == "paid" else 5000,
        "total": 5000,
        "subtotal": 5000,
        "attempted": attempts > 0,
        "attempt_count": attempts,
        "discounts": [],
        "status_transitions": {},
        "collection_method": "charge_automatically",
        "lines": {"object": "list", "data": [line], "has_more": False},
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": f"sub_{n:05d}"},
        },
    }


def event_stream(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` deliveries: a lifecycle per customer, 10% of them redelivered."""
    rng = random.Random(seed)
    unique: list[dict[str, Any]] = []
    n = 0
    while len(unique) < count * 0.9:
        steps = [
            ("customer.created", _customer(n)),
            ("customer.subscription.created", _subscription(n, 1)),
            ("invoice.finalized", _invoice(n, "open", 0)),
            ("invoice.payment_failed", _invoice(n, "open", 1)),
            ("invoice.paid", _invoice(n, "paid", 2)),
            ("customer.subscription.updated", _subscription(n, 2)),
        ]
        for offset, (type_, obj) in enumerate(steps):
            unique.append(
                {
                    "id": f"evt_{n:05d}_{offset}",
                    "object": "event",
                    "type": type_,
                    "created": T0 + 60 * n + offset,
                    "api_version": "2026-10-28.endive",
                    "livemode": False,
                    "data": {"object": obj},
                }
            )
        n += 1
    unique = unique[: int(count * 0.9)]
    deliveries = unique + rng.sample(unique, count - len(unique))
    return deliveries


# -- setup --------------------------------------------------------------------------------
def _database(folder: Path) -> tuple[Database, str]:
    db = Database.connect(f"sqlite:///{folder / 'bench.db'}", migrate=True)
    box = SecretBox(FERNET_KEY)
    with db.session() as session:
        workspace = ensure_workspace(session, TEAM, NOW)
        session.add(
            StripeConnection(
                workspace_id=TEAM,
                mode="test",
                key_kind="restricted",
                webhook_secret_encrypted=box.encrypt(SECRET),
                status="connected",
                # A finished (empty) backfill: figures follow each batch from now on.
                last_sync_at=NOW - timedelta(hours=1),
                window_start=NOW - timedelta(days=365),
                record_counts={},
                match_counts={},
                connected_at=NOW,
                updated_at=NOW,
            )
        )
        public_id = workspace.public_id
    with db.session() as session:
        run_account_billing(session, TEAM, NOW, NOW - timedelta(days=365))
    return db, public_id


def _settings(folder: Path) -> Settings:
    return Settings(REVBOT_ENCRYPTION_KEY=FERNET_KEY, REVBOT_DATA_DIR=folder / "data")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pending(db: Database) -> int:
    with db.session() as session:
        return event_log.pending_count(session, TEAM)


def _figures_waiting(db: Database) -> int:
    """Accounts whose figures wait for their recompute."""
    with db.session() as session:
        return dirty_count(session, TEAM)


# -- runs ---------------------------------------------------------------------------------
def serve(db_path: str, port: int) -> None:
    """The server process: the real app and its worker, until terminated."""
    folder = Path(db_path).parent
    db = Database.connect(f"sqlite:///{db_path}")
    service = build_service(_settings(folder), db, clock=lambda: NOW, poll_seconds=0.5)
    app = web_app(None, extra_routes=webhook_routes(service))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def end_to_end(
    count: int, senders: int, rate: float | None = None
) -> tuple[float, list[float], int, float, float]:
    """(events/s applied, ack latencies in ms, non-2xx answers, server CPU s per 1k events,
    seconds from the last acknowledgement until every figure is current).

    The server runs in its own process (as in production), so the senders'
    CPU does not count against it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, public_id = _database(folder)
        port = _free_port()
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(folder / "bench.db"), str(port)]
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base)
            url = f"{base}/stripe/webhooks/{public_id}"
            deliveries = event_stream(count)
            unique = len({e["id"] for e in deliveries})
            bodies = [json.dumps(e).encode() for e in deliveries]
            latencies: list[float] = []
            failures = 0
            last_ack = 0.0
            local = threading.local()

            def send(body: bytes) -> None:
                nonlocal failures, last_ack
                client = getattr(local, "client", None)
                if client is None:
                    client = local.client = httpx.Client(timeout=30)
                headers = {"Stripe-Signature": sign(body, SECRET)}
                start = time.perf_counter()
                response = client.post(url, content=body, headers=headers)
                done = time.perf_counter()
                latencies.append((done - start) * 1000)
                last_ack = max(last_ack, done)
                if response.status_code != 200:
                    failures += 1

            cpu0 = _cpu_seconds(child.pid)
            started = time.perf_counter()
            with ThreadPoolExecutor(senders) as pool:
                if rate is None:  # closed loop: as fast as the server answers
                    list(pool.map(send, bodies))
                else:  # open loop: deliveries arrive at ``rate`` per second, as from Stripe
                    for n, body in enumerate(bodies):
                        delay = started + n / rate - time.perf_counter()
                        if delay > 0:
                            time.sleep(delay)
                        pool.submit(send, body)
            while _pending(db) > 0 or _applied(db) < unique:
                time.sleep(0.01)
            elapsed = time.perf_counter() - started
            while _figures_waiting(db) > 0:
                time.sleep(0.01)
            current_after = time.perf_counter() - last_ack
            cpu = _cpu_seconds(child.pid) - cpu0
        finally:
            child.terminate()
            child.wait(10)
            db.engine.dispose()
    return unique / elapsed, latencies, failures, cpu / unique * 1000, current_after


def _wait_ready(base: str) -> None:
    deadline = time.monotonic() + 120  # a cold start on a loaded machine imports slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the bench server did not start")


def _applied(db: Database) -> int:
    with db.session() as session:
        query = select(func.count()).where(
            StripeEvent.workspace_id == TEAM, StripeEvent.status != "pending"
        )
        return int(session.execute(query).scalar_one())


def apply_only(count: int) -> tuple[float, float]:
    """Events/s the worker applies from a pre-filled queue (signals included)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, _ = _database(folder)
        unique = {e["id"]: e for e in event_stream(count)}
        with db.session() as session:
            for event in unique.values():
                enqueue(session, TEAM, event, "webhook", NOW)
        service = build_service(_settings(folder), db, clock=lambda: NOW, start_worker=False)
        assert service.worker is not None
        started, cpu0 = time.perf_counter(), time.process_time()
        while service.worker.run_round(everything=True):
            pass
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu0
        db.engine.dispose()
    return len(unique) / elapsed, len(unique) / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000, help="deliveries to send")
    parser.add_argument("--senders", type=int, default=8, help="concurrent HTTP senders")
    parser.add_argument("--rate", type=float, default=300.0, help="offered load for latency")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return
    rate, _, failures, cpu_per_k, closed_current = end_to_end(args.events, args.senders)
    print(f"deliveries: {args.events} ({args.senders} concurrent senders, 10% redeliveries)")
    print(f"throughput, end to end (verify+dedupe+enqueue+apply+signals): {rate:.0f} events/s")
    print(
        f"server CPU: {cpu_per_k:.2f} s per 1,000 events "
        f"(= {1000 / cpu_per_k:.0f} events/s on one fully available core)"
    )
    _, latencies, more_failures, _, current = end_to_end(args.events, args.senders * 4, args.rate)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"ack latency at {args.rate:.0f} deliveries/s offered: p50 {p50:.1f} ms, "
        f"p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms"
    )
    print(
        f"figures current after the last delivery: {current:.2f} s at {args.rate:.0f}/s offered, "
        f"{closed_current:.2f} s at full speed (budget 5 s)"
    )
    print(f"non-200 answers: {failures + more_failures}")
    rate_only, cpu_only = apply_only(args.events)
    print(
        f"apply only (worker draining a full queue): {rate_only:.0f} events/s "
        f"({cpu_only:.0f} events/s of CPU)"
    )


if __name__ == "__main__":
    main()
