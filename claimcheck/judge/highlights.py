"""The words inside a claim that its verdict turns on (``Finding.highlights``).

Why a module of its own: the rubric reasons in words ("certainty wording ('clinically
proven')"), while a reviewer needs to see those words in the copy. The matcher already found
them -- concept spans (the condition, the mechanism, the comparator) and cue spans (certainty,
speed, durations, populations, figures ...) -- so they are read from the claim's sentence
while its spaCy spans are still alive, kept as source ranges, and picked per finding:

- the wording the rubric reads (qualifier cues, and the cue words its reasons quote);
- the concepts that chose the matched evidence entries, serious conditions, and comparators;
  with no entry on file, the concepts of the claim's type;
- figures and durations ("in just three sessions", "90%", "1 in 10,000").

Ranges never overlap: wording first, then figures, then concepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from claimcheck.core.records import QUALIFIER_FIELDS, Claim, Highlight
from claimcheck.knowledge.lexicon import Lexicon

# What a cue's words are, as a reviewer would name them.
WHY = {
    "absolute": "certainty",
    "mechanism_overstatement": "certainty",
    "magnitude": "magnitude",
    "speed": "speed",
    "durability": "duration",
    "short_term": "duration",
    "population": "population",
    "testimonial": "testimonial",
    "research_appeal": "research",
    "risk_figure": "figure",
    "safety_minimizer": "safety",
    "avoidable_with_training": "safety",
    "limitation": "limitation",
    "equivalence": "comparison",
    "tradition": "tradition",
    "natural": "natural",
    "natural_framing": "natural",
    "disclaimer": "disclaimer",
    "hedge": "hedge",
    "safety_assertion": "safety",
}
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = frozenset(WHY)
# With no evidence entry, the concepts that say what a claim of each type is about.
TYPE_KINDS = {
    "efficacy": ("condition", "outcome"),
    "mechanism": ("mechanism",),
    "safety": ("safety",),
    "comparative": ("comparison", "condition", "outcome"),
}
_NUMBER = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|single)"
_UNIT = r"(?:sessions?|treatments?|visits?|appointments?|minutes?|hours?|days?|nights?|weeks?|months?|years?)"
FIGURE = re.compile(
    rf"\b(?:{_NUMBER}\s+{_UNIT}\b|\d[\d,.]*\s*(?:%|percent\b|per ?cent\b)|\d[\d,.]*\s+(?:in|out of)\s+\d[\d,.]*\b)",
    re.I,
)
_DURATION = re.compile(_UNIT + r"\Z", re.I)
_QUOTED = re.compile(r"'([^']{2,60})'")
_SHOWN = re.compile(r"\(([^()]*)\)\s*\Z")  # "label ('w1', 'w2')": the words the rule saw
_TAG = re.compile(r"\[([a-z0-9_]+)\]")


class Word(NamedTuple):
    """A marked stretch of a claim's sentence, in source offsets."""

    start: int
    end: int
    label: str  # a concept id or a cue id
    kind: str  # the concept's kind, or "cue"
    text: str


@dataclass(slots=True)
class SentenceWords:
    """The marked words of one claim's sentence, and where the sentence sits in its unit."""

    words: list[Word]
    unit: object  # records.Unit
    offset: int  # the sentence's start in the unit's text

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A range of the claim's text as a range of the source."""
        return self.unit.to_source(self.offset + start, self.offset + end)


def sentence_words(analyses: Iterable, claims: Iterable[Claim], lexicon: Lexicon) -> dict:
    """(claim start, claim end) -> SentenceWords for the sentences the claims were made from.
    Reads the spaCy spans of each such sentence (offsets into the unit's text) and maps them
    to the source. Only sentences whose text is a claim's are looked at: most are not claims."""
    wanted: dict[str, set[tuple[int, int]]] = {}
    for c in claims:
        wanted.setdefault(c.text, set()).add((c.start, c.end))
    out: dict[tuple[int, int], SentenceWords] = {}
    for a in analyses:
        s = a.sentence
        keys = wanted.get(s.text)
        if not keys:
            continue
        key = s.unit.to_source(s.start, s.end)
        if key not in keys or key in out:
            continue
        text, unit = s.unit.text, s.unit
        words: list[Word] = []
        for span in [*s.concepts, *s.cues]:
            label = span.label_
            concept = lexicon.concepts.get(label)
            if concept is None and label not in WHY:
                continue  # a cue the highlights never show (claim verbs, filters)
            lo, hi = span.start_char, span.end_char
            if lo < s.start or hi > s.end:
                continue
            start, end = unit.to_source(lo, hi)
            words.append(Word(start, end, label, concept.kind if concept else "cue", text[lo:hi]))
        for m in FIGURE.finditer(s.text):
            why = "duration" if _DURATION.search(m.group(0)) else "figure"
            start, end = unit.to_source(s.start + m.start(), s.start + m.end())
            words.append(Word(start, end, f"@{why}", "figure", m.group(0)))
        out[key] = SentenceWords(words, unit, s.start)
    return out


@lru_cache(maxsize=4096)
def _pattern(words: str) -> re.Pattern[str] | None:
    parts = [re.escape(p) for p in re.findall(r"[\w']+|[^\w\s]", words)]
    if not parts:
        return None
    return re.compile(r"(?<!\w)" + r"[\s\-]*".join(parts) + r"(?!\w)", re.I)


def _find(words: str, text: str) -> list[tuple[int, int]]:
    """Where quoted words occur in a claim's text: case, spacing and hyphens may differ."""
    pattern = _pattern(words)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def pick(
    claim: Claim,
    words: list[Word],
    entry_concepts: set[str],
    reasons: list[str],
    lexicon: Lexicon,
    rule_cues: dict[str, str | None],
    to_source,
) -> list[Highlight]:
    """The highlights of one finding. ``to_source(a, b)`` maps a range of the claim's text to
    the source; ``rule_cues`` maps a wording rule id to the cue it reads (or None)."""
    inside = [w for w in words if claim.start <= w.start and w.end <= claim.end and w.end > w.start]
    wording: list[tuple[int, int, str, str]] = []
    quoted_cues: set[str] = set()
    for reason in reasons:
        tag = _TAG.search(reason)
        label = reason.split(": ", 1)[0]
        cue = rule_cues.get(tag.group(1)) if tag else None
        why = WHY.get(cue or "", (cue or (tag.group(1) if tag else "wording")).replace("_", " "))
        if cue:
            quoted_cues.add(cue)
        shown = _SHOWN.search(label)
        for quoted in _QUOTED.findall(shown.group(1) if shown else ""):
            for a, b in _find(quoted, claim.text):
                start, end = to_source(a, b)
                wording.append((start, end, why, claim.text[a:b]))
    for w in inside:
        if w.kind == "cue" and (w.label in QUALIFIER_FIELDS or w.label in quoted_cues) and w.label in WHY:
            wording.append((w.start, w.end, WHY[w.label], w.text))
    figures = [(w.start, w.end, w.label[1:], w.text) for w in inside if w.kind == "figure"]
    concepts = []
    kinds = TYPE_KINDS.get(claim.claim_type, ())
    for w in inside:
        if w.kind == "cue" or w.kind == "figure":
            continue
        concept = lexicon.concepts.get(w.label)
        if w.kind == "intervention":
            if w.label != claim.intervention and claim.claim_type == "comparative":
                concepts.append((w.start, w.end, "comparator", w.text))
            continue
        serious = bool(concept and concept.serious)
        if w.label in entry_concepts or serious or (not entry_concepts and w.kind in kinds):
            why = "comparator" if w.kind == "comparison" else w.kind
            concepts.append((w.start, w.end, why, w.text))
    kept: list[tuple[int, int, str, str]] = []
    for item in [*wording, *figures, *concepts]:
        if not any(item[0] < k[1] and k[0] < item[1] for k in kept):
            kept.append(item)
    kept.sort()
    return [Highlight(start=s, end=e, why=why, text=text) for s, e, why, text in kept]
