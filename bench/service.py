"""Service throughput and latency, on SQLite and PostgreSQL.

Prints, per database: chat conversations/s end to end (POST → job runner → `done`) with all
default rules, beside the bare pipeline (`Pipeline.inspect_conversation` in this process, no
HTTP, no database) as the baseline; and p50/p99 latency of `GET /api/conversations/{id}` under
concurrent load from a second process.

    python bench/service.py [--conversations 300] [--no-sentiment] [--backends sqlite postgresql]
                            [--no-baseline]
    python bench/service.py --audio [--calls 8]    # recordings: in-process vs Celery 1 and 2
                                                   # workers (bench/service_audio.py)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service_audio import run_audio  # noqa: E402
from service_helpers import database_url, drop_database, free_port, start_server  # noqa: E402

from api.runtime import open_database  # noqa: E402
from api.services.users import create_user  # noqa: E402
from api.settings import Settings  # noqa: E402
from inspection.loaders import conversation_from_dict, load_conversations  # noqa: E402
from inspection.pipeline import Pipeline, PipelineSettings  # noqa: E402
from models import session_scope  # noqa: E402
from models.enums import UNFINISHED, ConversationStatus, UserRole  # noqa: E402


def conversations(count: int) -> list[dict[str, Any]]:
    """`count` chat conversations made from the bundled examples, each with its own id."""
    folder = ROOT / "examples" / "conversations"
    templates = [c.model_dump(mode="json") for p in sorted(folder.iterdir())
                 for c in load_conversations(p)]
    out = []
    for i in range(count):
        body = dict(templates[i % len(templates)], id=f"bench-{uuid.uuid4().hex[:12]}")
        out.append(dict(body, channel="chat"))
    return out


def baseline_rate(bodies: list[dict[str, Any]], sentiment: bool) -> float:
    """Conversations/s through the pipeline alone (redaction, sentiment, rules, scoring), the
    model loaded before timing."""
    pipeline = Pipeline.from_settings(PipelineSettings(sentiment_enabled=sentiment))
    parsed = [conversation_from_dict(b, source="bench") for b in bodies]
    pipeline.inspect_conversation(parsed[0])  # load the sentiment model outside the timing
    start = time.perf_counter()
    for conversation in parsed:
        pipeline.inspect_conversation(conversation)
    return len(parsed) / (time.perf_counter() - start)


def end_to_end_rate(base: str, token: str, bodies: list[dict[str, Any]]) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    start = time.perf_counter()
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client, \
            ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda b: client.post("/api/conversations", json=b).raise_for_status(),
                      bodies))
        while any(client.get("/api/conversations", params={"status": s, "limit": 1}).json()
                  for s in UNFINISHED):
            time.sleep(0.2)
        failed = client.get("/api/conversations",
                            params={"status": ConversationStatus.FAILED, "limit": 1})
        assert not failed.json(), "some conversations failed"
    return len(bodies) / (time.perf_counter() - start)


def _latency_worker(base: str, token: str, ids: list[str], requests: int,
                    out: Any) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        def one(i: int) -> float:
            start = time.perf_counter()
            client.get(f"/api/conversations/{ids[i % len(ids)]}").raise_for_status()
            return time.perf_counter() - start

        with ThreadPoolExecutor(8) as pool:
            out.put(list(pool.map(one, range(requests))))


def latency(base: str, token: str, ids: list[str], requests: int = 1000) -> tuple[float, float]:
    queue: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_latency_worker, args=(base, token, ids, requests,
                                                                    queue))
    process.start()
    samples = sorted(queue.get())
    process.join()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.99) - 1] * 1000


def run_backend(backend: str, bodies: list[dict[str, Any]], sentiment: bool,
                job_workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), sentiment_enabled=sentiment,
                            job_workers=job_workers,
                            database_url=database_url(backend, Path(folder)))
        engine = open_database(settings)
        with session_scope(engine) as session:
            token = create_user(session, name="bench", role=UserRole.ADMIN)[1]
        port = free_port()
        server = start_server(settings, port)
        try:
            base = f"http://127.0.0.1:{port}"
            rate = end_to_end_rate(base, token, bodies)
            p50, p99 = latency(base, token, [b["id"] for b in bodies])
        finally:
            server.terminate()
            server.wait()
            engine.dispose()
            drop_database(str(settings.database_url))
    return {"backend": backend, "conversations_per_s": round(rate, 1),
            "get_p50_ms": round(p50, 1), "get_p99_ms": round(p99, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--no-sentiment", action="store_true")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the in-process pipeline baseline (quicker A/B runs)")
    parser.add_argument("--job-workers", type=int, default=Settings().job_workers,
                        help="in-process job threads per server process")
    parser.add_argument("--audio", action="store_true",
                        help="recordings instead: in-process jobs, Celery with 1 and 2 workers")
    parser.add_argument("--calls", type=int, default=8, help="with --audio: recordings per mode")
    args = parser.parse_args()
    if args.audio:
        run_audio(args.calls, sentiment=not args.no_sentiment)
        return
    bodies = conversations(args.conversations)
    if not args.no_baseline:
        base_rate = baseline_rate(bodies, sentiment=not args.no_sentiment)
        print(f"baseline (bare pipeline, in process): {base_rate:.1f} conversations/s")
    for backend in args.backends:
        result = run_backend(backend, bodies, not args.no_sentiment, args.job_workers)
        if not args.no_baseline:
            result["ratio_to_baseline"] = round(result["conversations_per_s"] / base_rate, 3)
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
