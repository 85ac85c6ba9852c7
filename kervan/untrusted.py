"""Reading YAML and JSON that come from outside the node (a measure pasted or uploaded, a
measure or benefit file given to the CLI), bounded in size, depth and expansion.

YAML's aliases let a few hundred bytes stand for gigabytes (each level of ``*a`` repeats the
one before: the "billion laughs"), and nesting drives the parser's recursion; neither belongs
in a measure or a benefit file, so aliases are refused outright and nesting is capped. Errors
are ``yaml.YAMLError`` with a line, like any other syntax error, so callers report them the
way they report a missing colon.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import Node

#: Mappings and lists nested in each other; a measure file uses six or seven.
MAX_DEPTH = 64
#: The longest document read: a measure or a benefit file is a page of text, not a data set.
MAX_CHARS = 200_000


class RefusedYaml(ComposerError):
    """Valid YAML this node does not read: ``reason`` is ``alias`` or ``depth``."""

    def __init__(self, reason: str, problem: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)
        self.reason = reason


class _BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` (plain data only) that refuses aliases and deep nesting as it composes,
    before anything is expanded or built."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise RefusedYaml("alias", "aliases (*name) are not accepted here", mark)
        if self._depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise RefusedYaml("depth", f"nested more than {MAX_DEPTH} levels deep", mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str, *, max_chars: int = MAX_CHARS) -> Any:
    """One YAML document as plain data; ``yaml.YAMLError`` if it is too long, uses aliases,
    nests too deeply or is not YAML."""
    if len(text) > max_chars:
        raise yaml.YAMLError(f"the text is longer than {max_chars:,} characters")
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_json(text: str, *, max_chars: int = MAX_CHARS) -> Any:
    """One JSON document as plain data; ``ValueError`` if it is too long, nests too deeply or
    is not JSON."""
    if len(text) > max_chars:
        raise ValueError(f"the text is longer than {max_chars:,} characters")
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep") from None
    if _depth(data) > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    return data


def _depth(data: Any) -> int:
    """How deep lists and mappings nest, without recursing (a deep value must not crash the
    check meant to refuse it)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest
