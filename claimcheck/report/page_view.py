"""The checked page as a reader sees it, for the HTML review: headings, paragraphs and lists
(and the page's title, description and image texts apart), each claim marked once.

Why not the raw source: a reviewer reads the copy, not its HTML or Markdown. The source is
split into units again (``documents.parse``: the same units the claims were found in, no
spaCy) and every claim span is mapped from source offsets back into its unit's text through
the unit's pieces. One ``<mark>`` per claim span, whatever the number of findings on it (one
per claim type), with the worst verdict; inside it the words at fault (the findings'
highlights) are underlined. A span inside another is nested in it; a span that crosses the end
of an earlier one is clipped there. A span that no unit holds is listed after the page, so
every finding still has its mark.

Everything is escaped here: the page copy is data, never markup.
"""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass, field

from claimcheck.core.escape import bidi
from claimcheck.core.records import SEVERITY, FileResult, Finding, Piece, Unit

ROLE_NAMES = {"title": "Title", "description": "Description", "alt": "Image text", "label": "Label"}


@dataclass
class Mark:
    """One claim span in a unit's text, the findings on it, and the marks nested inside."""

    start: int  # offsets into the unit's text
    end: int
    src: tuple[int, int]  # the claim's source range (data-start, data-end)
    ids: list[str]
    findings: list[Finding]
    children: list[Mark] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return max((f.verdict for f in self.findings), key=SEVERITY.__getitem__)


@dataclass
class Block:
    """A unit ready to show: its kind, heading level or metadata role, and escaped HTML."""

    kind: str
    level: int
    role: str | None
    html: str


@dataclass
class PageView:
    blocks: list[Block]  # headings, paragraphs, list items and other units, in page order
    meta: list[Block]  # title, description, image texts, labels
    unplaced: list[str]  # marks for claims no unit holds
    owner: dict[str, str]  # finding id -> mark element id
    next_mark: int = 1  # the number the next file's first mark takes


def _esc(text: str) -> str:
    """Page copy escaped for HTML, bidi overrides made visible (escape.bidi)."""
    return html.escape(bidi(text), quote=True)


def _units(result: FileResult) -> list[Unit]:
    from claimcheck.ingest.documents import InputError, parse

    source = result.source or ""
    try:
        return parse(source, result.path, result.fmt or "text").units
    except (InputError, ValueError):
        return [Unit(kind="paragraph", pieces=[Piece(source, 0, len(source))])] if source.strip() else []


class _Locator:
    """Source offset -> (unit, offset into its text), through every unit's pieces."""

    def __init__(self, units: list[Unit]) -> None:
        self.entries = sorted(
            (p.src_start, p.src_end, ui, pi) for ui, u in enumerate(units) for pi, p in enumerate(u.pieces)
        )
        self.starts = [e[0] for e in self.entries]
        self.units = units

    def find(self, offset: int, is_end: bool = False) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.starts, offset - 1 if is_end else offset) - 1
        for j in (i, i - 1, i + 1):
            if not 0 <= j < len(self.entries):
                continue
            s, e, ui, pi = self.entries[j]
            inside = s < offset <= e if is_end else s <= offset < e
            if inside:
                unit, piece = self.units[ui], self.units[ui].pieces[pi]
                at = unit._starts[pi]
                if len(piece.text) == piece.src_end - piece.src_start:
                    return ui, at + offset - s
                return ui, at + (len(piece.text) if is_end else 0)
        return None


def _nest(marks: list[Mark]) -> list[Mark]:
    roots: list[Mark] = []
    stack: list[Mark] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        while stack and m.start >= stack[-1].end:
            stack.pop()
        if stack:
            m.end = min(m.end, stack[-1].end)
        (stack[-1].children if stack else roots).append(m)
        stack.append(m)
    return roots


class _Renderer:
    def __init__(self, owner: dict[str, str], first: int) -> None:
        self.owner = owner
        self.count = first - 1

    def text(self, text: str, lo: int, hi: int, faults: list[tuple[int, int, str]]) -> str:
        """text[lo:hi], escaped, with the words at fault in it underlined."""
        out, at = [], lo
        for a, b, why in faults:
            a, b = max(a, lo), min(b, hi)
            if a >= b or a < at:
                continue
            out.append(_esc(text[at:a]))
            out.append(f'<u class="cc-fault" data-why="{_esc(why)}" title="{_esc(why)}">{_esc(text[a:b])}</u>')
            at = b
        out.append(_esc(text[at:hi]))
        return "".join(out)

    def marks(self, text: str, lo: int, hi: int, marks: list[Mark], faults) -> str:
        out, at = [], lo
        for m in marks:
            out.append(self.text(text, at, m.start, faults))
            out.append(self.mark(text, m, faults))
            at = m.end
        out.append(self.text(text, at, hi, faults))
        return "".join(out)

    def mark(self, text: str, m: Mark, faults) -> str:
        self.count += 1
        hid = f"cc-h-{self.count}"
        for fid in m.ids:
            self.owner[fid] = hid
        inner = self.marks(text, m.start, m.end, m.children, faults)
        verdict = m.verdict
        label = f"[{verdict}]" if len(m.ids) == 1 else f"[{verdict} ×{len(m.ids)}]"
        types = " ".join(dict.fromkeys(f.claim.claim_type for f in m.findings))
        return (
            f'<mark class="cc-highlight cc-v-{_esc(verdict)}" id="{hid}" tabindex="0" '
            f'data-finding-ids="{_esc(" ".join(m.ids))}" data-verdict="{_esc(verdict)}" '
            f'data-types="{_esc(types)}" data-start="{m.src[0]}" data-end="{m.src[1]}">'
            f'{inner}<a class="cc-label" href="#{_esc(m.ids[0])}">{_esc(label)}</a></mark>'
        )


def page_view(result: FileResult, ids: list[tuple[str, Finding]], first_mark: int = 1) -> PageView:
    """The reader's view of a checked file, with every finding's claim marked; marks are
    numbered from ``first_mark`` (ids stay unique across the files of one report)."""
    units = _units(result)
    locate = _Locator(units)
    spans: dict[tuple[int, int], list[tuple[str, Finding]]] = {}
    for fid, f in ids:
        spans.setdefault((f.claim.start, f.claim.end), []).append((fid, f))
    per_unit: dict[int, list[Mark]] = {}
    faults: dict[int, list[tuple[int, int, str]]] = {}
    unplaced: list[Mark] = []
    for (start, end), members in spans.items():
        first = locate.find(start)
        mark = Mark(0, 0, (start, end), [fid for fid, _ in members], [f for _, f in members])
        if first is None:
            unplaced.append(mark)
            continue
        ui, lo = first
        last = locate.find(end, is_end=True)
        hi = last[1] if last is not None and last[0] == ui and last[1] > lo else len(units[ui].text)
        mark.start, mark.end = lo, hi
        per_unit.setdefault(ui, []).append(mark)
        for _, f in members:
            for h in f.highlights:
                a, b = locate.find(h.start), locate.find(h.end, is_end=True)
                if a and b and a[0] == ui == b[0] and b[1] > a[1]:
                    faults.setdefault(ui, []).append((a[1], b[1], h.why))
    owner: dict[str, str] = {}
    render = _Renderer(owner, first_mark)
    blocks, meta = [], []
    order = sorted(range(len(units)), key=lambda i: units[i].pieces[0].src_start if units[i].pieces else 0)
    for ui in order:
        unit = units[ui]
        spans_here = sorted(set(faults.get(ui, [])))
        merged: list[tuple[int, int, str]] = []
        for a, b, why in spans_here:
            if merged and a < merged[-1][1]:
                continue  # overlapping words: the first stays underlined
            merged.append((a, b, why))
        body = render.marks(unit.text, 0, len(unit.text), _nest(per_unit.get(ui, [])), merged)
        block = Block(unit.kind, unit.level, unit.role, body)
        (meta if unit.kind == "meta" else blocks).append(block)
    loose = []
    for m in unplaced:
        text = m.findings[0].claim.text
        m.start, m.end = 0, len(text)
        loose.append(render.mark(text, m, []))
    return PageView(blocks=blocks, meta=meta, unplaced=loose, owner=owner, next_mark=render.count + 1)


def page_html(view: PageView) -> str:
    """The page's blocks as HTML: headings, paragraphs, lists (consecutive list items), other
    units as paragraphs of their kind. The page's own headings sit below the report's."""
    out: list[str] = []
    in_list = False
    for b in view.blocks:
        if b.kind == "list_item":
            if not in_list:
                out.append('<ul class="cc-list">')
                in_list = True
            out.append(f"<li>{b.html}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if b.kind == "heading":
            level = min(max(b.level, 1) + 2, 6)
            out.append(f'<h{level} class="cc-page-h cc-page-h{max(b.level, 1)}">{b.html}</h{level}>')
        elif b.kind in ("paragraph", "line"):
            out.append(f"<p>{b.html}</p>")
        else:
            out.append(f'<p class="cc-unit-{_esc(b.kind)}">{b.html}</p>')
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def meta_html(view: PageView) -> str:
    """Title, description, image texts and labels, each with the name of its role."""
    rows = []
    for b in view.meta:
        name = ROLE_NAMES.get(b.role or "", (b.role or "metadata").replace("_", " ").capitalize())
        rows.append(f"<dt>{_esc(name)}</dt><dd>{b.html}</dd>")
    return '<dl class="cc-meta">' + "".join(rows) + "</dl>" if rows else ""
