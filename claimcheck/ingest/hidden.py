"""HTML text that a browser can show although it is not in the page's ordinary flow.

Why: the HTML reader skips what is never shown as copy (scripts, styles, navigation). But
some skipped places are shown: ``<noscript>`` to every reader without scripts (and to
crawlers), ``<template>`` whenever the page's script stamps it out, SVG ``<text>`` as
drawn text, and an ``<iframe srcdoc="...">`` is a whole page inside an attribute. A claim
placed there is still made, so these are read like the rest of the page:

- ``READ_TAGS`` are no longer skipped (inside SVG only text elements carry words; its
  ``<title>``, ``<style>`` and ``<script>`` stay skipped as everywhere), and ``BLOCK_TAGS``
  make each SVG text its own unit;
- ``srcdoc_units`` reads an iframe's ``srcdoc`` as HTML and maps every character back to
  the attribute in the source (entities such as ``&lt;`` included), so findings point into
  the attribute. A srcdoc nested in a srcdoc more than MAX_SRCDOC_DEPTH deep is refused.
"""

from __future__ import annotations

import contextvars
import html
import re
from collections.abc import Callable

from claimcheck.core.limits import Refused
from claimcheck.core.records import Piece, Unit

READ_TAGS = frozenset({"noscript", "template", "svg"})
BLOCK_TAGS = frozenset({"svg", "text", "foreignobject"})
MAX_SRCDOC_DEPTH = 3

_ATTR = re.compile(r"""\ssrcdoc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("claimcheck_srcdoc_depth", default=0)


def _unescape(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """An attribute value's text and, per character, the span of ``raw`` it came from."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _ENTITY.finditer(raw):
        for k in range(pos, m.start()):
            out.append(raw[k])
            spans.append((k, k + 1))
        text = html.unescape(m.group())
        out.append(text)
        spans.extend([(m.start(), m.end())] * len(text))
        pos = m.end()
    for k in range(pos, len(raw)):
        out.append(raw[k])
        spans.append((k, k + 1))
    text = "".join(out)
    if text != html.unescape(raw):  # an entity read differently in context: map it all to the value
        text = html.unescape(raw)
        spans = [(0, len(raw))] * len(text)
    return text, spans


def _outer_pieces(pieces: list[Piece], spans: list[tuple[int, int]], base: int) -> list[Piece]:
    """Pieces of a srcdoc page re-pointed at the outer source (``base``: where the value starts)."""
    chars: list[tuple[str, int, int]] = []
    for p in pieces:
        if len(p.text) == p.src_end - p.src_start:
            chars.extend((ch, *spans[p.src_start + k]) for k, ch in enumerate(p.text))
        else:  # an entity of the inner page: all of what it came from
            chars.extend((ch, spans[p.src_start][0], spans[p.src_end - 1][1]) for ch in p.text)
    out: list[Piece] = []
    for ch, start, end in chars:
        start, end = start + base, end + base
        last = out[-1] if out else None
        if (
            end - start == 1
            and last is not None
            and last.src_end == start
            and len(last.text) == last.src_end - last.src_start
        ):
            out[-1] = Piece(last.text + ch, last.src_start, end)
        else:
            out.append(Piece(ch, start, end))
    return out


def srcdoc_units(
    source: str, tag_start: int, raw_tag: str, attrs: list, read_html: Callable[[str], list[Unit]]
) -> list[Unit]:
    """The units of an ``<iframe srcdoc>`` page, located in ``source``; [] without one."""
    if not any(name == "srcdoc" and value for name, value in attrs):
        return []
    match = _ATTR.search(raw_tag)
    if match is None:
        return []
    group = next(g for g in (1, 2, 3) if match.group(g) is not None)
    raw = match.group(group)
    inner, spans = _unescape(raw)
    if not inner.strip():
        return []
    depth = _depth.get()
    if depth >= MAX_SRCDOC_DEPTH:
        raise Refused(f"iframe srcdoc nested more than {MAX_SRCDOC_DEPTH} deep; its text would not be read")
    token = _depth.set(depth + 1)
    try:
        units = read_html(inner)  # the caller's HTML reader (html_reader.py), passed in: no import cycle
    finally:
        _depth.reset(token)
    base = tag_start + match.start(group)
    return [
        Unit(
            kind=u.kind,
            pieces=_outer_pieces(u.pieces, spans, base),
            text=u.text,
            leadin=u.leadin,
            written=u.written,
            written_at=u.written_at,
        )
        for u in units
    ]
