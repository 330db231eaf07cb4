"""YAML loading that remembers line numbers, so schema errors can name file, line and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


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
    pass


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
    """Parse a YAML file; a syntax error becomes a one-line SchemaError with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(path, None, "", f"cannot read ({exc})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise SchemaError(path, line, "", f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SchemaError(path, None, "", f"invalid YAML: {exc}") from None


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
