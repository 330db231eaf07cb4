"""The HTML reader: an .html page as units, each mapped back into the HTML source.

Why a parser of our own over ``html.parser``: every text run and every entity must keep
its offset in the source, so a finding points at the characters as written (``&amp;``
included). Block tags end a unit and say its kind (heading and level, list item,
paragraph); what no reader sees as copy (scripts, styles, navigation, forms) is skipped,
except the places hidden.py names (noscript, template, SVG text, an iframe's srcdoc page).
Page metadata (title, meta descriptions, alt text, labels, JSON-LD) is read by page_meta.py
and becomes metadata units, sorted into page order with the rest.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

from claimcheck.core.records import Piece, Unit, line_starts
from claimcheck.ingest import page_meta
from claimcheck.ingest.hidden import BLOCK_TAGS, READ_TAGS, srcdoc_units
from claimcheck.ingest.units import make_units, meta_units

_SKIP_TAGS = {
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "button",
    "select",
    "form",
    "aside",
}
_SKIP_TAGS -= READ_TAGS  # shown to some readers: noscript, template, SVG text (hidden.py)
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "dt",
    "dd",
    "blockquote",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "title",
    "ul",
    "ol",
    "dl",
    "table",
    "tr",
    "figcaption",
    "caption",
    "br",
    "hr",
    "body",
    "html",
    "summary",
    "details",
    "pre",
    "address",
}
_BLOCK_TAGS |= BLOCK_TAGS
_VOID_TAGS = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
    "param",
}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def read_html(source: str) -> list[Unit]:
    """The page's units in source order (hidden.srcdoc_units calls this for a srcdoc page)."""
    parser = _HTMLReader(source)
    parser.feed(source)
    parser.close()
    parser.flush()
    # Attribute copy (alt text ...) is emitted when its tag opens, before the text around it.
    parser.units.sort(key=lambda u: u.pieces[0].src_start)
    return parser.units


class _HTMLReader(HTMLParser):
    """Collects the pieces of the open block and turns them into units when it ends."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)  # entities come one by one, with their offsets
        self.source = source
        self.line_starts = line_starts(source)
        self.skip_stack: list[str] = []
        self.units: list[Unit] = []
        self.pieces: list[Piece] = []
        self.kind = "paragraph"
        self.level = 0
        self.role: str | None = None
        self.list_depth = 0
        self.jsonld = False

    def flush(self) -> None:
        """End the open block: its pieces become units."""
        if self.pieces:
            self.units.extend(make_units(self.kind, self.pieces, level=self.level, role=self.role))
        self.pieces = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _tag_copy(self, tag: str, attrs: list) -> None:
        """Alt text, labels and meta descriptions of a tag outside skipped regions."""
        if self.skip_stack or not any(v for _, v in attrs):
            return
        raw = self.get_starttag_text() or ""
        found = page_meta.tag_copy(tag, raw, self._offset())
        if found:
            self.units.extend(meta_units(found))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _SKIP_TAGS:
            self._tag_copy(tag, attrs)
        if tag == "iframe" and not self.skip_stack:  # a page in an attribute (hidden.py)
            self.flush()
            raw = self.get_starttag_text() or ""
            self.units.extend(srcdoc_units(self.source, self._offset(), raw, attrs, read_html))
        if self.skip_stack and tag not in _SKIP_TAGS:
            return  # inside a skipped region: its lists must not count as open lists
        if tag in _SKIP_TAGS:
            self._enter_skipped(tag, attrs)
        elif tag in _BLOCK_TAGS:
            self._open_block(tag)

    def _enter_skipped(self, tag: str, attrs: list) -> None:
        """Skip to the tag's end; a JSON-LD script is still read for its copy."""
        if tag not in _VOID_TAGS:
            self.skip_stack.append(tag)
            self.jsonld = tag == "script" and any(
                k == "type" and (v or "").strip().lower() == "application/ld+json" for k, v in attrs
            )

    def _open_block(self, tag: str) -> None:
        """End the block before; the tag says what kind of unit the next text makes."""
        self.flush()
        self.level, self.role = 0, None
        if tag in ("ul", "ol"):
            self.list_depth += 1
        if tag in _HEADINGS:
            self.kind = "heading"
            self.level = int(tag[1])
        elif tag == "title":
            self.kind, self.role = "meta", "title"
        elif tag == "li":
            self.kind = "list_item"
        elif tag in ("p", "td", "th", "dd", "dt", "blockquote"):
            self.kind = "list_item" if self.list_depth and tag == "p" else "paragraph"

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._tag_copy(tag, attrs)
        if tag in _BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag in ("ul", "ol") and self.list_depth:
                self.list_depth -= 1
            self.kind = "list_item" if self.list_depth else "paragraph"
            self.level, self.role = 0, None

    def handle_data(self, data: str) -> None:
        if self.jsonld and self.skip_stack == ["script"] and data.strip():
            self.units.extend(meta_units(page_meta.jsonld_copy(data, self._offset())))
            return
        if self.skip_stack or not data:
            return
        start = self._offset()
        if self.source.startswith(data, start):
            self.pieces.append(Piece(data, start, start + len(data)))

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};", f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};", f"&#{name}")

    def _entity(self, with_semicolon: str, without: str) -> None:
        """One decoded entity as one piece spanning the entity as written (``;`` optional)."""
        if self.skip_stack:
            return
        start = self._offset()
        raw = with_semicolon if self.source.startswith(with_semicolon, start) else without
        self.pieces.append(Piece(html.unescape(raw), start, start + len(raw)))
