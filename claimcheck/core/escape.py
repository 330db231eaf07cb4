"""Escaping for the places a report is shown: terminals, CI logs, JSON read by terminals.

Why: page copy, file names, HTTP reason phrases and fetched pages are written by someone
else. Printed raw, an ESC or OSC sequence acts on the reader's terminal (clears it, sets
its title, plants an OSC 8 link), a bare carriage return hides what came before it on the
line, a newline in a file name starts a line of its own (a GitHub workflow command such as
``::stop-commands::`` included), and a right-to-left override shows text in an order that
is not the order in the file. Such characters are shown as Python-style escapes
(``\\x1b``, ``\\r``, ``\\u202e``), which read the same everywhere and act on nothing.

File names that are not UTF-8 reach Python as lone surrogates (``b"caf\\xe9"`` becomes
``"caf\\udce9"``); no encoder accepts them, so they are shown as ``\\xNN`` for the byte.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL and C1 controls, line/paragraph separators, bidi embeddings,
# overrides and isolates, and lone surrogates.
_TERMINAL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters a JSON encoder leaves raw that a terminal may still act on or reorder.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def surrogates(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes of a file name) shown as ``\\xNN``."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: _escape_char(m.group()), text)


def terminal(text: str) -> str:
    """One line safe to print: control characters, bidi overrides and undecodable bytes escaped
    (a newline too: the result never spans lines). Tabs are kept."""
    if text.isascii() and text.isprintable():
        return text
    if not _TERMINAL.search(text):
        return text
    return _TERMINAL.sub(lambda m: _escape_char(m.group()), text)


def terminal_lines(text: str) -> str:
    """Several lines safe to print: each line escaped as by :func:`terminal`, newlines kept."""
    if not _TERMINAL.search(text):
        return text
    return "\n".join(terminal(line) for line in text.split("\n"))


def json_text(text: str) -> str:
    """JSON text with the characters its encoder leaves raw but a terminal acts on (C1
    controls, DEL, line separators, bidi overrides) written as ``\\uXXXX`` escapes. Such
    characters only occur inside JSON strings, so the result is the same JSON value."""
    if text.isascii() and "\x7f" not in text:
        return text
    if not _JSON_RAW.search(text):
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def bidi(text: str) -> str:
    """``text`` with bidi embeddings, overrides and isolates shown as ``\\u202e``: for pages
    (HTML, Markdown) where other control characters are harmless but these reorder what the
    reviewer reads."""
    if text.isascii() or not _BIDI.search(text):
        return text
    return _BIDI.sub(lambda m: _escape_char(m.group()), text)
