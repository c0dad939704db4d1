"""Load rule packs from YAML: validate every rule, expand word lists, reject duplicates.

Any problem raises `RuleConfigError` naming the file and the rule id. The bundled packs are
the package data of the top-level `rules` package, found with `importlib.resources`, so an
installed wheel finds them outside the checkout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from inspection.engine.entities import ENTITY_NAMES, entity_name
from inspection.engine.registry import CONDITION_ADAPTER
from inspection.engine.schema import RULE_HEADER_FIELDS, PackFile, Rule, RuleHeader
from inspection.errors import RuleConfigError
from inspection.types import Role
from inspection.yaml_safety import safe_load_limited

# The bundled packs (a `Path` in a checkout or an unpacked wheel).
DEFAULT_RULES_DIR: Traversable = files("rules")
RULE_FILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RuleSet:
    """All loaded rules plus the per-category deduction caps the packs declare."""

    rules: tuple[Rule, ...]
    category_caps: dict[str, float] = field(default_factory=dict)
    packs: tuple[str, ...] = ()

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    @cached_property
    def sentiment_roles(self) -> frozenset[Role]:
        """The roles whose turns need sentiment: those any rule's sentiment conditions read
        (`Rule.sentiment_roles`), plus always the customer's, which coaching reads."""
        coaching: frozenset[Role] = frozenset({"customer"})
        return coaching.union(*(rule.sentiment_roles for rule in self.rules))


def rule_files(directory: Traversable) -> list[Traversable]:
    """The `*.yaml` / `*.yml` files directly in `directory`, by name."""
    if not directory.is_dir():
        raise RuleConfigError(str(directory), "规则目录不存在 (rules directory not found)")
    found = sorted((entry for entry in directory.iterdir()
                    if entry.name.endswith(RULE_FILE_SUFFIXES) and entry.is_file()),
                   key=lambda entry: entry.name)
    if not found:
        raise RuleConfigError(str(directory), "目录中没有 .yaml 规则文件 (no rule files)")
    return found


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load every `*.yaml` pack in `directory` (default: the bundled packs)."""
    return load_rule_files(rule_files(Path(directory) if directory else DEFAULT_RULES_DIR))


def load_rule_files(paths: Iterable[Traversable]) -> RuleSet:
    rules: list[Rule] = []
    caps: dict[str, float] = {}
    packs: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        pack = _read_pack(path)
        _refuse_entity_list_names(pack, str(path))
        packs.append(pack.pack)
        caps.update({str(category): cap for category, cap in pack.category_caps.items()})
        for raw in pack.rules:
            rule = _build_rule(raw, pack.lists, str(path))
            if rule.id in seen:
                raise RuleConfigError(str(path), f"规则 id 重复（已在 {seen[rule.id]} 中定义）",
                                      rule.id)
            seen[rule.id] = str(path)
            rules.append(rule)
    return RuleSet(rules=tuple(rules), category_caps=caps, packs=tuple(packs))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping: plain YAML lets the last
    one win silently (a second `role:` in a rule would quietly change what it inspects)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str | int | float | bool):
            continue  # an odd key (a list, a mapping): the schema rejects it later
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"键 {key!r} 重复 (duplicate key)", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _read_pack(path: Traversable) -> PackFile:
    source = str(path)
    try:
        data = safe_load_limited(path.read_text(encoding="utf-8"), loader=_UniqueKeyLoader)
    except UnicodeDecodeError:
        raise RuleConfigError(source, "文件不是 UTF-8 编码") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RuleConfigError(source, f"YAML 语法错误{where}: {getattr(exc, 'problem', exc)}"
                              ) from None
    if not isinstance(data, dict):
        raise RuleConfigError(source, "顶层应为映射，包含 pack 与 rules")
    try:
        return PackFile.model_validate(data)
    except ValidationError as exc:
        raise RuleConfigError(source, _describe(exc)) from None


def _build_rule(raw: dict[str, Any], lists: dict[str, list[str]], source: str) -> Rule:
    rule_id = str(raw.get("id", "?"))
    expanded = _expand_lists(raw, lists, source, rule_id)
    header_data = {k: v for k, v in expanded.items() if k in RULE_HEADER_FIELDS}
    condition_data = {k: v for k, v in expanded.items() if k not in RULE_HEADER_FIELDS}
    try:
        header = RuleHeader.model_validate(header_data)
        condition = CONDITION_ADAPTER.validate_python(condition_data)
        applies = header.applies_when.condition if header.applies_when else None
        applies_condition = CONDITION_ADAPTER.validate_python(applies) if applies else None
    except ValidationError as exc:
        raise RuleConfigError(source, _describe(exc), rule_id) from None
    return Rule(header=header, condition=condition, source=source,
                applies_condition=applies_condition)


def _refuse_entity_list_names(pack: PackFile, source: str) -> None:
    """Entity class names ("@amount") are reserved: a list of that name would be ambiguous.
    The error names the first rule that uses the list, if any."""
    for name in pack.lists:
        if name in ENTITY_NAMES:
            user = next((str(raw.get("id", "?")) for raw in pack.rules
                         if _holds_item(raw, f"@{name}")), None)
            raise RuleConfigError(source, f"词表名 @{name} 与实体类重名，请改名（保留名："
                                  f"{'、'.join(sorted(ENTITY_NAMES))}）", user)


def _holds_item(value: Any, item: str) -> bool:
    """Whether `item` is an element of a list anywhere in a rule's raw data."""
    if isinstance(value, dict):
        return any(_holds_item(v, item) for v in value.values())
    if isinstance(value, list):
        return item in value or any(_holds_item(v, item) for v in value)
    return False


def _expand_lists(value: Any, lists: dict[str, list[str]], source: str, rule_id: str) -> Any:
    """Replace "@name" items in any list by the words of the pack's list `name`; entity items
    ("@amount", `inspection.engine.entities`) stay as they are, for the phrase matcher."""
    if isinstance(value, dict):
        return {k: _expand_lists(v, lists, source, rule_id) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("@") and not entity_name(item):
                if item[1:] not in lists:
                    raise RuleConfigError(source, f"未定义的词表 {item}", rule_id)
                out.extend(lists[item[1:]])
            else:
                out.append(_expand_lists(item, lists, source, rule_id))
        return out
    return value


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error["loc"])
    if error["type"] == "union_tag_invalid":
        return f"未知的规则类型 {error['input'].get('type')!r} (unknown type): {error['msg']}"
    if error["type"] == "union_tag_not_found":
        return "缺少 type 字段 (missing type)"
    return f"{location}: {error['msg']}" if location else error["msg"]
