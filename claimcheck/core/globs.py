"""Glob matching in linear time, for the include/exclude/per-file-ignores globs of a config.

Why not a regular expression: translated to ``re``, a pattern such as ``**a**a**a**b``
becomes ``.*a.*a.*a.*b``, and Python's backtracking matcher takes time exponential in the
number of stars on a long name that nearly matches (seconds at 30 characters). Here a glob
is a small automaton and a path is read once, keeping the set of states it can be in: the
time is at most (pattern length x path length), whatever the pattern.

Syntax (the rules are in config.py's module doc): ``*`` and ``?`` stay within one folder,
``**`` spans folders, ``**/`` may match no folder at all, ``[abc]``, ``[a-z]`` and ``[!a-z]``
(or ``[^a-z]``) match one character (a class may match "/", as the previous translation
did). A range that runs backwards (``[z-a]``) is a GlobError.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


class GlobError(ValueError):
    """A pattern that cannot be matched; the message says why."""


# Token kinds.
_CHAR, _ONE, _STAR, _DSTAR, _DSTAR_SLASH, _CLASS = range(6)


@dataclass(frozen=True)
class _Class:
    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def __contains__(self, ch: str) -> bool:
        inside = any(lo <= ch <= hi for lo, hi in self.ranges)
        return inside != self.negated


def _parse_class(body: str, pattern: str) -> _Class:
    negated = body[:1] in ("!", "^")
    if negated:
        body = body[1:]
    ranges, i = [], 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            lo, hi = body[i], body[i + 2]
            if lo > hi:
                raise GlobError(f"{pattern!r}: bad character range {lo}-{hi} (the range runs backwards)")
            ranges.append((lo, hi))
            i += 3
        else:
            ranges.append((body[i], body[i]))
            i += 1
    return _Class(tuple(ranges), negated)


def _tokens(pattern: str) -> list[tuple[int, object]]:
    out: list[tuple[int, object]] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append((_DSTAR_SLASH, None))
            i += 3
        elif pattern.startswith("**", i):
            out.append((_DSTAR, None))
            i += 2
        elif pattern[i] == "*":
            out.append((_STAR, None))
            i += 1
        elif pattern[i] == "?":
            out.append((_ONE, None))
            i += 1
        elif pattern[i] == "[" and (close := pattern.find("]", i + 2)) != -1:
            out.append((_CLASS, _parse_class(pattern[i + 1 : close], pattern)))
            i = close + 1
        else:
            out.append((_CHAR, pattern[i]))
            i += 1
    return out


class Glob:
    """A compiled glob. ``folders``: a match may also end at a "/" (a pattern that matches a
    leading folder covers everything under it)."""

    def __init__(self, pattern: str, folders: bool) -> None:
        self.pattern = pattern
        self.folders = folders
        self.tokens = _tokens(pattern)
        self.final = len(self.tokens)
        # State k: before token k. A "**/" token also has an "inside" state (-k - 1): some
        # characters of the folders it spans are read, and it may only end after a "/".

    def _closure(self, states: set[int]) -> set[int]:
        """States reachable without reading a character (stars may match nothing)."""
        todo = [s for s in states if s >= 0]
        while todo:
            k = todo.pop()
            if k < self.final and self.tokens[k][0] in (_STAR, _DSTAR, _DSTAR_SLASH) and k + 1 not in states:
                states.add(k + 1)
                todo.append(k + 1)
        return states

    def _step(self, states: set[int], ch: str) -> set[int]:
        nxt: set[int] = set()
        for s in states:
            if s < 0:  # inside a "**/"
                k = -s - 1
                nxt.add(s)
                if ch == "/":
                    nxt.add(k + 1)
                continue
            if s >= self.final:
                continue
            kind, arg = self.tokens[s]
            if kind == _CHAR:
                if ch == arg:
                    nxt.add(s + 1)
            elif kind == _ONE:
                if ch != "/":
                    nxt.add(s + 1)
            elif kind == _CLASS:
                if ch in arg:  # type: ignore[operator]
                    nxt.add(s + 1)
            elif kind == _STAR:
                if ch != "/":
                    nxt.add(s)
            elif kind == _DSTAR:
                nxt.add(s)
            elif kind == _DSTAR_SLASH:
                nxt.add(-s - 1)
                if ch == "/":
                    nxt.add(s + 1)
        return self._closure(nxt)

    def match(self, text: str) -> bool:
        """Whether the whole of ``text`` matches (with ``folders``, or a prefix ending before a "/")."""
        states = self._closure({0})
        for ch in text:
            if self.folders and ch == "/" and self.final in states:
                return True
            states = self._step(states, ch)
            if not states:
                return False
        return self.final in states


@cache
def compile_glob(pattern: str, folders: bool = True) -> Glob:
    """A compiled, cached glob; GlobError for a pattern that cannot be matched."""
    return Glob(pattern, folders)
