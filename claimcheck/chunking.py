"""Large documents, checked in parts so that memory stays bounded.

Why: the Checker parses every unit of a document with spaCy, then analyses them together,
because the rules need the page's therapy (the one it names most often) before they can
read an implicit subject ("It relieves..."). That holds every spaCy Doc of the document at
once: a few kilobytes a unit, gigabytes for a 20 MB file of short sentences.

A document over CHUNK_CHARS of text or CHUNK_UNITS units is therefore checked in two passes:
the first runs spaCy over every unit and keeps only the therapy names (the page's therapy,
counted exactly as ``ClaimExtractor._primary`` counts it); the second runs it again part by
part (CHUNK_CHARS / CHUNK_UNITS at most), and each part is analysed with that therapy,
scored and turned into claims before the next part is parsed, so only one part's Docs are
alive. A list under a lead-in ("effective for:") may straddle two parts: the lead-in unit
goes in front of the next part again (its analyses are not counted twice). The claims, and
so the findings, are the ones a single pass gives; a test holds the two equal. Past
``limits.MAX_CLAIMS`` claims the document is refused with a message instead.

The price is a second spaCy pass over large documents (bench/README.md has the figures).
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from claimcheck.limits import MAX_CLAIMS
from claimcheck.nlp import CONCEPTS_KEY
from claimcheck.records import Document, FileResult, Unit

if TYPE_CHECKING:
    from claimcheck.pipeline import Checker

CHUNK_CHARS = 500_000
CHUNK_UNITS = 5_000
PIPE_BATCH = 256


def is_large(document: Document) -> bool:
    """Whether a document is checked in parts."""
    return len(document.units) > CHUNK_UNITS or sum(len(u.text) for u in document.units) > CHUNK_CHARS


class _Label:
    """A concept span reduced to what ``_primary`` reads."""

    __slots__ = ("label_",)

    def __init__(self, label: str) -> None:
        self.label_ = label


def _page_therapy(checker: Checker, units: list[Unit]) -> str | None:
    subjects = checker.extractor.subject_ids
    labels: list[_Label] = []
    for doc in checker.nlp.pipe((u.text for u in units), batch_size=PIPE_BATCH):
        labels.extend(_Label(span.label_) for span in doc.spans[CONCEPTS_KEY] if span.label_ in subjects)
    return checker.extractor._primary([labels])


def _parts(units: list[Unit], max_chars: int, max_units: int) -> list[tuple[int, int]]:
    bounds, start, chars = [], 0, 0
    for i, unit in enumerate(units):
        if i > start and (chars + len(unit.text) > max_chars or i - start >= max_units):
            bounds.append((start, i))
            start, chars = i, 0
        chars += len(unit.text)
    if start < len(units):
        bounds.append((start, len(units)))
    return bounds


def check_large(
    checker: Checker, document: Document, max_chars: int = CHUNK_CHARS, max_units: int = CHUNK_UNITS
) -> FileResult:
    """Check a document part by part (see the module doc); the same result as one pass."""
    units = document.units
    primary = _page_therapy(checker, units)
    parsed = iter(checker.nlp.pipe((u.text for u in units), batch_size=PIPE_BATCH))
    claims: list = []
    carried: tuple[Unit, object] | None = None  # the last unit that is not a list item, and its Doc
    for lo, hi in _parts(units, max_chars, max_units):
        part, docs = units[lo:hi], list(islice(parsed, hi - lo))
        head = [carried] if carried is not None and part[0].kind == "list_item" else []
        sub = Document(path=document.path, source=document.source, fmt=document.fmt, units=[u for u, _ in head] + part)
        analyses = checker.extractor.analyze(sub, [d for _, d in head] + docs, primary=primary)
        if head:
            analyses = [a for a in analyses if a.sentence.unit is not head[0][0]]
        for unit, doc in zip(reversed(part), reversed(docs), strict=True):
            if unit.kind != "list_item":
                carried = (unit, doc)
                break
        claims.extend(checker.extractor.build(analyses, checker._score(analyses)))
        del analyses, docs
        if len(claims) > MAX_CLAIMS:
            reason = f"more than {MAX_CLAIMS:,} claims; the limit keeps memory bounded: split the file"
            return FileResult(path=document.path, error=f"{document.path}: {reason}")
    return checker._judge(document, claims)
