"""YAML for scene files that a hostile or careless file cannot turn into a hang, a crash or a silent surprise.

``yaml.safe_load`` alone expands aliases without limit (a 700-byte "billion laughs" file is a 10^9-node tree once
anything walks it), recurses once per nesting level (a few hundred levels are a ``RecursionError``) and lets a
repeated key silently replace the first. :func:`load_yaml` refuses all three with one :class:`UserError` each.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simvision.errors import UserError

MAX_DEPTH = 64  # nesting levels; the shipped scene files use 6
MAX_NODES = 100_000  # nodes once every alias is expanded; the shipped scene files have a few hundred
MERGE_TAG = "tag:yaml.org,2002:merge"


class _Refused(yaml.YAMLError):
    """A limit of this loader, raised from inside PyYAML and turned into a :class:`UserError` by the caller."""


class SceneLoader(yaml.SafeLoader):
    """SafeLoader with a nesting limit and duplicate keys refused (naming the key and its line)."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        # composing recurses once per level: stop well before Python's recursion limit
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels at line {mark.line + 1}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # a scalar PyYAML recognises but Python cannot build (a 5000-digit integer, the date 2020-13-45) raises a
        # bare ValueError: name its line instead
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as e:
            raise _Refused(
                f"value at line {node.start_mark.line + 1} cannot be read: {clip(str(e), 120)}"
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG or not isinstance(key_node, ScalarNode):
                continue  # merged keys may be overridden (that is what a merge is for)
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _Refused(
                    f"duplicate key {clip(repr(key), 80)} at line {line} (first given at line {seen[key]})"
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def expanded_size(root: Node, limit: int) -> int:
    """Nodes in the tree ``root`` stands for once every alias is expanded (an alias shares its anchor's node
    object); stops counting past ``limit``. Memoised per node, so a billion-laughs graph costs its text size."""
    memo: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in memo:
            continue
        if not done and id(node) in open_:
            raise _Refused("an alias refers to a node that contains it (a recursive structure)")
        kids: list[Node] = []
        if isinstance(node, SequenceNode):
            kids = list(node.value)
        elif isinstance(node, MappingNode):
            kids = [n for pair in node.value for n in pair]
        if not done:
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in memo)
            continue
        memo[id(node)] = min(limit + 1, 1 + sum(memo[id(k)] for k in kids))
    return memo[id(root)]


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely; raises :class:`yaml.YAMLError` for bad syntax and for these limits."""
    loader = SceneLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_size(node, MAX_NODES) > MAX_NODES:
            raise _Refused(f"aliases expand to more than {MAX_NODES} nodes (an alias bomb?)")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def clip(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters, so an error message never echoes a huge value."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def yaml_error_message(where: str, err: yaml.YAMLError) -> UserError:
    """One line for a YAML error: the file, where in it, and what is wrong."""
    if isinstance(err, _Refused):
        return UserError(f"{where}: refused: {err}")
    mark = getattr(err, "problem_mark", None)
    at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = clip(" ".join(str(getattr(err, "problem", None) or err).split()))
    return UserError(f"{where}: not valid YAML{at}: {problem}")
