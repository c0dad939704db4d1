"""The domain error hierarchy. `api/` maps these to HTTP statuses in one place; the CLI to exit 2."""

from __future__ import annotations


class ZhijianError(Exception):
    """Base of every error zhijian raises on purpose. The message is shown to the user as is."""


class InvalidInputError(ZhijianError):
    """A conversation, ticket or audio file the user gave us cannot be used."""

    def __init__(self, source: str, problem: str, location: str | None = None) -> None:
        self.source = source
        self.location = location
        self.problem = problem
        where = f"{source}: {location}" if location else source
        super().__init__(f"{where}: {problem}")


class ConversationFormatError(InvalidInputError):
    """A conversation JSON or chat CSV file is malformed."""


class AudioError(InvalidInputError):
    """An audio file is empty, corrupt, too long or in an unsupported format."""


class RuleConfigError(ZhijianError):
    """A rule pack is malformed. The message names the file and, where known, the rule id."""

    def __init__(self, source: str, problem: str, rule_id: str | None = None) -> None:
        self.source = source
        self.rule_id = rule_id
        self.problem = problem
        where = f"{source}: rule {rule_id}" if rule_id else source
        super().__init__(f"{where}: {problem}")


class ModelLoadError(ZhijianError):
    """A model directory (whisper, sentiment) is missing or unusable."""
