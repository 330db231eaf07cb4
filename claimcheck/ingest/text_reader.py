"""The plain-text reader: a .txt page (or standard input) as units.

Plain text has no markup, so its blocks come from its lines: one unit per line, except
that the lines of a hard-wrapped paragraph are joined (a claim may run across the wrap).
Bullet glyphs and list numbers make list items, and a short line without an end mark
reads as a heading (units.make_units decides both).
"""

from __future__ import annotations

from claimcheck.core.records import Piece, Unit
from claimcheck.ingest.units import make_units

_SENTENCE_END = (".", "!", "?", ":", ";")


def read_text(source: str) -> list[Unit]:
    """One unit per line, except that hard-wrapped prose lines are joined; a page's first
    short line is its title (a level-1 heading)."""
    units: list[Unit] = []
    pending: list[Piece] = []
    offset = 0
    lines = source.split("\n")
    for idx, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        body = line.rstrip("\r")
        if not body.strip():
            if pending:
                units.extend(make_units("line", pending))
                pending = []
            continue
        if pending:
            pending.append(Piece("\n", start - 1, start))
        pending.append(Piece(body, start, start + len(body)))
        nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
        if not _continues(body, nxt):
            units.extend(make_units("line", pending))
            pending = []
    if pending:
        units.extend(make_units("line", pending))
    if units and units[0].kind == "heading":
        units[0].level = 1  # a text page's first short line is its title
    return units


def _continues(line: str, nxt: str) -> bool:
    """A hard-wrapped paragraph: a long line without an end mark, then a lower-case line."""
    n = nxt.strip()
    return len(line) >= 60 and not line.rstrip().endswith(_SENTENCE_END) and bool(n) and n[0].islower()
