"""YAML from someone else, parsed with limits checked *before* anything is built.

    safe_load_limited(text, loader=yaml.SafeLoader, limits=YamlLimits()) -> the loaded value

A safe loader cannot run code, but it can still be made to work without end: a 651-byte
"billion laughs" document — each anchor a list of ten aliases of the one before — stands for
10⁹ nodes, and everything that walks the result (validation, list expansion, JSON) walks them
all. So the document is first read as a stream of parser events (libyaml's C parser when
present: fast, and it builds nothing) and refused when it is too large, nests too deeply, uses
too many aliases, refers to an anchor that is still open (a recursive alias), or would expand to
more than `max_nodes` nodes once every alias is followed. Only then does `loader` build it.

A refusal raises `YamlLimitError`, a `yaml.YAMLError` with `problem` and `problem_mark` like
the parser's own errors, so callers that already report YAML errors report it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

EVENT_PARSER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlLimits:
    """How much a document may ask for. The defaults are far above any rule pack's needs."""

    max_bytes: int = 4 * 1024 * 1024
    max_aliases: int = 1_000
    max_nodes: int = 1_000_000  # after every alias is expanded
    max_depth: int = 64


class YamlLimitError(yaml.YAMLError):
    """A document over one of the `YamlLimits`."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def safe_load_limited(text: str, *, loader: type[Any] = yaml.SafeLoader,
                      limits: YamlLimits | None = None) -> Any:
    """`yaml.load(text, Loader=loader)` once `text` is known to be within `limits`; `loader`
    must be `yaml.SafeLoader` or a subclass (`TypeError` otherwise)."""
    if not issubclass(loader, yaml.SafeLoader):
        raise TypeError(f"{loader.__name__} is not a yaml.SafeLoader")
    check_limits(text, limits or YamlLimits())
    return yaml.load(text, Loader=loader)  # a SafeLoader: checked above


def check_limits(text: str, limits: YamlLimits) -> None:
    """Raise `YamlLimitError` for the first limit `text` breaks (parse errors stay the
    parser's own `yaml.YAMLError`)."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_bytes:
        raise YamlLimitError(f"YAML 过大：{size} 字节，上限 {limits.max_bytes} 字节")
    _Expansion(limits).run(text)


class _Expansion:
    """Counts, event by event, the nodes the document stands for with aliases expanded: a
    collection or scalar is one node, an alias as many as its anchor's node holds."""

    def __init__(self, limits: YamlLimits) -> None:
        self.limits = limits
        self.sizes: dict[str, int] = {}  # anchor → expanded size of its node
        self.open: list[tuple[str | None, int]] = []  # collections being read: (anchor, size)
        self.nodes = 0
        self.aliases = 0

    def run(self, text: str) -> None:
        for event in yaml.parse(text, Loader=EVENT_PARSER):
            if isinstance(event, yaml.CollectionStartEvent):
                self._count(1, event)
                self.open.append((event.anchor, 1))
                if len(self.open) > self.limits.max_depth:
                    raise YamlLimitError(f"YAML 嵌套超过 {self.limits.max_depth} 层",
                                         event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, size = self.open.pop()
                self._finished(anchor, size)
            elif isinstance(event, yaml.ScalarEvent):
                self._count(1, event)
                self._finished(event.anchor, 1)
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)

    def _alias(self, event: Any) -> None:
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            raise YamlLimitError(f"YAML 别名（alias）超过 {self.limits.max_aliases} 个",
                                 event.start_mark)
        size = self.sizes.get(event.anchor)
        if size is None:
            raise YamlLimitError(f"别名 *{event.anchor} 指向未定义或尚未结束（递归）的锚点",
                                 event.start_mark)
        self._count(size, event)
        self._finished(None, size)

    def _count(self, nodes: int, event: Any) -> None:
        self.nodes += nodes
        if self.nodes > self.limits.max_nodes:
            raise YamlLimitError(
                f"YAML 展开后超过 {self.limits.max_nodes} 个节点（别名 alias 展开过多）",
                event.start_mark)

    def _finished(self, anchor: str | None, size: int) -> None:
        """A node of `size` is complete: remember its anchor's size, add it to its parent."""
        if anchor is not None:
            self.sizes[anchor] = size
        if self.open:
            parent_anchor, parent_size = self.open[-1]
            self.open[-1] = (parent_anchor, parent_size + size)
