"""Large documents, checked in parts so that memory stays bounded.

Why: the Checker parses every unit of a document with spaCy, then analyses them together,
because the rules need the page's therapy (its outline: outline.py) before they can
read an implicit subject ("It relieves..."). That holds every spaCy Doc of the document at
once: a few kilobytes a unit, gigabytes for a 20 MB file of short sentences.

A document over CHUNK_CHARS of text or CHUNK_UNITS units is therefore checked in two passes:
the first runs spaCy over every unit and keeps only the therapy names, from which it reads
the page's outline (outline.py: the page's therapy and each section's, exactly as a single
pass reads them); the second runs it again part by part (CHUNK_CHARS / CHUNK_UNITS at
most), and each part is analysed with that page therapy and those section therapies,
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

from claimcheck.core.limits import MAX_CLAIMS
from claimcheck.core.records import Document, FileResult, Unit
from claimcheck.detect.outline import NAMED_THERAPY, Outline
from claimcheck.judge.highlights import sentence_words
from claimcheck.nlp.engine import CONCEPTS_KEY

if TYPE_CHECKING:
    from claimcheck.pipeline.checker import Checker

CHUNK_CHARS = 500_000
CHUNK_UNITS = 5_000
PIPE_BATCH = 256


def is_large(document: Document) -> bool:
    """Whether a document is checked in parts."""
    return len(document.units) > CHUNK_UNITS or sum(len(u.text) for u in document.units) > CHUNK_CHARS


class _Span:
    """A concept span reduced to what ``Outline.read`` reads."""

    __slots__ = ("end", "label_", "start", "text")

    def __init__(self, span) -> None:
        self.label_, self.start, self.end, self.text = span.label_, span.start, span.end, span.text


def _page_outline(checker: Checker, units: list[Unit]) -> Outline:
    """The whole page's outline (page therapy and each unit's section therapy), read from
    its therapy names alone."""
    subjects = checker.extractor.subject_ids
    spans: list[list[_Span]] = []
    for doc in checker.nlp.pipe((u.text for u in units), batch_size=PIPE_BATCH):
        spans.append([_Span(s) for s in doc.spans[CONCEPTS_KEY] if s.label_ in subjects or s.label_ == NAMED_THERAPY])
    return Outline.read(units, spans, subjects)


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
    outline = _page_outline(checker, units)
    parsed = iter(checker.nlp.pipe((u.text for u in units), batch_size=PIPE_BATCH))
    claims: list = []
    words: dict = {}
    carried: tuple[Unit, object, int] | None = None  # the last unit that is not a list item, its Doc and index
    for lo, hi in _parts(units, max_chars, max_units):
        part, docs = units[lo:hi], list(islice(parsed, hi - lo))
        head = [carried] if carried is not None and part[0].kind == "list_item" else []
        sub = Document(
            path=document.path, source=document.source, fmt=document.fmt, units=[u for u, _, _ in head] + part
        )
        sections = [outline.sections[i] for _, _, i in head] + outline.sections[lo:hi]
        analyses = checker.extractor.analyze(
            sub, [d for _, d, _ in head] + docs, primary=outline.page, sections=sections
        )
        if head:
            analyses = [a for a in analyses if a.sentence.unit is not head[0][0]]
        for k in range(len(part) - 1, -1, -1):
            if part[k].kind != "list_item":
                carried = (part[k], docs[k], lo + k)
                break
        built = checker.extractor.build(analyses, checker._score(analyses))
        # The words the verdicts may turn on (highlights), read while this part's Docs are alive.
        words.update(sentence_words(analyses, built, checker.lexicon))
        claims.extend(built)
        del analyses, docs, built
        if len(claims) > MAX_CLAIMS:
            reason = f"more than {MAX_CLAIMS:,} claims; the limit keeps memory bounded: split the file"
            return FileResult(path=document.path, error=f"{document.path}: {reason}")
    return checker._judge(document, claims, words)
