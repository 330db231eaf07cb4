"""Read sources (text, Markdown, HTML, stdin) into Documents of checkable units.

Every unit keeps a map from its characters back to the source, so a finding can always
point at the exact source characters (``source[start:end]``) and a 1-based line:column.
Bad input raises :class:`InputError` with a one-line message that names the file.
"""

from __future__ import annotations

import itertools
import re
import stat
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from claimcheck.core import limits
from claimcheck.core.records import Document, Piece, Unit, line_starts
from claimcheck.ingest import page_meta
from claimcheck.ingest.hidden import BLOCK_TAGS, READ_TAGS, srcdoc_units
from claimcheck.ingest.normalise import normalise_pieces

MAX_BYTES = 20 * 1024 * 1024
SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
}


class InputError(Exception):
    """A source that cannot be checked; the message is one line and names the file."""


def format_for(path: str) -> str | None:
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def decode(data: bytes, path: str) -> str:
    """Decode bytes as UTF-8 (or UTF-16 with a BOM), refusing binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: invalid UTF-8 at byte {exc.start}") from None


def read_path(path: str, fmt: str | None = None) -> Document:
    """Read and parse one file."""
    p = Path(path)
    try:
        info = p.stat()
        if not stat.S_ISREG(info.st_mode):
            # A pipe with no writer would block for ever; devices may never end.
            raise InputError(f"{path}: not a regular file (use - to read standard input)")
        size = info.st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: file too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        data = p.read_bytes()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse(decode(data, path), path, fmt or format_for(path) or "text")


@limits.bounded(InputError)
def parse(source: str, path: str = "<text>", fmt: str = "text") -> Document:
    """Split a decoded source into units, by format."""
    if not source.strip():
        raise InputError(f"{path}: file is empty")
    if fmt == "markdown":
        units = _markdown_units(source)
    elif fmt == "html":
        units = _html_units(source)
    else:
        units = _text_units(source)
    _mark_leadins(units)
    return Document(path=path, source=source, fmt=fmt, units=units)


# --- cleaning a unit's edges --------------------------------------------------------------

_NUMBER_MARKER = re.compile(r"(?:\d{1,2}|[a-zA-Z])[.)](?=\s)|\d\ufe0f?\u20e3|\(\d{1,2}\)")
_BULLET_CHARS = set("-*•·‣⁃◦▪▫●○■□►▶▸➤➔→⇒>~+|=_#")
_SKIP_CATEGORIES = {"So", "Sk", "Sm", "Cf", "Mn", "Me", "Zs", "Co", "Cn", "Cc"}
_INVISIBLE_CATEGORIES = {"Cf", "Mn", "Me", "Cc"}


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
    out, pos = [], 0
    keep_from, keep_to = lead, len(text) - tail
    for p in pieces:
        a, b = pos, pos + len(p.text)
        pos = b
        lo, hi = max(a, keep_from), min(b, keep_to)
        if lo >= hi:
            continue
        if len(p.text) == p.src_end - p.src_start:
            out.append(Piece(p.text[lo - a : hi - a], p.src_start + lo - a, p.src_start + hi - a))
        else:
            out.append(p)
    return out, marker


MAX_UNIT_CHARS = 20_000  # longer blocks (a 5 MB one-line file) are cut at spaces into several units


# A sentence end (as the sentencizer sees one: a mark, closing quotes or brackets) before a space.
_SENTENCE_BREAK = re.compile(r"[.!?…。][\"'’”)\]]*(?=\s)")


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
    out, offsets, pos = [], [], 0
    for p in pieces:
        offsets.append(pos)
        pos += len(p.text)
    for lo, hi in bounds:
        chunk = []
        for p, at in zip(pieces, offsets, strict=True):
            a, b = max(lo, at), min(hi, at + len(p.text))
            if a >= b:
                continue
            if len(p.text) == p.src_end - p.src_start:
                chunk.append(Piece(p.text[a - at : b - at], p.src_start + a - at, p.src_start + b - at))
            else:
                chunk.append(p)
        out.append(chunk)
    return out


def _make_units(kind: str, pieces: list[Piece], level: int = 0, role: str | None = None) -> list[Unit]:
    chunks = [c for part in _split_marked_lines(pieces) for c in _split_long(part)]
    units = [u for chunk in chunks if (u := _make_unit(kind, chunk)) is not None]
    for unit in units:
        if unit.kind == "heading":
            unit.level = level or 2
        if kind == "meta":
            unit.kind, unit.role = "meta", role
    return units


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


def _slice_pieces(pieces: list[Piece], lo: int, hi: int) -> list[Piece]:
    """The pieces covering text[lo:hi], verbatim pieces cut to fit."""
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


def _meta_units(found: list[tuple[str, list[Piece]]]) -> list[Unit]:
    return [u for role, pieces in found for u in _make_units("meta", pieces, role=role)]


def _make_unit(kind: str, pieces: list[Piece]) -> Unit | None:
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


def _classify_line(text: str) -> str:
    words = text.split()
    if len(words) <= 14 and not text.rstrip().endswith((".", "!", "?", ":", ";", ",")):
        return "heading"
    return "paragraph"


def _mark_leadins(units: list[Unit]) -> None:
    """Attach the text of an 'effective for:' line to the list items under it."""
    leadin: str | None = None
    for unit in units:
        if unit.kind == "list_item" and leadin is not None:
            unit.leadin = leadin
            continue
        stripped = unit.text.rstrip()
        leadin = stripped if stripped.endswith(":") else None


# --- plain text ----------------------------------------------------------------------------

_SENTENCE_END = (".", "!", "?", ":", ";")


def _text_units(source: str) -> list[Unit]:
    """One unit per line, except that hard-wrapped prose lines are joined."""
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
                units.extend(_make_units("line", pending))
                pending = []
            continue
        if pending:
            pending.append(Piece("\n", start - 1, start))
        pending.append(Piece(body, start, start + len(body)))
        nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
        if not _continues(body, nxt):
            units.extend(_make_units("line", pending))
            pending = []
    if pending:
        units.extend(_make_units("line", pending))
    if units and units[0].kind == "heading":
        units[0].level = 1  # a text page's first short line is its title
    return units


def _continues(line: str, nxt: str) -> bool:
    """A hard-wrapped paragraph: a long line without an end mark, then a lower-case line."""
    n = nxt.strip()
    return len(line) >= 60 and not line.rstrip().endswith(_SENTENCE_END) and bool(n) and n[0].islower()


# --- Markdown ------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?\r?\n(?:---|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.S)


_MD_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MARKDOWN = None  # one parser for the run: building one costs more than parsing a small page


def _markdown_parser():
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"maxNesting": limits.MARKDOWN_MAX_NESTING}).enable("table")
    return _MARKDOWN


def _markdown_units(source: str) -> list[Unit]:
    limits.check_markdown_size(source)
    front = _FRONT_MATTER.match(source)
    skip_to = front.end() if front else 0
    # Blank the front matter but keep its newlines, so line numbers stay true.
    body = re.sub(r"[^\n]", " ", source[:skip_to]) + source[skip_to:] if skip_to else source
    tokens = _markdown_parser().parse(body)
    limits.check_markdown_nesting(tokens)
    # markdown-it counts a bare "\r" as a line break too: its line numbers index these starts.
    starts = [0, *(m.end() for m in _MD_LINE_BREAK.finditer(source))]
    units: list[Unit] = _meta_units(page_meta.front_matter_copy(source, 0, skip_to)) if skip_to else []
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
            block_start = starts[tok.map[0]]
            end_line = tok.map[1]
            block_end = starts[end_line] if end_line < len(starts) else len(source)
            alts: list[list[Piece]] = []
            pieces = _locate_inline(source, block_start, block_end, tok.children or [], alts)
            units.extend(_make_units(pending_kind, pieces, level=level))
            units.extend(_meta_units([("alt", alt) for alt in alts]))
            pending_kind, level = "paragraph", 0
    return units


def _locate_inline(source: str, lo: int, hi: int, children: list, alts: list | None = None) -> list[Piece]:
    """Find each visible text child of an inline token in the source, in order; an image's
    alt text, found in its ``![...]``, is added to ``alts``."""
    pieces: list[Piece] = []
    cursor = lo
    in_image = 0
    for child in children:
        kind = child.type
        if kind == "image":
            alt = child.content
            at = source.find("![", cursor, hi)
            if alt and at != -1 and alts is not None:
                where = source.find(alt, at + 2, hi)
                if where == at + 2:
                    alts.append([Piece(alt, where, where + len(alt))])
                    cursor = where + len(alt)
            continue
        if kind in ("softbreak", "hardbreak"):
            nl = source.find("\n", cursor, hi)
            if nl != -1:
                pieces.append(Piece("\n", nl, nl + 1))
                cursor = nl + 1
            continue
        if kind not in ("text", "code_inline") or in_image:
            continue
        content = child.content
        if not content:
            continue
        at = source.find(content, cursor, hi)
        if at != -1:
            pieces.append(Piece(content, at, at + len(content)))
            cursor = at + len(content)
            continue
        # Escapes and entities: locate character by character, skipping markup between.
        for ch in content:
            at = source.find(ch, cursor, hi)
            if at == -1:
                continue
            pieces.append(Piece(ch, at, at + 1))
            cursor = at + 1
    return pieces


# --- HTML ----------------------------------------------------------------------------------

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


class _HTMLUnits(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = line_starts(source)
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.units: list[Unit] = []
        self.pieces: list[Piece] = []
        self.kind = "paragraph"
        self.level = 0
        self.role: str | None = None
        self.list_depth = 0
        self.jsonld = False

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _flush(self) -> None:
        if self.pieces:
            self.units.extend(_make_units(self.kind, self.pieces, level=self.level, role=self.role))
        self.pieces = []

    def _tag_copy(self, tag: str, attrs: list) -> None:
        """Alt text, labels and meta descriptions of a tag outside skipped regions."""
        if self.skip_stack or not any(v for _, v in attrs):
            return
        raw = self.get_starttag_text() or ""
        found = page_meta.tag_copy(tag, raw, self._offset())
        if found:
            self.units.extend(_meta_units(found))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _SKIP_TAGS:
            self._tag_copy(tag, attrs)
        if tag == "iframe" and not self.skip_stack:  # a page in an attribute (hidden.py)
            self._flush()
            self.units.extend(
                srcdoc_units(self.source, self._offset(), self.get_starttag_text() or "", attrs, _html_units)
            )
        if self.skip_stack and tag not in _SKIP_TAGS:
            return  # inside a skipped region: its lists must not count as open lists
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self.skip_stack.append(tag)
                self.jsonld = tag == "script" and any(
                    k == "type" and (v or "").strip().lower() == "application/ld+json" for k, v in attrs
                )
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            self.level, self.role = 0, None
            if tag in ("ul", "ol"):
                self.list_depth += 1
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
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
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("ul", "ol") and self.list_depth:
                self.list_depth -= 1
            self.kind = "list_item" if self.list_depth else "paragraph"
            self.level, self.role = 0, None

    def handle_data(self, data: str) -> None:
        if self.jsonld and self.skip_stack == ["script"] and data.strip():
            self.units.extend(_meta_units(page_meta.jsonld_copy(data, self._offset())))
            return
        if self.skip_stack or not data:
            return
        start = self._offset()
        if self.source.startswith(data, start):
            self.pieces.append(Piece(data, start, start + len(data)))

    def _entity(self, text: str, raw_len: int) -> None:
        if self.skip_stack:
            return
        start = self._offset()
        self.pieces.append(Piece(text, start, start + raw_len))

    def handle_entityref(self, name: str) -> None:
        import html

        raw = f"&{name};"
        if not self.source.startswith(raw, self._offset()):
            raw = f"&{name}"
        self._entity(html.unescape(raw), len(raw))

    def handle_charref(self, name: str) -> None:
        import html

        raw = f"&#{name};"
        if not self.source.startswith(raw, self._offset()):
            raw = f"&#{name}"
        self._entity(html.unescape(raw), len(raw))


def _html_units(source: str) -> list[Unit]:
    parser = _HTMLUnits(source)
    parser.feed(source)
    parser.close()
    parser._flush()
    # Attribute copy (alt text ...) is emitted when its tag opens, before the text around it.
    parser.units.sort(key=lambda u: u.pieces[0].src_start)
    return parser.units
