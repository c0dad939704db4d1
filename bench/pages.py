"""Team and agent page time, and SQL statements per page, on a loaded demo month.

    python -m bench.pages DATA_DIR [--repeat 5] [--per-conversation]

DATA_DIR holds a service database with the demo month loaded (`zhijian serve --load-demo
examples/demo/` with ZHIJIAN_DATA_DIR=DATA_DIR, or `api.demo.load_demo`). Each page is fetched
`--repeat` times with an admin's bearer token through the in-process TestClient (no network);
the figures are the median and minimum wall and CPU seconds, and the statements counted with
SQLAlchemy's `before_cursor_execute` event. `--per-conversation` swaps in the former
`stored_inspections` (two queries per conversation) to measure what the pages cost before.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

import api.services.coaching as coaching_service
from api.http.app import create_app
from api.services.users import create_user
from api.settings import Settings
from coaching.metrics import Inspected
from inspection.scoring import ScoringPolicy
from models import Conversation, session_scope
from models.enums import ConversationStatus
from models.queries import findings_of, utterances_of
from models.repository.conversations import core_conversation
from models.repository.results import current_result

PAGES = ("/team", "/team?team=财富营销组", "/agents/A211", "/agents/A201")


def per_conversation(session: Session, policy: ScoringPolicy) -> list[Inspected]:
    """The former `stored_inspections`: two queries per conversation."""
    rows = session.exec(select(Conversation).where(
        Conversation.status == ConversationStatus.DONE)).all()
    return [(core_conversation(row, utterances_of(session, conversation_id=row.id)),
             current_result(row, findings_of(session, conversation_id=row.id), policy))
            for row in rows]


def measure(client: TestClient, token: str, path: str, repeat: int) -> dict[str, Any]:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    walls, cpus, counts = [], [], []
    for _ in range(repeat):
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        event.remove(engine, "before_cursor_execute", record)
        counts.append(len(statements))
        assert response.status_code == 200, (path, response.status_code, response.text[:200])
    return {"path": path, "wall_median": statistics.median(walls), "wall_min": min(walls),
            "cpu_median": statistics.median(cpus), "statements": max(counts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-conversation", action="store_true")
    args = parser.parse_args()
    if args.per_conversation:
        coaching_service.stored_inspections = per_conversation
    settings = Settings(data_dir=args.data_dir, sentiment_enabled=False, job_workers=1)
    app = create_app(settings)
    with TestClient(app) as client:
        with session_scope(app.state.runtime.engine) as session:
            token = create_user(session, name="bench-pages", role="admin")[1]
            done = len(session.exec(select(Conversation.id).where(
                Conversation.status == ConversationStatus.DONE)).all())
        mode = "per conversation (before)" if args.per_conversation else "fixed queries (after)"
        print(f"{done} finished conversations; stored_inspections: {mode}")
        for path in PAGES:
            m = measure(client, token, path, args.repeat)
            print(f"{m['path']:<24} wall median {m['wall_median']:.3f} s (min {m['wall_min']:.3f})"
                  f"  cpu {m['cpu_median']:.3f} s  statements {m['statements']}")


if __name__ == "__main__":
    main()
