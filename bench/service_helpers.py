"""What the service benchmarks share: a free port, a benchmark database, starting the server
and a Celery worker, logging in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from api.settings import Settings

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
WORKERS = 2  # one server process per core


def service_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a `zhijian serve` or `zhijian worker` these settings."""
    env = {**os.environ, "ZHIJIAN_DATA_DIR": str(settings.data_dir),
           "ZHIJIAN_DATABASE_URL": str(settings.database_url),
           "ZHIJIAN_SENTIMENT_ENABLED": str(settings.sentiment_enabled).lower(),
           "ZHIJIAN_JOB_WORKERS": str(settings.job_workers), "ZHIJIAN_QUEUE_NAME": settings.queue_name,
           "HF_HUB_OFFLINE": "1"}
    if settings.broker_url:
        env["ZHIJIAN_BROKER_URL"] = settings.broker_url
    return env


def start_worker(settings: Settings, concurrency: int) -> subprocess.Popen[bytes]:
    """Start `zhijian worker` (Celery, prefork) and return once it is ready for tasks."""
    log = settings.data_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([sys.executable, "-m", "zhijian", "worker", "--concurrency",
                                   str(concurrency)], env=service_env(settings),
                                  stdout=output, stderr=subprocess.STDOUT)
    for _ in range(1200):
        if "ready." in log.read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            break
        time.sleep(0.1)
    worker.terminate()
    raise RuntimeError(f"worker did not start: {log.read_text(errors='replace')[-2000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(backend: str, folder: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}"
    name = f"zhijian_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    """Remove the benchmark's own PostgreSQL database (SQLite files go with the temp dir)."""
    if url.startswith("postgresql"):
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[-1]}" WITH (FORCE)')


def start_server(settings: Settings, port: int, workers: int = WORKERS) -> subprocess.Popen[bytes]:
    """Start `zhijian serve` and return once every worker process has finished its startup
    (model loaded): the first worker answering /healthz does not mean the others are ready,
    and a worker still loading would be timed as part of the throughput."""
    env = service_env(settings)
    log = settings.data_dir / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "zhijian", "serve", "--port",
                                   str(port), "--workers", str(workers)], env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    for _ in range(600):
        if log.read_text(errors="replace").count("Application startup complete") >= workers:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).raise_for_status()
            return server
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')[-2000:]}")
