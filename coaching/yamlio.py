"""Load a YAML data file into a pydantic model; errors name the file and the offending item.

A file is a `Traversable`: a `Path` the user gave, or package data found with
`importlib.resources` (the shipped templates and catalogue, in a checkout or an installed wheel).
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coaching.errors import CoachingConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_yaml_model(path: Traversable, model: type[ModelT]) -> ModelT:
    """Parse `path` as YAML and validate it as `model`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CoachingConfigError(str(path), f"cannot read YAML: {exc}") from exc
    return validate_model(raw, model, source=str(path))


def validate_model(raw: Any, model: type[ModelT], *, source: str) -> ModelT:
    """Validate parsed data; the first error names its item (e.g. `items[2] (csat_mean)`)."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        item = describe_location(raw, first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise CoachingConfigError(source, message + more, item) from None


def describe_location(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    """`items[2] (csat_mean).scoring.type`: the path, with each list item's name or id."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            name = _item_name(node)
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]" + (f" ({name})" if name else "")]
            continue
        if isinstance(node, dict) and key not in node:
            continue  # a discriminator tag, not a key of the file
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or None


def _item_name(node: Any) -> str | None:
    if isinstance(node, dict):
        for key in ("name", "id", "metric"):
            if isinstance(node.get(key), str):
                return str(node[key])
    return None
