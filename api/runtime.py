"""What the service builds once per process and shares: settings, the database engine, the
core `Pipeline` (rules loaded now; the sentiment model and whisper on first use), and the
agents already known to be stored.

Built in the FastAPI lifespan, in each Celery worker process on its first task, and by the
commands that touch the database (`zhijian users`, `zhijian audit`, `--load-examples`).

The pipeline runs the *published* rule-pack version (`models.rule_versions`). Publishing swaps
the pipeline of this process at once (`use_rules`); every job asks `current_rules()`, which
notices a version published by another process (one indexed read) and swaps too. A swap
replaces the whole `Pipeline` object under a lock, so a job holds one consistent pipeline and
version from start to end.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from api.jobs.batching import SharedBatches
from api.settings import Settings
from inspection.engine import RuleSet
from inspection.pipeline import Pipeline
from inspection.rule_packs import pipeline_with_rules, read_rule_texts
from inspection.scoring import ScoringPolicy
from models import make_engine, migrate, session_scope
from models.audit import CheckpointLog
from models.repository.audit import install_checkpoints
from models.repository.rule_packs import (
    ensure_first_version,
    get_version,
    published_version_number,
    ruleset_of,
)

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    pipeline: Pipeline
    known_agents: set[str] = field(default_factory=set)
    """Agents whose record this process has committed: later submissions skip their lookup."""
    rules_version: int | None = None
    """The published rule-pack version `pipeline` runs (None before the database is read)."""
    _rules_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _other_rules: tuple[int, Pipeline] | None = field(default=None, repr=False)

    @property
    def policy(self) -> ScoringPolicy:
        return self.pipeline.policy

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction (`models.session_scope`): committed at the end, rolled back on error."""
        with session_scope(self.engine) as session:
            yield session

    def current_rules(self) -> tuple[Pipeline, int | None]:
        """The pipeline of the published rule version and its number, swapping first when
        another process published a newer one."""
        with self.session() as session:
            published = published_version_number(session)
            if published is not None and published != self.rules_version:
                self.use_rules(ruleset_of(get_version(session, version=published)), published)
        with self._rules_lock:
            return self.pipeline, self.rules_version

    def pipeline_for(self, version: int) -> Pipeline:
        """A pipeline over rule `version` (the current one, or an older or newer stored one,
        kept for the next call: a re-inspection asks once per conversation)."""
        pipeline, current = self.current_rules()
        if version == current:
            return pipeline
        other = self._other_rules
        if other is None or other[0] != version:
            with self.session() as session:
                rules = ruleset_of(get_version(session, version=version))
            other = (version, pipeline_with_rules(pipeline, rules))
            self._other_rules = other
        return other[1]

    def use_rules(self, rules: RuleSet, version: int) -> None:
        """Run `rules` (published as `version`) from now on; jobs already running finish with
        the pipeline they hold."""
        with self._rules_lock:
            if version != self.rules_version:
                self.pipeline = pipeline_with_rules(self.pipeline, rules)
                self.rules_version = version
                logger.info("规则版本 %d 生效", version)

    def warm_up(self) -> None:
        """Load the sentiment model now (server start), not inside the first request's job."""
        self.pipeline.load_sentiment()


def open_database(settings: Settings) -> Engine:
    """Connect (creating the data folder), bring the schema to the newest revision, and write
    audit checkpoints as the log grows."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    install_checkpoints(engine, audit_checkpoints(settings), every=settings.audit_checkpoint_every)
    return engine


def audit_checkpoints(settings: Settings) -> CheckpointLog:
    """The signed audit checkpoints and their key, outside the database."""
    return CheckpointLog(settings.resolved_audit_checkpoint_file, settings.resolved_audit_key_file)


def build_runtime(settings: Settings) -> Runtime:
    """Open the database and build the pipeline (loading the rule packs). Concurrent jobs
    share sentiment model calls (`SharedBatches`)."""
    pipeline = Pipeline.from_settings(settings.pipeline_settings(), share_sentiment=SharedBatches)
    runtime = Runtime(settings=settings, engine=open_database(settings), pipeline=pipeline)
    install_published_rules(runtime)
    return runtime


def install_published_rules(runtime: Runtime) -> None:
    """At the first start the packs on disk become version 1; afterwards the published version
    runs (the packs on disk are then only where version 1 came from)."""
    with runtime.session() as session:
        files = read_rule_texts(runtime.settings.rules_dir)
        published = ensure_first_version(session, files=files,
                                         rules=len(runtime.pipeline.rules.rules))
        same = published.files == files
        rules = runtime.pipeline.rules if same else ruleset_of(published)
        version = published.version
    if not same:
        logger.warning("运行已发布的规则版本 %d；磁盘上的规则包与它不同，如需使用请在规则版本页"
                       "上传并试运行后发布（docs/rules.md）", version)
    runtime.use_rules(rules, version)
