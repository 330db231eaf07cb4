"""Project configuration: ``[tool.claimcheck]`` in pyproject.toml or a ``claimcheck.toml``.

Why: CI users expect ruff's model (closest config file wins, the command line beats the
file, unknown keys are errors) and proselint's "dump-config" answer to "why isn't my
setting applied" -- so every value remembers where it came from.

Keys (TOML spelling; the snake_case spelling is accepted too): evidence, select, ignore,
per-file-ignores, include, exclude, fail-on, min-confidence, format (alias output-format),
min-verdict.

Rule selection (``rule_enabled``): a code is enabled when the longest entry of ``select``
that is a prefix of it is longer than the longest such entry of ``ignore``; at equal
length ``ignore`` wins, and a code no ``select`` entry covers is off. So
``select = ["CC"], ignore = ["CC1"]`` turns off CC101..CC103, while
``ignore = ["CC1"], select = ["CC", "CC101"]`` keeps CC101. ``per-file-ignores`` then
turns codes off for matching files regardless of ``select``.

Globs (``include``, ``exclude``, ``per-file-ignores``) match the path relative to the
config file's folder, with forward slashes: ``*`` and ``?`` stay within one folder, ``**``
spans folders (``**/`` may match none), in ``exclude`` and ``per-file-ignores`` a pattern
matching a leading folder covers everything under it, and a pattern without ``/`` is also
tried on every path component (so ``drafts`` excludes any ``drafts/`` folder); in
``include`` a pattern without ``/`` is tried on the file name (``*.txt`` at any depth). The
default ``include`` is every suffix a folder walk reads (claimcheck.ingest.discovery), in
any case.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimcheck.core.fileio import read_regular
from claimcheck.core.globs import GlobError, compile_glob
from claimcheck.core.rule_codes import SELECTOR as CODE_RE  # a rule code or prefix
from claimcheck.ingest.discovery import CHECKED_SUFFIXES
from claimcheck.report import FORMATS  # one list: a format is valid here once it can be rendered

FAIL_ON = ("unsupported", "mixed", "any", "never")
MIN_VERDICT = ("supported", "mixed", "unsupported")
# Every suffix a folder walk picks up (claimcheck.ingest.discovery), so that without an
# include list of its own a project checks what the Python API checks.
DEFAULT_INCLUDE = [f"**/*{suffix}" for suffix in CHECKED_SUFFIXES]


class ConfigError(Exception):
    """A bad configuration file; the message is one line naming the file and the key."""


@dataclass
class Config:
    evidence: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=lambda: ["CC"])
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=list)
    fail_on: str = "unsupported"
    min_confidence: float = 0.0
    format: str = "text"
    min_verdict: str = "mixed"  # findings below it are not listed (json and html list all)
    sources: dict[str, str] = field(default_factory=lambda: dict.fromkeys(_FIELDS, "default"))
    root: Path | None = None  # the config file's folder: globs are relative to it
    path: Path | None = None  # the config file itself


_FIELDS = [f.name for f in dataclasses.fields(Config) if f.name not in ("sources", "root", "path")]
TOML_NAME = {f: f.replace("_", "-") for f in _FIELDS}
# TOML key -> dataclass field, for every accepted spelling.
_KEYS = {f: f for f in _FIELDS} | {k: f for f, k in TOML_NAME.items()}
_KEYS |= {"output-format": "format", "output_format": "format"}


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _has_tool_table(path: Path) -> bool:
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except OSError:
        return False
    if b"claimcheck" not in data:  # cheap: don't parse (or fail on) other tools' pyproject files
        return False
    return "claimcheck" in _read_toml(path).get("tool", {})


def find_config(start: Path) -> Path | None:
    """The closest claimcheck.toml, or pyproject.toml with [tool.claimcheck], at or above start."""
    try:
        start = Path(start).resolve()
    except (OSError, RuntimeError):  # a symlink loop: the file itself will get the error
        start = Path(os.path.abspath(start))
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "claimcheck.toml"
        if own.is_file():
            return own
        py = candidate / "pyproject.toml"
        if py.is_file() and _has_tool_table(py):
            return py
    return None


MAX_CONFIG_BYTES = 1024 * 1024


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's data; ConfigError (one line naming the file) for anything unreadable:
    not a regular file, over MAX_CONFIG_BYTES, not UTF-8, invalid or absurdly nested."""
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_display(path)}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_display(path)}: not UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise ConfigError(f"{_display(path)}: invalid TOML: nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{_display(path)}: cannot read ({exc.strerror or exc})") from None


def _str_list(value: Any, where: str, codes: bool = False) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {_toml(value)}")
    if codes:
        for i, v in enumerate(value):
            if not CODE_RE.match(v.strip().upper()):
                raise ConfigError(f"{where}[{i}]: {v!r} is not a rule code or prefix (like CC, CC1, CC101)")
        return [v.strip().upper() for v in value]
    return list(value)


def _validate(name: str, value: Any, where: str, base: Path) -> Any:
    """Check one value's type and range; return it converted to the dataclass type."""
    if name == "evidence":
        return [(base / p).resolve() for p in _str_list(value, where)]
    if name in ("select", "ignore"):
        return _str_list(value, where, codes=True)
    if name in ("include", "exclude"):
        return _globs(_str_list(value, where), where)
    if name == "per_file_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table of glob = [codes], got {_toml(value)}")
        for glob in value:
            try:
                compile_glob(glob.strip().removeprefix("./").rstrip("/"))
            except GlobError as exc:
                raise ConfigError(f"{where}.{json.dumps(glob)}: {exc}") from None
        return {glob: _str_list(codes, f"{where}.{json.dumps(glob)}", codes=True) for glob, codes in value.items()}
    if name in ("fail_on", "format", "min_verdict"):
        allowed = {"fail_on": FAIL_ON, "format": FORMATS, "min_verdict": MIN_VERDICT}[name]
        if not isinstance(value, str) or value not in allowed:
            raise ConfigError(f"{where}: {_toml(value)} is not one of {', '.join(allowed)}")
        return value
    if name == "min_confidence":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            raise ConfigError(f"{where}: expected a number from 0 to 1, got {_toml(value)}")
        return float(value)
    raise AssertionError(name)


def load_config(path: Path | None) -> Config:
    """Read one config file (None gives the defaults). Raises ConfigError on any problem."""
    if path is None:
        return Config()
    path = Path(path).resolve()
    data = _read_toml(path)
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("claimcheck", {})
        prefix = "tool.claimcheck."
        if not isinstance(data, dict):
            raise ConfigError(f"{_display(path)}: tool.claimcheck: expected a table")
    config = Config(root=path.parent, path=path)
    seen: dict[str, str] = {}
    for key, value in data.items():
        where = f"{_display(path)}: {prefix}{key}"
        name = _KEYS.get(key)
        if name is None:
            raise ConfigError(f"{where}: unknown key (known: {', '.join(TOML_NAME.values())})")
        if name in seen:
            raise ConfigError(f"{where}: same setting as {prefix}{seen[name]}; give it once")
        seen[name] = key
        setattr(config, name, _validate(name, value, where, path.parent))
        config.sources[name] = f"{_display(path)}:{prefix}{key}"
    return config


def with_overrides(config: Config, source: str = "command line", **values: Any) -> Config:
    """A copy with command-line values applied (None means "not given"), validated like the file's."""
    new = dataclasses.replace(config, sources=dict(config.sources))
    for name, value in values.items():
        if name not in _FIELDS:
            raise TypeError(f"unknown config field {name!r}")
        if value is None:
            continue
        if name == "evidence":  # command-line folders are relative to the working directory
            value = [str(p) for p in value]
        setattr(new, name, _validate(name, value, f"{source}: {TOML_NAME[name]}", Path.cwd()))
        new.sources[name] = source
    return new


class ConfigResolver:
    """One Config per config file, found per checked path (closest wins) unless --config is given."""

    def __init__(self, explicit: Path | None = None, **overrides: Any) -> None:
        self.explicit = explicit
        self.overrides = overrides
        self._loaded: dict[Path | None, Config] = {}
        self._by_folder: dict[str, Path | None] = {}  # a folder's closest config file

    def for_path(self, path: str | Path) -> Config:
        if self.explicit is not None:
            found = self.explicit
        elif os.path.islink(path) or os.path.isdir(path):
            found = find_config(Path(path))
        else:
            # Files of one folder share its answer: one walk up per folder, not per file.
            folder = os.path.dirname(os.path.abspath(path))
            if folder not in self._by_folder:
                self._by_folder[folder] = find_config(Path(folder))
            found = self._by_folder[folder]
        if found not in self._loaded:
            self._loaded[found] = with_overrides(load_config(found), **self.overrides)
        return self._loaded[found]


# --- using a configuration ---------------------------------------------------------------


def _longest(prefixes: list[str], code: str) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def _relative(path: str | Path, root: Path | None, resolved: Path | None = None) -> str:
    """The path relative to root (default: the working directory), with forward slashes.
    ``resolved``: the path already resolved by the caller (saves the file system walk)."""
    p = Path(path)
    with contextlib.suppress(ValueError, OSError, RuntimeError):
        p = (resolved or p.resolve()).relative_to((root or Path.cwd()).resolve())
    text = p.as_posix()
    return text[2:] if text.startswith("./") else text


def glob_match(pattern: str, relpath: str, folders: bool = True) -> bool:
    """Whether a config glob matches a relative, forward-slash path (rules in the module doc).

    folders=False (used for include) matches files only: the whole path, or for a pattern
    without "/" the file name."""
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    if compile_glob(pattern, folders).match(relpath):
        return True
    if "/" not in pattern:
        parts = relpath.split("/")
        return any(compile_glob(pattern, False).match(part) for part in (parts if folders else parts[-1:]))
    return False


def _globs(patterns: list[str], where: str) -> list[str]:
    """Globs checked once, when the configuration is read: a bad one is a ConfigError naming it."""
    for i, pattern in enumerate(patterns):
        try:
            compile_glob(pattern.strip().removeprefix("./").rstrip("/"))
        except GlobError as exc:
            raise ConfigError(f"{where}[{i}]: {exc}") from None
    return patterns


def rule_enabled(config: Config, code: str, path: str | Path | None = None) -> bool:
    """Whether findings of this code are reported for this file (see the module doc)."""
    code = code.upper()
    selected, ignored = _longest(config.select, code), _longest(config.ignore, code)
    if selected < 0 or ignored >= selected:
        return False
    if path is not None and config.per_file_ignores:
        rel = _relative(path, config.root)
        for glob, codes in config.per_file_ignores.items():
            if _longest(codes, code) >= 0 and glob_match(glob, rel):
                return False
    return True


def is_included(config: Config, path: str | Path, root: Path | None = None, resolved: Path | None = None) -> bool:
    """Whether a file found by walking a folder is checked: matches include, not exclude.
    The default include is every checked suffix in any case (``page.HTM`` too), as the walk
    itself reads them; globs a configuration gives are case-sensitive."""
    rel = _relative(path, root if root is not None else config.root, resolved)
    if any(glob_match(g, rel) for g in config.exclude):
        return False
    if config.include == DEFAULT_INCLUDE:
        return Path(path).suffix.lower() in CHECKED_SUFFIXES
    return any(glob_match(g, rel, folders=False) for g in config.include)


def _toml(value: Any) -> str:
    if isinstance(value, Path):
        return json.dumps(str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def describe(config: Config) -> str:
    """The merged configuration, one line per key: ``key = value  (from source)``."""
    return "\n".join(
        f"{TOML_NAME[n]} = {_toml(getattr(config, n))}  (from {config.sources.get(n, 'default')})" for n in _FIELDS
    )
