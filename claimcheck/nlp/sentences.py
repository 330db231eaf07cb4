"""Sentences and clauses of a unit, with the concept and cue spans that fall in each.

Split off the extractor so that the claim rules (extract.py, claim_forms.py) read plain
``Sentence`` records: the text, its spaCy span and its spans, located in the unit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from claimcheck.core.records import Unit
from claimcheck.knowledge.lexicon import Lexicon
from claimcheck.nlp.clauses import PREDICATE_CUES, clause_bounds
from claimcheck.nlp.engine import CONCEPTS_KEY, CUES_KEY

# Cues that state the limits of the evidence: a sentence holding one is not cut into clauses.
LIMIT_CUES = frozenset({"limitation", "disclaimer", "evidence_absent"})
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = LIMIT_CUES
FRAGMENT_MAX_WORDS = 10  # a bullet or banner phrase has at most this many words
BANNER_MAX_WORDS = 6  # a banner with a full stop: "Lose weight without dieting."


@dataclass
class Sentence:
    """One candidate sentence with the spans the matcher found in it."""

    unit: Unit
    start: int  # offsets into unit.text
    end: int
    text: str
    span: object = None  # the spaCy Span of the sentence
    sentence_index: int = 0  # clauses of one sentence share it
    # The other clauses of the same sentence: their concepts tell which evidence a clause
    # that lost its topic to the split is about ("In rare cases needles may irritate ...,
    # causing numbness").
    siblings: list | None = None
    unit_concepts: list | None = None  # concept spans of the whole unit (a testimonial's other sentences)
    concepts: list = field(default_factory=list)
    cues: list = field(default_factory=list)
    # Memos: the rules ask the same questions of a sentence many times. ``concepts`` never
    # changes after construction; ``cues`` is only ever replaced (never edited in place),
    # so the cue-label memo is keyed on the list's identity.
    _tokens: tuple | None = field(default=None, repr=False, compare=False)  # (is_alpha, orth, ":" hash) per token
    _starts: set | None = field(default=None, repr=False, compare=False)
    _ids: dict = field(default_factory=dict, repr=False, compare=False)
    _ids_lexicon: object = field(default=None, repr=False, compare=False)
    _labels: frozenset = field(default=frozenset(), repr=False, compare=False)
    _labels_of: object = field(default=None, repr=False, compare=False)

    def concept_ids(self, lexicon: Lexicon, kind: str | None = None) -> list[str]:
        if self._ids_lexicon is not lexicon:
            self._ids, self._ids_lexicon = {}, lexicon
        ids = self._ids.get(kind)
        if ids is None:
            if kind is None:
                ids = []
                for span in self.concepts:
                    label = span.label_
                    if label in lexicon.concepts and label not in ids:
                        ids.append(label)
            else:
                # A label's kind is fixed, so filtering the first-seen order keeps it.
                ids = [c for c in self.concept_ids(lexicon) if lexicon.concepts[c].kind == kind]
            self._ids[kind] = ids
        return list(ids)

    def cue_texts(self, cue_id: str) -> list[str]:
        return [s.text.lower() for s in self.cues if s.label_ == cue_id]

    def has(self, cue_id: str) -> bool:
        if self._labels_of is not self.cues:
            self._labels, self._labels_of = frozenset(s.label_ for s in self.cues), self.cues
        return cue_id in self._labels


def split_sentences(unit: Unit, doc, whole: bool = False, concept_spans: list | None = None) -> list[Sentence]:
    """Sentences of a unit; a heading (or, with ``whole``, any unit) is one sentence.

    Linear in the unit's length: ``doc.text`` (which spaCy rebuilds from every token on
    each access) is read once, and each concept/cue span is put in its sentence by a
    binary search on sentence starts instead of filtering every span for every sentence.
    """
    text = _doc_text(unit, doc)
    bounds: list[tuple[int, int, int, int]] = []  # char start, char end, token start, token end
    if whole or (unit.kind == "heading" and not _SLOGANS.search(text)):
        sentence_bounds = [(0, len(text), 0, len(doc))]
    else:
        sentence_bounds = [(sent.start_char, sent.end_char, sent.start, sent.end) for sent in doc.sents]
    if whole:
        bounds, owners = sentence_bounds, list(range(len(sentence_bounds)))
    else:
        predicate_starts = {c.start for c in doc.spans[CUES_KEY] if c.label_ in PREDICATE_CUES}
        # A sentence that states the limits of its own evidence ("...; this has not been shown
        # in people") is one statement: cutting it would leave the effect without its limit.
        whole_starts = sorted(c.start for c in doc.spans[CUES_KEY] if c.label_ in LIMIT_CUES)
        bounds, owners = [], []
        for k, sb in enumerate(sentence_bounds):
            banner = unit.kind in ("heading", "meta") or short_phrase(unit.text)
            limited = any(sb[2] <= t < sb[3] for t in whole_starts)
            clauses = [sb] if limited else clause_bounds(doc, sb, predicate_starts, banner=banner)
            bounds.extend(clauses)
            owners.extend([k] * len(clauses))
    token_starts = [b[2] for b in bounds]
    concepts = _spans_by_sentence(
        doc.spans[CONCEPTS_KEY] if concept_spans is None else concept_spans, bounds, token_starts
    )
    cues = _spans_by_sentence(doc.spans[CUES_KEY], bounds, token_starts)
    tokens = _token_table(doc)
    out = []
    for k, (cs, ce, ts, te) in enumerate(bounds):
        raw = text[cs:ce]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        cs, ce = cs + lead, ce - trail
        if ce <= cs:
            continue
        out.append(
            Sentence(
                unit=unit,
                start=cs,
                end=ce,
                text=text[cs:ce],
                span=doc[ts:te],
                sentence_index=owners[k],
                concepts=concepts[k],
                cues=cues[k],
                _tokens=tokens,
            )
        )
    if len(out) > 1:
        by_sentence: dict[int, list] = {}
        for clause in out:
            by_sentence.setdefault(clause.sentence_index, []).append(clause)
        for clause in out:
            group = by_sentence[clause.sentence_index]
            if len(group) > 1:
                clause.siblings = group
    for clause in out:
        clause.unit_concepts = concept_spans
    return out


# A heading made of several slogans ("Flood your body with oxygen. Heal from within.").
_SLOGANS = re.compile(r"[.!] +[A-Z]")


def _doc_text(unit: Unit, doc) -> str:
    """``doc.text``, which spaCy rebuilds from every token on each access. The Doc was made
    from ``unit.text`` and spaCy keeps text verbatim, so that is used when it lines up."""
    if len(doc) == 0:
        return doc.text
    last = doc[-1]
    if last.idx + len(last.text_with_ws) == len(unit.text) and doc[0].idx == 0:
        return unit.text
    return doc.text


def _token_table(doc) -> tuple[list[int], list[int], int]:
    """Per token of a doc: is_alpha and the ORTH hash (read once, as arrays), and the hash of ":"."""
    from spacy.attrs import IS_ALPHA, ORTH

    if len(doc) == 0:
        return [], [], doc.vocab.strings[":"]
    rows = doc.to_array([IS_ALPHA, ORTH])
    return rows[:, 0].tolist(), rows[:, 1].tolist(), doc.vocab.strings[":"]


def _spans_by_sentence(spans, bounds: list[tuple[int, int, int, int]], token_starts: list[int]) -> list[list]:
    """The spans that lie wholly inside each sentence, in their original order.

    Sentences are disjoint and sorted, so a span can only lie inside the sentence that
    holds its first token; a span that crosses a sentence end belongs to none.
    """
    out: list[list] = [[] for _ in bounds]
    for span in spans:
        k = bisect_right(token_starts, span.start) - 1
        if k >= 0 and span.end <= bounds[k][3]:
            out[k].append(span)
    return out


def starts_with_cue(s: Sentence, cue_id: str) -> bool:
    """A cue at the sentence's first word, or just after a short 'Label:' prefix."""
    if s._starts is None:
        s._starts = cue_starts(s)
    starts = s._starts
    return any(c.label_ == cue_id and c.start in starts for c in s.cues)


def cue_starts(s: Sentence) -> set[int]:
    """Token indexes where a sentence-initial cue may start (computed once per sentence)."""
    span = s.span
    first, end = span.start, span.end
    if s._tokens is None:
        while first < end and not span.doc[first].is_alpha:
            first += 1
        starts = {first}
        for tok in span[: min(len(span), 8)]:
            if tok.text == ":":
                starts.add(tok.i + 1)
                break
        return starts
    alpha, orth, colon = s._tokens
    while first < end and not alpha[first]:
        first += 1
    starts = {first}
    for i in range(span.start, span.start + min(end - span.start, 8)):
        if orth[i] == colon:
            starts.add(i + 1)
            break
    return starts


def short_phrase(text: str) -> bool:
    """A bullet or banner phrase rather than a sentence: a few words, no closing full stop
    (a banner of a handful of words may have one: "Lose weight without dieting.")."""
    stripped = text.strip()
    words = len(stripped.split())
    if ": " in stripped or stripped.endswith(":"):
        return False
    return words <= BANNER_MAX_WORDS if stripped.endswith(".") else words <= FRAGMENT_MAX_WORDS
