"""Recordings through the service: calls per hour with in-process jobs, and with Celery over
Redis with 1 and 2 worker processes (PostgreSQL), on the same calls.

    python bench/service.py --audio [--calls 8] [--no-sentiment]

The calls are the synthesised fixture calls (tests/fixtures/calls, about a minute each),
uploaded with their own ids (`POST /api/conversations`, multipart) by one client; the clock runs
from the first upload until every call is `done`, and the CPU seconds of the server's and the
workers' process trees (from /proc) are counted over the same span. Each mode first gets one
call per worker process to warm it (its models load on its first job), outside the timing. The
scaling ratio is 2-worker calls/hour over 1-worker calls/hour (wall clock); on a machine whose
cores other work shares it says what the cores left gave, while calls per CPU-hour says whether
a second worker costs more per call.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from service_helpers import database_url, drop_database, free_port, start_server, start_worker

from api.runtime import open_database
from api.services.users import create_user
from api.settings import Settings
from models import session_scope
from models.enums import ConversationStatus, UserRole

REPO = Path(__file__).resolve().parents[1]
FIXTURE_CALLS = REPO / "tests" / "fixtures" / "calls"
REDIS = "redis://127.0.0.1:6379/0"


def upload(client: httpx.Client, recording: Path, conversation_id: str) -> None:
    with recording.open("rb") as handle:
        client.post("/api/conversations", files={"file": (recording.name, handle, "audio/flac")},
                    data={"metadata": json.dumps({"id": conversation_id})}).raise_for_status()


def wait_done(client: httpx.Client, ids: list[str], timeout_s: float = 3600) -> None:
    deadline = time.monotonic() + timeout_s
    pending = set(ids)
    while pending and time.monotonic() < deadline:
        for conversation_id in list(pending):
            status = client.get(f"/api/conversations/{conversation_id}").json()["status"]
            if status == ConversationStatus.FAILED:
                raise RuntimeError(f"{conversation_id} failed")
            if status == ConversationStatus.DONE:
                pending.discard(conversation_id)
        time.sleep(0.5)
    if pending:
        raise RuntimeError(f"not done in time: {sorted(pending)}")


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a live process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    return sum(times.get(pid, 0.0) for pid in tree)


def timed_calls(base: str, token: str, recordings: list[Path], warm: int,
                services: list[int]) -> dict[str, float]:
    """Warm `warm` worker processes, then upload every recording and wait for all of them; wall
    seconds, and the CPU seconds of the `services` process trees (server, workers) meanwhile."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        warm_ids = [f"warm-{uuid.uuid4().hex[:8]}" for _ in range(warm)]
        for conversation_id, recording in zip(warm_ids, recordings, strict=False):
            upload(client, recording, conversation_id)
        wait_done(client, warm_ids)
        ids = [f"call-{uuid.uuid4().hex[:8]}" for _ in recordings]
        cpu_before, started = sum(map(tree_cpu_seconds, services)), time.perf_counter()
        for conversation_id, recording in zip(ids, recordings, strict=True):
            upload(client, recording, conversation_id)
        wait_done(client, ids)
        elapsed = time.perf_counter() - started
        cpu = sum(map(tree_cpu_seconds, services)) - cpu_before
    return {"seconds": round(elapsed, 1), "calls_per_hour": round(len(recordings) * 3600 / elapsed, 1),
            "cpu_s": round(cpu, 1), "calls_per_cpu_hour": round(len(recordings) * 3600 / cpu, 1)}


def run_mode(mode: str, recordings: list[Path], sentiment: bool) -> dict[str, Any]:
    """`in-process`, `celery-1` or `celery-2`, each on its own PostgreSQL database."""
    with tempfile.TemporaryDirectory() as folder:
        workers = 0 if mode == "in-process" else int(mode.rsplit("-", 1)[1])
        settings = Settings(data_dir=Path(folder), sentiment_enabled=sentiment,
                            database_url=database_url("postgresql", Path(folder)),
                            broker_url=REDIS if workers else None,
                            queue_name=f"bench-{uuid.uuid4().hex[:8]}")
        engine = open_database(settings)
        with session_scope(engine) as session:
            token = create_user(session, name="bench", role=UserRole.ADMIN)[1]
        port = free_port()
        server = start_server(settings, port, workers=1)
        worker = start_worker(settings, workers) if workers else None
        try:
            services = [process.pid for process in (server, worker) if process is not None]
            result = timed_calls(f"http://127.0.0.1:{port}", token, recordings, max(1, workers), services)
        finally:
            for process in (worker, server):
                if process is not None:
                    process.terminate()
                    process.wait()
            engine.dispose()
            drop_database(str(settings.database_url))
    return {"mode": mode, "calls": len(recordings), **result}


def run_audio(calls: int, sentiment: bool) -> list[dict[str, Any]]:
    """Every mode on the same `calls` recordings; prints one JSON line per mode and the ratio."""
    fixtures = sorted(FIXTURE_CALLS.glob("*.flac"))
    recordings = [fixtures[i % len(fixtures)] for i in range(calls)]
    results = []
    for mode in ("in-process", "celery-1", "celery-2"):
        results.append(run_mode(mode, recordings, sentiment))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    one, two = results[1]["calls_per_hour"], results[2]["calls_per_hour"]
    print(json.dumps({"scaling_2_workers_over_1": round(two / one, 2)}), flush=True)
    return results
