"""YAML loading that remembers line numbers, so schema errors can name file, line and key.

Every YAML file claimcheck reads goes through ``load_yaml`` (or ``load_yaml_text``), which
is bounded: the file must be a regular file of at most MAX_YAML_BYTES (a FIFO would block
the read, ``/dev/zero`` never ends), nested at most MAX_YAML_DEPTH levels, and with aliases
expanded it may hold at most MAX_YAML_NODES nodes -- a kilobyte of nested anchors ("billion
laughs") otherwise expands to gigabytes in whatever walks the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from claimcheck.core.fileio import read_regular

MAX_YAML_BYTES = 10 * 1024 * 1024
MAX_YAML_DEPTH = 100
MAX_YAML_NODES = 1_000_000  # with aliases expanded; the largest bundled file holds about 4,000


class SchemaError(Exception):
    """A data file that breaks its schema. ``str()`` is ``file:line: key: message``."""

    def __init__(self, path: str | Path, line: int | None, key: str, message: str) -> None:
        self.path, self.line, self.key, self.message = str(path), line, key, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


class LineDict(dict):
    """A mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list[int]


# libyaml's parser (PyYAML's wheels ship it) reads the rule files several times faster than the
# pure-Python one and gives the same nodes, marks included; the pure-Python one is the fallback.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        check_expansion(node)
        return self.construct_document(node)


class ExpansionError(yaml.YAMLError):
    """A document too deep, recursive, or too large once its aliases are expanded."""

    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.message, self.mark = message, mark


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_expansion(root: yaml.Node, max_nodes: int = MAX_YAML_NODES, max_depth: int = MAX_YAML_DEPTH) -> int:
    """How many nodes the document has with every alias expanded (each node counted once
    per path to it), computed in linear time over the distinct nodes; ExpansionError past
    ``max_nodes`` or ``max_depth``, or for an alias inside its own anchor."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the path from the root: meeting one again is a cycle
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > max_nodes:
                raise ExpansionError(f"over {max_nodes:,} nodes once aliases are expanded", node.start_mark)
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise ExpansionError("an alias refers to a node that contains it", node.start_mark)
        if depth > max_depth:
            raise ExpansionError(f"nested more than {max_depth} levels deep", node.start_mark)
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str | Path) -> Any:
    """Parse a YAML file; a syntax error becomes a one-line SchemaError with its line. The
    file must be a regular file of at most MAX_YAML_BYTES (links to one are followed)."""
    path = Path(path)
    try:
        data = read_regular(path, MAX_YAML_BYTES)
    except OSError as exc:
        raise SchemaError(path, None, "", f"cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(path, None, "", f"cannot read (not UTF-8 at byte {exc.start})") from None
    return load_yaml_text(text, path)


def load_yaml_text(text: str, path: str | Path = "<yaml>") -> Any:
    """Parse YAML text with the same limits as ``load_yaml``; errors name ``path``."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except ExpansionError as exc:
        raise SchemaError(path, exc.mark.line + 1 if exc.mark else None, "", f"refused: {exc.message}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join((exc.problem or exc.context or "invalid YAML").split())
        raise SchemaError(path, line, "", f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SchemaError(path, None, "", f"invalid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise SchemaError(path, None, "", f"refused: nested more than {MAX_YAML_DEPTH} levels deep") from None


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """The line of a key in a LineDict (or an item in a LineList), if known."""
    if isinstance(node, LineDict):
        return node.line_of(str(key)) if key is not None else node.line
    if isinstance(node, LineList):
        if isinstance(key, int) and 0 <= key < len(node.item_lines):
            return node.item_lines[key]
        return node.line
    return None


def require(node: Any, key: str, kind: type | tuple[type, ...], path: str | Path, where: str) -> Any:
    """Fetch a required key of a given type or raise a SchemaError naming it."""
    if not isinstance(node, dict):
        raise SchemaError(path, line_of(node), where, "expected a mapping")
    if key not in node:
        raise SchemaError(path, line_of(node), f"{where}.{key}" if where else key, "missing")
    value = node[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SchemaError(
            path,
            line_of(node, key),
            f"{where}.{key}" if where else key,
            f"expected {names}, got {type(value).__name__}",
        )
    return value


def check_keys(node: dict, allowed: set[str], path: str | Path, where: str) -> None:
    for key in node:
        if key not in allowed:
            raise SchemaError(
                path,
                line_of(node, key),
                f"{where}.{key}" if where else str(key),
                "unknown key (allowed: " + ", ".join(sorted(allowed)) + ")",
            )
