"""Read sources (text, Markdown, HTML, stdin) into Documents of checkable units.

This is the ingest stage's front door: it finds a file's format, reads and decodes it
within the limits, hands the text to its format's reader (text_reader, markdown_reader,
html_reader; units.py is the builder they share) and assembles the Document.

Every unit keeps a map from its characters back to the source, so a finding can always
point at the exact source characters (``source[start:end]``) and a 1-based line:column.
Bad input raises :class:`InputError` with a one-line message that names the file.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from claimcheck.core import limits
from claimcheck.core.fileio import read_failure
from claimcheck.core.records import Document, Unit
from claimcheck.ingest.html_reader import read_html
from claimcheck.ingest.markdown_reader import read_markdown
from claimcheck.ingest.text_reader import read_text
from claimcheck.ingest.units import mark_leadins

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
# format -> its reader; any other format is read as plain text
_READERS: dict[str, Callable[[str], list[Unit]]] = {"markdown": read_markdown, "html": read_html}


class InputError(Exception):
    """A source that cannot be checked; the message is one line and names the file."""


def format_for(path: str) -> str | None:
    """The format a file's suffix names, or None (the caller decides: text, or skip)."""
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
    except OSError as exc:
        raise InputError(f"{path}: {read_failure(exc)}") from None
    return parse(decode(data, path), path, fmt or format_for(path) or "text")


@limits.bounded(InputError)
def parse(source: str, path: str = "<text>", fmt: str = "text") -> Document:
    """Split a decoded source into units, by format; list items get their lead-ins."""
    if not source.strip():
        raise InputError(f"{path}: file is empty")
    units = _READERS.get(fmt, read_text)(source)
    mark_leadins(units)
    return Document(path=path, source=source, fmt=fmt, units=units)
