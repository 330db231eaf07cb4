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

from claimcheck.records import QUALIFIER_FIELDS, Claim, Highlight
from claimcheck.rules import Lexicon

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
_QUOTED = re.compile(r"'([^']{2,60})'")
_SHOWN = re.compile(r"\(([^()]*)\)\s*\Z")  # "label ('w1', 'w2')": the words the rule saw
_TAG = re.compile(r"\[([a-z0-9_]+)\]")


@dataclass(frozen=True, slots=True)
class Word:
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


def sentence_words(analyses: Iterable, wanted: set[tuple[int, int]], lexicon: Lexicon) -> dict:
    """(claim start, claim end) -> SentenceWords, for the spans in ``wanted``. Reads the spaCy
    spans of each analysis's sentence (offsets into the unit's text) and maps them to the
    source; a span whose text does not line up is left out."""
    out: dict[tuple[int, int], SentenceWords] = {}
    for a in analyses:
        s = a.sentence
        key = s.unit.to_source(s.start, s.end)
        if key not in wanted or key in out:
            continue
        text = s.unit.text
        words: list[Word] = []
        for span in [*s.concepts, *s.cues]:
            lo, hi = span.start_char, span.end_char
            if lo < s.start or hi > s.end or text[lo:hi] != span.text:
                continue
            label = span.label_
            concept = lexicon.concepts.get(label)
            kind = concept.kind if concept else "cue"
            start, end = s.unit.to_source(lo, hi)
            words.append(Word(start, end, label, kind, span.text))
        for m in FIGURE.finditer(s.text):
            why = "duration" if re.search(_UNIT + r"\Z", m.group(0), re.I) else "figure"
            start, end = s.unit.to_source(s.start + m.start(), s.start + m.end())
            words.append(Word(start, end, f"@{why}", "figure", m.group(0)))
        out[key] = SentenceWords(words, s.unit, s.start)
    return out


def _find(words: str, text: str) -> list[tuple[int, int]]:
    """Where quoted words occur in a claim's text: case, spacing and hyphens may differ."""
    parts = [re.escape(p) for p in re.findall(r"[\w']+|[^\w\s]", words)]
    if not parts:
        return []
    pattern = r"(?<!\w)" + r"[\s\-]*".join(parts) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text, re.I)]


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
