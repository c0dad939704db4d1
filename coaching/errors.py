"""Errors raised by the coaching package (they join the `inspection.errors` hierarchy)."""

from __future__ import annotations

from inspection.errors import ZhijianError


class CoachingConfigError(ZhijianError):
    """A scorecard template, metric dictionary or skill catalogue YAML is malformed.

    The message names the file and, where known, the item (metric, template item, skill).
    """

    def __init__(self, source: str, problem: str, item: str | None = None) -> None:
        self.source = source
        self.item = item
        self.problem = problem
        where = f"{source}: {item}" if item else source
        super().__init__(f"{where}: {problem}")
