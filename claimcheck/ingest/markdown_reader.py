"""The Markdown reader: a .md page as units, each mapped back into the Markdown source.

markdown-it parses the page (CommonMark plus tables); its block tokens say what each unit
is (heading and level, paragraph, list item, table cell), and the text of every inline
token is found again in the source, in order, so a finding points at the characters as
written, emphasis markers and link URLs left out. Code is not copy and is not read. Front
matter is blanked before parsing (its newlines kept, so line numbers stay true), and its
copy keys and every image's alt text become metadata units (page_meta.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claimcheck.core import limits
from claimcheck.core.records import Piece, Unit
from claimcheck.ingest import page_meta
from claimcheck.ingest.units import make_units, meta_units

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S)
_MD_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN = None  # one parser for the run: building one costs more than parsing a small page


def read_markdown(source: str) -> list[Unit]:
    """The front matter's copy, then the body's units in page order."""
    limits.check_markdown_size(source)
    front = _FRONT_MATTER.match(source)
    skip_to = front.end() if front else 0
    # Blank the front matter but keep its newlines, so line numbers stay true.
    body = re.sub(r"[^\n]", " ", source[:skip_to]) + source[skip_to:] if skip_to else source
    tokens = _markdown_parser().parse(body)
    limits.check_markdown_nesting(tokens)
    units: list[Unit] = meta_units(page_meta.front_matter_copy(source, 0, skip_to)) if skip_to else []
    units.extend(_body_units(source, tokens))
    return units


def _markdown_parser() -> MarkdownIt:
    """The run's one parser, built on first use (markdown-it is imported only then)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"maxNesting": limits.MARKDOWN_MAX_NESTING}).enable("table")
    return _MARKDOWN


def _body_units(source: str, tokens: list[Token]) -> list[Unit]:
    """Walk the block tokens: each inline token is one block's text, of the kind the
    block tokens before it opened (inside a list, a paragraph is a list item)."""
    # markdown-it counts a bare "\r" as a line break too: its line numbers index these starts.
    starts = [0, *(m.end() for m in _MD_LINE_BREAK.finditer(source))]
    units: list[Unit] = []
    list_depth = 0
    pending_kind = "paragraph"
    level = 0
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "heading_open":
            pending_kind = "heading"
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 2
        elif tok.type in ("paragraph_open", "th_open", "td_open"):
            pending_kind = "list_item" if list_depth else "paragraph"
        elif tok.type == "inline" and tok.map:
            units.extend(_inline_units(source, starts, tok, pending_kind, level))
            pending_kind, level = "paragraph", 0
    return units


def _inline_units(source: str, starts: list[int], tok: Token, kind: str, level: int) -> list[Unit]:
    """One block's units, then the alt text of its images as metadata units."""
    block_start = starts[tok.map[0]]
    end_line = tok.map[1]
    block_end = starts[end_line] if end_line < len(starts) else len(source)
    alts: list[list[Piece]] = []
    pieces = _locate_inline(source, block_start, block_end, tok.children or [], alts)
    return make_units(kind, pieces, level=level) + meta_units([("alt", alt) for alt in alts])


def _locate_inline(source: str, lo: int, hi: int, children: list[Token], alts: list[list[Piece]]) -> list[Piece]:
    """Find each visible text child of an inline token in ``source[lo:hi]``, in order; an
    image's alt text, found in its ``![...]``, is added to ``alts``. Searching from a
    cursor keeps a word that occurs twice mapped to its own place."""
    pieces: list[Piece] = []
    cursor = lo
    for child in children:
        if child.type == "image":
            cursor = _locate_alt(source, cursor, hi, child.content, alts)
        elif child.type in ("softbreak", "hardbreak"):
            nl = source.find("\n", cursor, hi)
            if nl != -1:
                pieces.append(Piece("\n", nl, nl + 1))
                cursor = nl + 1
        elif child.type in ("text", "code_inline") and child.content:
            cursor = _locate_text(source, cursor, hi, child.content, pieces)
    return pieces


def _locate_alt(source: str, cursor: int, hi: int, alt: str, alts: list[list[Piece]]) -> int:
    """Add an image's alt text when it stands as written right after ``![``; the new cursor."""
    at = source.find("![", cursor, hi)
    if alt and at != -1:
        where = source.find(alt, at + 2, hi)
        if where == at + 2:
            alts.append([Piece(alt, where, where + len(alt))])
            return where + len(alt)
    return cursor


def _locate_text(source: str, cursor: int, hi: int, content: str, pieces: list[Piece]) -> int:
    """Add the pieces of one text child; the new cursor. Text changed by escapes or
    entities is found character by character, skipping the markup between."""
    at = source.find(content, cursor, hi)
    if at != -1:
        pieces.append(Piece(content, at, at + len(content)))
        return at + len(content)
    for ch in content:
        at = source.find(ch, cursor, hi)
        if at == -1:
            continue
        pieces.append(Piece(ch, at, at + 1))
        cursor = at + 1
    return cursor
