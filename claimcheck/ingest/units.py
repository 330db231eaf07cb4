"""From pieces of source to checkable units: the part every reader shares.

A reader (text_reader, markdown_reader, html_reader) only finds the runs of visible text
and the kind of block that holds them. Turning those pieces into units is the same for
every format, so it is done here once: bullets, emoji and list numbers are trimmed off a
unit's edges (offsets kept), a block of bullet lines becomes one unit per line, a huge run
is cut into units spaCy can take, and a bare line's kind is guessed when no markup says.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from claimcheck.core import limits
from claimcheck.core.records import Piece, Unit
from claimcheck.ingest.normalise import normalise_pieces

MAX_UNIT_CHARS = 20_000  # longer blocks (a 5 MB one-line file) are cut at spaces into several units

_NUMBER_MARKER = re.compile(r"(?:\d{1,2}|[a-zA-Z])[.)](?=\s)|\d\ufe0f?\u20e3|\(\d{1,2}\)")
_BULLET_CHARS = set("-*•·‣⁃◦▪▫●○■□►▶▸➤➔→⇒>~+|=_#")
_SKIP_CATEGORIES = {"So", "Sk", "Sm", "Cf", "Mn", "Me", "Zs", "Co", "Cn", "Cc"}
_INVISIBLE_CATEGORIES = {"Cf", "Mn", "Me", "Cc"}
# A sentence end (as the sentencizer sees one: a mark, closing quotes or brackets) before a space.
_SENTENCE_BREAK = re.compile(r"[.!?…。][\"'’”)\]]*(?=\s)")


# --- the builder the readers call ----------------------------------------------------------


def make_units(kind: str, pieces: list[Piece], level: int = 0, role: str | None = None) -> list[Unit]:
    """The units of one block of a page (``kind`` as its markup says, "line" when it says
    nothing); a heading gets ``level`` (2 when unknown), a metadata unit its ``role``."""
    chunks = [c for part in _split_marked_lines(pieces) for c in _split_long(part)]
    units = [u for chunk in chunks if (u := make_unit(kind, chunk)) is not None]
    for unit in units:
        if unit.kind == "heading":
            unit.level = level or 2
        if kind == "meta":
            unit.kind, unit.role = "meta", role
    return units


def meta_units(found: list[tuple[str, list[Piece]]]) -> list[Unit]:
    """Units of page metadata, as page_meta finds it: (role, pieces) pairs."""
    return [u for role, pieces in found for u in make_units("meta", pieces, role=role)]


def make_unit(kind: str, pieces: list[Piece]) -> Unit | None:
    """One unit, edges trimmed and text normalised for matching; None when no letter is
    left (a rule line, a row of emoji). A line led by a list marker is a list item."""
    pieces, marker = _trim_pieces(pieces)
    pieces, written, written_at = normalise_pieces(pieces)  # matching text (normalise.py)
    if not pieces:
        return None
    text = "".join(p.text for p in pieces)
    if not any(ch.isalpha() for ch in text):
        return None
    if marker and kind in ("line", "paragraph"):
        kind = "list_item"
    if kind == "line":
        kind = _classify_line(text)
    limits.count_units(1)
    return Unit(kind=kind, pieces=pieces, written=written, written_at=written_at)


def mark_leadins(units: list[Unit]) -> None:
    """Attach the text of an 'effective for:' line to the list items under it."""
    leadin: str | None = None
    for unit in units:
        if unit.kind == "list_item" and leadin is not None:
            unit.leadin = leadin
            continue
        stripped = unit.text.rstrip()
        leadin = stripped if stripped.endswith(":") else None


def _classify_line(text: str) -> str:
    """A short line without an end mark reads as a heading (a bare text page has no markup)."""
    words = text.split()
    if len(words) <= 14 and not text.rstrip().endswith((".", "!", "?", ":", ";", ",")):
        return "heading"
    return "paragraph"


# --- cleaning a unit's edges --------------------------------------------------------------


def _leading_junk(text: str) -> tuple[int, bool]:
    """Length of bullet glyphs, emoji, numbers and spaces at the start; and whether a
    list marker was among them."""
    i, marker = 0, False
    while i < len(text):
        ch = text[i]
        m = _NUMBER_MARKER.match(text, i)
        if m and (i == 0 or marker or text[i - 1].isspace() or not text[i - 1].isalnum()):
            i, marker = m.end(), True
            continue
        if ch in _BULLET_CHARS or unicodedata.category(ch) in _SKIP_CATEGORIES:
            # An invisible character (a zero-width space, a joiner, a combining mark) is no
            # list marker: hidden before a claim, it must not make the line a list item.
            if not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES:
                marker = True
            i += 1
            continue
        if ch.isspace():
            i += 1
            continue
        break
    return i, marker


def _trim_pieces(pieces: list[Piece]) -> tuple[list[Piece], bool]:
    """Drop leading bullets/emoji/numbers and surrounding whitespace from a piece list."""
    text = "".join(p.text for p in pieces)
    lead, marker = _leading_junk(text)
    tail = len(text) - len(text.rstrip())
    return _slice_pieces(pieces, lead, len(text) - tail), marker


def _slice_pieces(pieces: list[Piece], lo: int, hi: int) -> list[Piece]:
    """The pieces covering text[lo:hi], verbatim pieces cut to fit (a decoded entity is
    kept whole: its text and its source differ in length)."""
    out, at = [], 0
    for p in pieces:
        a, b = max(lo, at), min(hi, at + len(p.text))
        if a < b:
            if len(p.text) == p.src_end - p.src_start:
                out.append(Piece(p.text[a - at : b - at], p.src_start + a - at, p.src_start + b - at))
            else:
                out.append(p)
        at += len(p.text)
    return out


# --- splitting a block into units ----------------------------------------------------------


def _split_marked_lines(pieces: list[Piece]) -> list[list[Piece]]:
    """A block whose lines start with bullet glyphs ("✔ Eases ...", "• Lyme") is a list
    written without list markup: each such line is its own unit."""
    text = "".join(p.text for p in pieces)
    if "\n" not in text:
        return [pieces]
    cuts = [0]
    at = text.find("\n")
    while at != -1:
        lead, marker = _leading_junk(text[at + 1 : at + 8])
        if marker and text[at + 1 : at + 1 + lead].strip():
            cuts.append(at + 1)
        at = text.find("\n", at + 1)
    if len(cuts) == 1:
        return [pieces]
    cuts.append(len(text))
    return [_slice_pieces(pieces, lo, hi) for lo, hi in itertools.pairwise(cuts) if hi > lo]


def _split_long(pieces: list[Piece]) -> list[list[Piece]]:
    """Cut a huge run of text into units spaCy can take, at whitespace where possible."""
    text = "".join(p.text for p in pieces)
    if len(text) <= MAX_UNIT_CHARS:
        return [pieces]
    bounds, start = [], 0
    while start < len(text):
        end = min(start + MAX_UNIT_CHARS, len(text))
        if end < len(text):
            end = _cut_point(text, start, end)
        bounds.append((start, end))
        start = end
    return [_slice_pieces(pieces, lo, hi) for lo, hi in bounds]


def _cut_point(text: str, start: int, end: int) -> int:
    """Where to end a unit that starts at ``start`` and may not pass ``end``: after the last
    sentence end in the second half of the window, else at the last whitespace, else at
    ``end``. Cutting inside a sentence would split a claim across two units."""
    last = None
    for match in _SENTENCE_BREAK.finditer(text, start + (end - start) // 2, end):
        last = match
    if last is not None:
        return last.end()
    space = max(text.rfind(" ", start, end), text.rfind("\n", start, end), text.rfind("\t", start, end))
    return space + 1 if space > start else end
