"""What the service builds once per process and shares: settings, the database engine, the
core `Pipeline` (rules loaded now; the sentiment model and whisper on first use), and the
agents already known to be stored.

Built in the FastAPI lifespan, in each Celery worker process on its first task, and by the
commands that touch the database (`zhijian users`, `zhijian audit`, `--load-examples`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from api.jobs.batching import SharedBatches
from api.settings import Settings
from inspection.pipeline import Pipeline
from inspection.scoring import ScoringPolicy
from models import make_engine, migrate, session_scope


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    pipeline: Pipeline
    known_agents: set[tuple[str, str | None]] = field(default_factory=set)
    """(agent, team) pairs committed by this process: later submissions skip their lookup."""

    @property
    def policy(self) -> ScoringPolicy:
        return self.pipeline.policy

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction (`models.session_scope`): committed at the end, rolled back on error."""
        with session_scope(self.engine) as session:
            yield session

    def warm_up(self) -> None:
        """Load the sentiment model now (server start), not inside the first request's job."""
        self.pipeline.load_sentiment()


def open_database(settings: Settings) -> Engine:
    """Connect (creating the data folder) and bring the schema to the newest revision."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return engine


def build_runtime(settings: Settings) -> Runtime:
    """Open the database and build the pipeline (loading the rule packs). Concurrent jobs
    share sentiment model calls (`SharedBatches`)."""
    pipeline = Pipeline.from_settings(settings.pipeline_settings(), share_sentiment=SharedBatches)
    return Runtime(settings=settings, engine=open_database(settings), pipeline=pipeline)
