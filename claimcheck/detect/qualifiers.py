"""Read a claim's wording: hedges, absolutes, time frames, appeals to research, and so on.

Qualifiers come from the cue spans the matcher marked (rules/cues.yaml, group
``qualifier``). They are read within the claim's own sentence, plus the lead-in for a
list item ("particularly effective for:" qualifies every item under it).
"""

from __future__ import annotations

from collections.abc import Iterable

from claimcheck.core.records import QUALIFIER_FIELDS, Qualifiers

QUALIFIER_NAMES = QUALIFIER_FIELDS
# Time-frame words that double as ordinary words in other cues.
_SHORT_TERM_OVERRIDES_DURABILITY = {"short-term", "short term"}


def read_qualifiers(cue_spans: Iterable) -> Qualifiers:
    """Collect qualifier cues (spaCy spans labelled with a cue id) into a Qualifiers record."""
    found = Qualifiers()
    spans = list(cue_spans)
    covered = _covered_by_longer(spans)
    for span in spans:
        name = span.label_
        if name not in QUALIFIER_NAMES or (span.start, span.end, name) in covered:
            continue
        bucket: list[str] = getattr(found, name)
        text = span.text.lower()
        if text not in bucket:
            bucket.append(text)
    # "long-term" inside "short-term" never happens, but "long term" after "no" is a limitation.
    if found.short_term:
        found.durability = [d for d in found.durability if d not in _SHORT_TERM_OVERRIDES_DURABILITY]
    # A risk figure or a hedge inside a limitation statement is part of that statement.
    return found


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
    """Add the named qualifiers of a lead-in to a list item's own."""
    for name in names:
        bucket = getattr(primary, name)
        for value in getattr(inherited, name):
            if value not in bucket:
                bucket.append(value)
    return primary
