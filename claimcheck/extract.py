"""Find claims: which sentences make efficacy, mechanism, safety or comparative claims.

The rules read the concept and cue spans that the matcher put on each spaCy Doc. A claim
needs a subject (the therapy, named or implied: "it", "this therapy", a bullet under
"effective for:") and a predicate of its type. Questions, negations, calls to action and
reference-list entries are not claims.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from claimcheck.nlp import CONCEPTS_KEY, CUES_KEY
from claimcheck.qualifiers import merge, read_qualifiers
from claimcheck.records import CLAIM_TYPES, Claim, Document, Unit
from claimcheck.rules import Lexicon

MODEL_LABELS = ("claim", *CLAIM_TYPES)  # the classifier's output columns
# The model adds a claim (or a type) the rules missed only when it is this sure.
MODEL_ADD_THRESHOLD = 0.8
# ... and removes a rule claim only when it is this sure there is none.
MODEL_VETO_THRESHOLD = 0.05
RULE_PRIOR_EXPLICIT = 0.9
RULE_PRIOR_IMPLICIT = 0.75
# Qualifiers a lead-in passes on to each list item under it.
INHERITED_QUALIFIERS = (
    "absolute",
    "magnitude",
    "speed",
    "durability",
    "hedge",
    "research_appeal",
    "population",
    "short_term",
)
# Safety concepts that are also ordinary pain words: alone, with an efficacy verb, they
# are an efficacy claim ("relieves soreness"), not a safety claim.
PAIN_LIKE_SAFETY = {"safety.soreness", "safety.other_effects"}
# Comparative cues that make a comparison on their own, with no named comparator.
SELF_CONTAINED_COMPARATIVE = {
    "alternative to",
    "alternative",
    "less invasive",
    "non-invasive",
    "noninvasive",
    "drug-free",
    "medication-free",
    "without drugs",
    "without medication",
    "without surgery",
    "without pills",
    "surgery-free",
    "natural alternative",
    "only mask",
    "only masks",
    "mask the symptoms",
    "mask symptoms",
    "masking",
    "peripheral",
    "the only",
    "uniquely",
    "unique",
    "gold standard",
    "first line",
    "first-line",
    "where other",
    "when other",
    "fails",
    "failed",
    "has not worked",
    "haven't worked",
    "didn't work",
    "nothing else",
    "as effective as",
    "comparable",
    "equal to",
    "no better",
    "same as",
    "rarely used alone",
    "alone",
    "standalone",
    "dependence",
    "reliance",
    "dependency",
    "reduce the need for",
    "reduced need for",
    "beyond",
    "combining",
    "combined with",
    "combination",
    "together",
    "integrative",
    "integrating",
    "integrate",
    "integrated",
    "hand-in-hand",
    "hand in hand",
    "work together",
    "complementary treatments",
    "alongside",
    "in conjunction with",
    "in combination with",
    "used alone",
    "merely mask",
    "have not gotten",
}


@dataclass
class Sentence:
    """One candidate sentence with the spans the matcher found in it."""

    unit: Unit
    start: int  # offsets into unit.text
    end: int
    text: str
    span: object = None  # the spaCy Span of the sentence
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


def _sentences(unit: Unit, doc, whole: bool = False, concept_spans: list | None = None) -> list[Sentence]:
    """Sentences of a unit; a heading (or, with ``whole``, any unit) is one sentence.

    Linear in the unit's length: ``doc.text`` (which spaCy rebuilds from every token on
    each access) is read once, and each concept/cue span is put in its sentence by a
    binary search on sentence starts instead of filtering every span for every sentence.
    """
    text = _doc_text(unit, doc)
    bounds: list[tuple[int, int, int, int]] = []  # char start, char end, token start, token end
    if unit.kind == "heading" or whole:
        bounds.append((0, len(text), 0, len(doc)))
    else:
        for sent in doc.sents:
            bounds.append((sent.start_char, sent.end_char, sent.start, sent.end))
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
                concepts=concepts[k],
                cues=cues[k],
                _tokens=tokens,
            )
        )
    return out


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


@dataclass
class Analysis:
    """What the rules read in one sentence, before the model has its say."""

    sentence: Sentence
    context: Sentence | None
    subject: str | None
    implicit: bool
    linked: bool  # an implicit subject is tied to the page's therapy ("it", a lead-in, ...)
    heading_ok: bool  # a heading that states an effect, not a bare label
    negated: bool
    rule_types: list[str]
    concept_kinds: set[str]

    @property
    def rule_claim(self) -> bool:
        return bool(self.rule_types) and self.subject is not None and self.linked and self.heading_ok

    def features(self) -> dict[str, float]:
        """Binary features the classifier learns from, beside the sentence's n-grams."""
        s = self.sentence
        feats = {f"rule:{t}": 1.0 for t in self.rule_types if self.rule_claim}
        feats.update({f"kind:{k}": 1.0 for k in self.concept_kinds})
        feats.update({f"cue:{c.label_}": 1.0 for c in s.cues})
        for name, on in (
            ("explicit_subject", not self.implicit),
            ("linked", self.linked),
            ("leadin", self.context is not None),
            ("negated", self.negated),
            ("heading", s.unit.kind == "heading"),
            ("list_item", s.unit.kind == "list_item"),
            ("heading_ok", self.heading_ok),
        ):
            if on:
                feats[f"flag:{name}"] = 1.0
        return feats


class ClaimExtractor:
    """Turns parsed units into typed claims. Stateless between documents."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.subject_ids = {c.id for c in lexicon.of_kind("intervention") if c.role == "subject"}

    # -- document level ------------------------------------------------------------------

    def _primary(self, concept_spans: list[list]) -> str | None:
        """The therapy a page is about: the one it names most often."""
        counts: Counter[str] = Counter()
        for spans in concept_spans:
            for span in spans:
                label = span.label_
                if label in self.subject_ids:
                    counts[label] += 1
        return counts.most_common(1)[0][0] if counts else None

    def analyze(
        self, document: Document, docs: list, whole_units: bool = False, primary: str | None = None
    ) -> list[Analysis]:
        """Rule analysis of every candidate sentence, in document order. ``primary``: the page's
        therapy when the caller knows it (a large page is analysed in parts: see chunking.py)."""
        concept_spans = [list(doc.spans[CONCEPTS_KEY]) for doc in docs]  # read once: each read makes new Spans
        primary = primary or self._primary(concept_spans)
        out: list[Analysis] = []
        leadin: Sentence | None = None
        for unit, doc, spans in zip(document.units, docs, concept_spans, strict=True):
            sentences = _sentences(unit, doc, whole=whole_units, concept_spans=spans)
            context = leadin if unit.kind == "list_item" and unit.leadin else None
            for sentence in sentences:
                analysis = self._analyze(sentence, primary, context)
                if analysis is not None:
                    out.append(analysis)
            if unit.kind != "list_item":
                last = sentences[-1] if sentences else None
                leadin = last if last is not None and last.text.rstrip().endswith(":") else None
        return out

    def build(self, analyses: list[Analysis], probabilities=None) -> list[Claim]:
        """Claims from analyses and the model's rows for them (None: the rules alone).

        Apart from ``analyze`` so that one scorer call can serve the analyses of many
        documents (the classifier's cost is mostly per call, and its rows do not depend on
        each other)."""
        claims: list[Claim] = []
        for i, analysis in enumerate(analyses):
            probs = dict(zip(MODEL_LABELS, probabilities[i], strict=True)) if probabilities is not None else None
            claims.extend(self._build(analysis, probs))
        return claims

    # -- sentence level ------------------------------------------------------------------

    def _analyze(self, s: Sentence, primary: str | None, context: Sentence | None) -> Analysis | None:
        text = s.text.rstrip()
        if text.endswith("?") or s.has("reference_entry") or _starts_with_cue(s, "call_to_action"):
            return None
        lex = self.lexicon
        _drop_cues_inside_nouns(s, lex)
        explicit = [cid for cid in s.concept_ids(lex, "intervention") if cid in self.subject_ids]
        if context is not None and not (context.has("efficacy_verb") or context.has("mechanism_verb")):
            context = None
        ctx_explicit = (
            [cid for cid in context.concept_ids(lex, "intervention") if cid in self.subject_ids] if context else []
        )
        named = explicit or ctx_explicit
        # The page's own therapy wins when a sentence names it beside another ("pair needling with rehab").
        subject = (primary if primary in named else named[0]) if named else None
        implicit = subject is None
        safety = s.concept_ids(lex, "safety")
        safety_claim = (
            bool(safety)
            and (
                s.has("safety_assertion")
                or s.has("safety_minimizer")
                or s.has("risk_figure")
                or s.has("avoidable_with_training")
            )
            and (not s.has("advice") or s.has("safety_minimizer"))
        )
        heading_ok = True
        if s.unit.kind == "heading" and context is None:
            heading_ok = (not implicit and (s.has("efficacy_verb") or s.has("mechanism_verb"))) or s.has(
                "safety_minimizer"
            )
        linked = True
        if implicit:
            linked = (
                s.has("implicit_subject")
                or context is not None
                or safety_claim
                or _starts_with_cue(s, "efficacy_verb")
                or _starts_with_cue(s, "mechanism_verb")
            )
            subject = primary
        comparators = [cid for cid in s.concept_ids(lex, "intervention") if cid != subject]
        conditions = s.concept_ids(lex, "condition") + s.concept_ids(lex, "outcome")
        mechanisms = s.concept_ids(lex, "mechanism")
        eff_verb = s.has("efficacy_verb") or (context is not None and context.has("efficacy_verb"))
        mech_verb = s.has("mechanism_verb")
        negated = _negated(s)
        types: list[str] = []
        if not negated and conditions and (eff_verb or context is not None):
            types.append("efficacy")
        if not negated and mechanisms and (mech_verb or eff_verb):
            types.append("mechanism")
        safety_core = [c for c in safety if c not in PAIN_LIKE_SAFETY]
        if safety_claim and (safety_core or not eff_verb or s.has("safety_minimizer")):
            types.append("safety")
        if not negated and _comparative(s, comparators):
            types.append("comparative")
        kinds = {lex.concepts[c].kind for c in s.concept_ids(lex) if c in lex.concepts}
        if comparators:
            kinds.add("comparator")
        return Analysis(
            sentence=s,
            context=context,
            subject=subject,
            implicit=implicit,
            linked=linked,
            heading_ok=heading_ok,
            negated=negated,
            rule_types=types,
            concept_kinds=kinds,
        )

    def _build(self, a: Analysis, probs: dict[str, float] | None) -> list[Claim]:
        model_says_claim = probs is not None and probs["claim"] >= MODEL_ADD_THRESHOLD
        if a.subject is None:
            return []
        types = list(a.rule_types) if a.rule_claim else []
        if probs is not None:
            if a.rule_claim and a.implicit and probs["claim"] < MODEL_VETO_THRESHOLD:
                types = []  # the model is confident this is not a claim (a label, a procedure)
            elif model_says_claim and not a.negated:
                types.extend(t for t in CLAIM_TYPES if t not in types and probs[t] >= MODEL_ADD_THRESHOLD)
        if not types:
            return []
        s, lex = a.sentence, self.lexicon
        qualifiers = read_qualifiers(s.cues)
        if a.context is not None:
            merge(qualifiers, read_qualifiers(a.context.cues), INHERITED_QUALIFIERS)
        comparators = [cid for cid in s.concept_ids(lex, "intervention") if cid != a.subject]
        concepts = sorted(set(s.concept_ids(lex)) | set(comparators))
        start, end = s.unit.to_source(s.start, s.end)
        label = lex.concepts[a.subject].label if a.subject in lex.concepts else a.subject
        if a.subject == NAMED_THERAPY:
            named = [c.text for c in s.concepts if c.label_ == NAMED_THERAPY]
            label = named[0] if named else label
        prior = RULE_PRIOR_IMPLICIT if a.implicit else RULE_PRIOR_EXPLICIT
        claims = []
        for t in types:
            if probs is None:
                confidence = prior
            elif a.rule_claim and t in a.rule_types:
                confidence = 0.5 * prior + 0.5 * min(probs["claim"], probs[t]) + 0.05
            else:
                confidence = min(probs["claim"], probs[t])
            claims.append(
                Claim(
                    claim_type=t,
                    text=s.text if s.unit.written is None else s.unit.as_written(s.start, s.end),  # as written
                    start=start,
                    end=end,
                    intervention=a.subject,
                    intervention_label=label,
                    concepts=concepts,
                    qualifiers=qualifiers,  # shared by this sentence's claims, like concepts: read only
                    in_list=a.context is not None,
                    confidence=round(float(min(confidence, 1.0)), 3),  # a plain float, not numpy's
                    explicit_subject=not a.implicit,
                )
            )
        return claims


NOUN_KINDS = ("condition", "intervention")
NAMED_THERAPY = "named_therapy"  # the lexicon's catch-all for therapies with no evidence file
CLAIM_CUES = ("efficacy_verb", "mechanism_verb", "comparative", "evaluative")
# Comparative cues that need an evaluative word ("Unlike acupuncture, it targets muscles" is not a claim).
WEAK_COMPARATIVE = {
    "unlike",
    "better",
    "worse",
    "greater",
    "safer",
    "more than",
    "less than",
    "greater than",
    "combine",
    "combining",
    "pair",
    "before a",
    "after a",
}


def _drop_cues_inside_nouns(s: Sentence, lexicon: Lexicon) -> None:
    """'Trigger' in 'trigger point' or 'lower' in 'lower back' is not a claim verb."""
    nouns = [
        c
        for c in s.concepts
        if lexicon.concepts.get(c.label_) and lexicon.concepts[c.label_].kind in NOUN_KINDS and c.end - c.start > 1
    ]
    s.cues = [
        q for q in s.cues if q.label_ not in CLAIM_CUES or not any(n.start == q.start and q.end < n.end for n in nouns)
    ]


def _comparative(s: Sentence, comparators: list[str]) -> bool:
    cues = [c for c in s.cues if c.label_ == "comparative"]
    if not cues:
        return False
    if not comparators and not any(c.text.lower() in SELF_CONTAINED_COMPARATIVE for c in cues):
        return False
    strong = any(c.text.lower() not in WEAK_COMPARATIVE for c in cues)
    return strong or s.has("evaluative")


def _starts_with_cue(s: Sentence, cue_id: str) -> bool:
    """A cue at the sentence's first word, or just after a short 'Label:' prefix."""
    if s._starts is None:
        s._starts = _cue_starts(s)
    starts = s._starts
    return any(c.label_ == cue_id and c.start in starts for c in s.cues)


def _cue_starts(s: Sentence) -> set[int]:
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


def _negated(s: Sentence) -> bool:
    """A negation before the claim verb that no pseudo-negation explains away."""
    pseudo = [c for c in s.cues if c.label_ == "pseudo_negation"]
    verbs = [c.start for c in s.cues if c.label_ in ("efficacy_verb", "mechanism_verb")]
    for neg in (c for c in s.cues if c.label_ == "negation"):
        if any(p.start <= neg.start and neg.end <= p.end for p in pseudo):
            continue
        if any(0 <= v - neg.end <= 3 for v in verbs) or neg.text.lower() in (
            "no evidence",
            "without evidence",
            "lack of evidence",
        ):
            return True
    return False
