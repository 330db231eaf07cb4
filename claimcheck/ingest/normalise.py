"""Matching text: the words a reader sees, for the matchers, while findings show the source.

Why: "Dry needling cu\u200bres migraines" reads as a claim, but a zero-width space inside
"cures" hides the word from a lexicon. The same goes for a soft hyphen (also written
``&shy;``), a word joiner, a byte-order mark inside a word, Cyrillic or Greek letters that
look Latin ("сures" with a Cyrillic "с"), fullwidth letters ("ｃｕｒｅｓ"), a combining accent
added to a letter ("cu\u0301res") and text written backwards between a right-to-left
override and its pop ("\u202eseruc\u202c" shows as "cures").

So each unit's text is normalised for matching -- invisible characters dropped, an
override's text put in the order it is shown, fullwidth and mathematical letters mapped to
ASCII, combining marks on Latin, Greek and Cyrillic letters dropped, and look-alike letters
mapped to Latin in words that mix them with Latin letters (or consist only of them) -- and
every character of the result keeps the source characters it came from, in the unit's own
piece map (records.Piece), so a finding still points at the exact source characters.
``Unit.written`` keeps the text as written, which is what a finding shows.

Ordinary text is never changed: a unit without any of these characters keeps its pieces as
they are, and precomposed accented letters (é, ñ), Greek letters standing alone (α-waves,
TNF-α) and words wholly in another script keep theirs.
"""

from __future__ import annotations

import re
import unicodedata

from claimcheck.core.records import Piece

# Any character that may be changed; a unit without one is left exactly as it is.
_SUSPECT = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\u3164\ufeff\uffa0\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0370-\u03ff\u0400-\u052f\uff01-\uff5e\u3000\u2100-\u214f\u0131\u0237\u0251\u0261\u0269"
    "\U0001d400-\U0001d7ff]"
)
# Shown as nothing: zero-width spaces and joiners, word joiner, soft hyphen, BOM, fillers,
# invisible operators, direction marks.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0\u061c"
)
_RLO, _PDF, _ZWJ = "\u202e", "\u202c", "\u200d"
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Letters that look like Latin ones (after Unicode's confusables list, kept to close matches).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "і": "i", "ј": "j", "к": "k", "о": "o", "р": "p", "с": "c",
    "у": "y", "х": "x", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y", "Һ": "H", "Ԛ": "Q",
    "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters that look like others
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i",
}  # fmt: skip


def _wide(ch: str) -> str | None:
    """The ASCII form of a fullwidth character or of a mathematical or letterlike letter/digit."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if code == 0x3000:
        return " "
    if 0x1D400 <= code <= 0x1D7FF or 0x2100 <= code <= 0x214F:
        folded = unicodedata.normalize("NFKC", ch)
        if folded.isascii() and folded.isalnum():
            return folded
    return None


def _is_base(ch: str) -> bool:
    """A letter a combining mark may be dropped from: Latin, Greek or Cyrillic."""
    return ch.isalpha() and (ch.isascii() or 0x00C0 <= ord(ch) <= 0x052F or 0x1E00 <= ord(ch) <= 0x1FFF)


# One character of matching text: (text, source start, source end, index in the written text).
_Char = tuple[str, int, int, int]


def _chars(pieces: list[Piece]) -> list[_Char]:
    out: list[_Char] = []
    at = 0
    for p in pieces:
        verbatim = len(p.text) == p.src_end - p.src_start
        for k, ch in enumerate(p.text):
            if verbatim:
                out.append((ch, p.src_start + k, p.src_start + k + 1, at + k))
            else:  # a decoded entity: each of its characters stands for all of it
                out.append((ch, p.src_start, p.src_end, at + k))
        at += len(p.text)
    return out


def _visual_order(chars: list[_Char]) -> list[_Char]:
    """Text between a right-to-left override and its pop (or the end) in the order it is shown."""
    out: list[_Char] = []
    i = 0
    while i < len(chars):
        if chars[i][0] != _RLO:
            out.append(chars[i])
            i += 1
            continue
        j = i + 1
        while j < len(chars) and chars[j][0] != _PDF:
            j += 1
        out.extend(reversed(chars[i + 1 : j]))
        i = j + 1
    return out


def _map_words(chars: list[_Char]) -> list[_Char]:
    """Look-alike letters to Latin, in words made of Latin and look-alike letters only."""
    out = list(chars)
    i = 0
    while i < len(out):
        if not out[i][0].isalpha():
            i += 1
            continue
        j = i
        while j < len(out) and out[j][0].isalpha():
            j += 1
        word = [c[0] for c in out[i:j]]
        latin = sum(1 for ch in word if ch.isascii())
        looks = sum(1 for ch in word if ch in CONFUSABLES)
        if looks and latin + looks == len(word) and (latin or len(word) >= 2):
            for k in range(i, j):
                ch, start, end, at = out[k]
                out[k] = (CONFUSABLES.get(ch, ch), start, end, at)
        i = j
    return out


def _in_emoji(chars: list[_Char], i: int) -> bool:
    """Whether the joiner at ``i`` joins two emoji (a symbol or modifier before it, or their
    variation selector; a symbol after it)."""
    before = chars[i - 1][0] if i else ""
    after = chars[i + 1][0] if i + 1 < len(chars) else ""
    return (
        bool(before)
        and bool(after)
        and (before == "\ufe0f" or unicodedata.category(before) in ("So", "Sk"))
        and unicodedata.category(after) == "So"
    )


def _normalise(chars: list[_Char]) -> list[_Char]:
    if any(c[0] == _RLO for c in chars):
        chars = _visual_order(chars)
    kept: list[_Char] = []
    for i, (ch, start, end, at) in enumerate(chars):
        if ch == _ZWJ and _in_emoji(chars, i):
            kept.append((ch, start, end, at))  # part of an emoji sequence (🏃‍♀️), not hiding a word
            continue
        if ch in _INVISIBLE or ch in _BIDI:
            continue
        wide = _wide(ch)
        if wide is not None:
            kept.extend((w, start, end, at) for w in wide)
            continue
        if unicodedata.category(ch) in ("Mn", "Me") and kept and _is_base(kept[-1][0]):
            continue  # a combining mark on a letter: "cu\u0301res" matches as "cures"
        kept.append((ch, start, end, at))
    return _map_words(kept)


def _pieces(chars: list[_Char]) -> list[Piece]:
    """Pieces for normalised characters: runs that map one to one onto consecutive source
    characters share a piece (so offsets inside them are exact); the rest are pieces of
    their own."""
    out: list[Piece] = []
    run: list[str] = []
    run_start = run_end = -1
    for ch, start, end, _ in chars:
        single = end - start == 1
        if single and run and start == run_end:
            run.append(ch)
            run_end = end
            continue
        if run:
            out.append(Piece("".join(run), run_start, run_end))
            run = []
        if single:
            run, run_start, run_end = [ch], start, end
        else:
            out.append(Piece(ch, start, end))
    if run:
        out.append(Piece("".join(run), run_start, run_end))
    return out


def normalise_pieces(pieces: list[Piece]) -> tuple[list[Piece], str | None, list[int] | None]:
    """(pieces, written, written_at) for a unit: the pieces of its text normalised for matching
    (see the module doc), the text as written, and for each character of the new text the
    index of the written character it came from. Pieces without a character to change are
    returned as they are, with None and None."""
    written = "".join(p.text for p in pieces)
    if written.isascii() or not _SUSPECT.search(written):
        return pieces, None, None
    matching = _normalise(_chars(pieces))
    if [c[0] for c in matching] == list(written):
        return pieces, None, None
    return _pieces(matching), written, [c[3] for c in matching]


def matching_text(text: str) -> str:
    """A string normalised as a unit's text is (for wording rules that read a claim's text)."""
    if text.isascii() or not _SUSPECT.search(text):
        return text
    return "".join(c[0] for c in _normalise(_chars([Piece(text, 0, len(text))])))
