"""Read a claim's wording: hedges, absolutes, time frames, appeals to research, and so on.

The words come from the cue spans the matcher marked (rules/cues.yaml): every cue's terms
and patterns, matched once, by one matcher. They are read within the claim's own clause,
plus the lead-in for a list item ("particularly effective for:" qualifies every item under
it) and, for a few, the rest of its sentence.

The qualifiers a report shows (``QUALIFIER_FIELDS``) read as they always have: in the order
the matcher found them, and a word inside a longer word of the same cue ("safe" in "very
safe") is not read on its own. Every other cue keeps every word found, in reading order,
for the wording rules and evidence entries that name it.
"""

from __future__ import annotations

from collections.abc import Iterable

from claimcheck.core.records import QUALIFIER_FIELDS, Qualifiers

# Time-frame words that double as ordinary words in other cues.
_SHORT_TERM_OVERRIDES_DURABILITY = {"short-term", "short term"}
_REPORTED = frozenset(QUALIFIER_FIELDS)
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = frozenset({"short_term", "durability"})


def read_qualifiers(cue_spans: Iterable) -> Qualifiers:
    """Collect cue spans (spaCy spans labelled with a cue id) into a Qualifiers record."""
    found = Qualifiers()
    spans = list(cue_spans)
    reported = [s for s in spans if s.label_ in _REPORTED]
    covered = _covered_by_longer(reported)
    for span in reported:
        if (span.start, span.end, span.label_) not in covered:
            found.add(span.label_, _word(span))
    for span in sorted((s for s in spans if s.label_ not in _REPORTED), key=lambda s: s.start):
        found.add(span.label_, _word(span))
    # "long-term" inside "short-term" never happens, but "long term" after "no" is a limitation.
    if found.short_term and found.durability:
        found.words["durability"] = [d for d in found.durability if d not in _SHORT_TERM_OVERRIDES_DURABILITY]
    return found


def _word(span) -> str:
    """A span's words as a rule quotes them: lower case, without a closing full stop (the
    token "Dr." is the word 'dr'; the stop is punctuation, not wording)."""
    text = span.text.lower()
    return text.rstrip(".") or text


def _covered_by_longer(spans: list) -> set[tuple[int, int, str]]:
    """Cue spans of the same name inside a longer one ("safe" inside "very safe")."""
    by_name: dict[str, list] = {}
    for span in spans:
        by_name.setdefault(span.label_, []).append(span)
    covered = set()
    for name, group in by_name.items():
        for span in group:
            for other in group:
                if other is span:
                    continue
                if (
                    other.start <= span.start
                    and span.end <= other.end
                    and (other.end - other.start) > (span.end - span.start)
                ):
                    covered.add((span.start, span.end, name))
                    break
    return covered


def merge(primary: Qualifiers, inherited: Qualifiers, names: Iterable[str]) -> Qualifiers:
    """Add the named cues' words of a lead-in (or of the rest of a sentence) to a claim's own."""
    for name in names:
        for value in inherited.get(name):
            primary.add(name, value)
    return primary
