"""The page's outline: which therapy each part of a page is about.

Copy rarely names its therapy in every sentence. A banner ("MELTS FAT IN ONE VISIT"), a
bullet without a subject or an "it" is about the therapy of the section it sits in, and
failing that the therapy of the page (its title, h1 or front-matter title). The outline
is read once per document from the headings and metadata, before any claim is found.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from claimcheck.core.records import Unit

# The catch-all concept for a named therapy the lexicon has never seen ("ozone therapy").
NAMED_THERAPY = "named_therapy"


@dataclass(frozen=True)
class Subject:
    """A therapy a claim is about: a lexicon id, or NAMED_THERAPY with the name as written."""

    id: str
    label: str | None = None


def therapies_in(spans: list, subject_ids: set[str]) -> list[Subject]:
    """The therapies named in a run of concept spans, known ids first, in text order.

    A named-therapy span that overlaps a known therapy adds nothing ("sports massage"
    is massage); of overlapping named spans the longest wins ("medical ozone therapy").
    """
    known = [s for s in spans if s.label_ in subject_ids and s.label_ != NAMED_THERAPY]
    named = [s for s in spans if s.label_ == NAMED_THERAPY]
    out: list[Subject] = []
    for span in known:
        subject = Subject(span.label_)
        if subject not in out:
            out.append(subject)
    kept: list = []
    for span in sorted(named, key=lambda s: (s.start, -(s.end - s.start))):
        if any(k.start < span.end and span.start < k.end for k in known):
            continue
        if kept and kept[-1].start <= span.start < kept[-1].end:
            continue
        kept.append(span)
    for span in kept:
        subject = Subject(NAMED_THERAPY, _label(span.text))
        if subject not in out:
            out.append(subject)
    return out


def _label(text: str) -> str:
    """A named therapy as the copy writes it; a name shouted in capitals ("OZONE THERAPY")
    is shown in lower case, keeping short acronyms ("NAD+", "HBOT")."""
    words = text.split()
    if len(words) > 1 and all(w.isupper() for w in words if any(c.isalpha() for c in w)):
        return " ".join(w if len(w) <= 4 else w.lower() for w in words)
    return " ".join(words)


@dataclass
class Outline:
    """Page subject and, per unit, the subject of the section the unit sits in."""

    page: Subject | None
    sections: list[Subject | None]

    @classmethod
    def read(cls, units: list[Unit], unit_spans: list[list], subject_ids: set[str]) -> Outline:
        named = [therapies_in(spans, subject_ids) for spans in unit_spans]
        page = _page_subject(units, named, unit_spans, subject_ids)
        sections: list[Subject | None] = []
        stack: list[tuple[int, Subject | None]] = []  # (heading level, its therapy)
        for unit, found in zip(units, named, strict=True):
            if unit.kind == "heading":
                level = unit.level or 2
                while stack and stack[-1][0] >= level:
                    stack.pop()
                # A heading that names the page's therapy beside others ("Needling vs massage")
                # stays about the page's therapy.
                stack.append((level, (page if page in found else found[0]) if found else None))
            section = next((s for _, s in reversed(stack) if s is not None), None)
            sections.append(section)
        return cls(page=page, sections=sections)

    def subject_for(self, index: int) -> Subject | None:
        """The therapy an implicit subject in unit ``index`` refers to."""
        return self.sections[index] or self.page


def _page_subject(
    units: list[Unit], named: list[list[Subject]], unit_spans: list[list], subject_ids: set[str]
) -> Subject | None:
    """The title's therapy, else the h1's, else the therapy the page names most often."""
    for wanted in ("title", "h1"):
        for unit, found in zip(units, named, strict=True):
            is_title = unit.kind == "meta" and unit.role == "title"
            is_h1 = unit.kind == "heading" and unit.level == 1
            if found and ((wanted == "title" and is_title) or (wanted == "h1" and is_h1)):
                return found[0]
    mentions: Counter[str] = Counter(
        span.label_
        for spans in unit_spans
        for span in spans
        if span.label_ in subject_ids and span.label_ != NAMED_THERAPY
    )
    if mentions:
        return Subject(mentions.most_common(1)[0][0])
    counts: Counter[Subject] = Counter(s for found in named for s in found)
    if not counts:
        return _title_subject(units)
    return counts.most_common(1)[0][0]


# Where a page title or h1 names nothing the lexicon or the open-class patterns know
# ("Reiki in Bristol", "Bowen | Gentle Body Work"), its first segment names the service.
_SEGMENT_END = re.compile(r"\s+(?:[|:–—-]|in|at|near|for|with|by)\s+|[|:!?.]", re.I)


def _title_subject(units: list[Unit]) -> Subject | None:
    for unit in units:
        is_title = unit.kind == "meta" and unit.role == "title"
        if is_title or (unit.kind == "heading" and unit.level == 1):
            head = _SEGMENT_END.split(unit.text.strip(), maxsplit=1)[0].strip()
            words = head.split()
            if 0 < len(words) <= 4 and head[0].isalpha():
                return Subject(NAMED_THERAPY, _label(head))
    return None
