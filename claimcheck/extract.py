"""Find claims: which sentences make efficacy, mechanism, safety or comparative claims.

The rules read the concept and cue spans that the matcher put on each spaCy Doc. A claim
needs a subject (the therapy, named or implied: "it", "this therapy", a bullet under
"effective for:") and a predicate of its type. Questions, negations, calls to action and
reference-list entries are not claims.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from claimcheck.nlp import CONCEPTS_KEY, CUES_KEY
from claimcheck.qualifiers import merge, read_qualifiers
from claimcheck.records import Claim, Document, Qualifiers, Unit
from claimcheck.rules import Lexicon

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

    def concept_ids(self, lexicon: Lexicon, kind: str | None = None) -> list[str]:
        ids = []
        for span in self.concepts:
            concept = lexicon.concepts.get(span.label_)
            if concept and (kind is None or concept.kind == kind) and span.label_ not in ids:
                ids.append(span.label_)
        return ids

    def cue_texts(self, cue_id: str) -> list[str]:
        return [s.text.lower() for s in self.cues if s.label_ == cue_id]

    def has(self, cue_id: str) -> bool:
        return any(s.label_ == cue_id for s in self.cues)


def _sentences(unit: Unit, doc) -> list[Sentence]:
    """Sentences of a unit; a heading or a short list item is one sentence."""
    bounds: list[tuple[int, int, int, int]] = []  # char start, char end, token start, token end
    if unit.kind == "heading":
        bounds.append((0, len(doc.text), 0, len(doc)))
    else:
        for sent in doc.sents:
            bounds.append((sent.start_char, sent.end_char, sent.start, sent.end))
    out = []
    concepts = list(doc.spans[CONCEPTS_KEY])
    cues = list(doc.spans[CUES_KEY])
    for cs, ce, ts, te in bounds:
        raw = doc.text[cs:ce]
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
                text=doc.text[cs:ce],
                span=doc[ts:te],
                concepts=[s for s in concepts if s.start >= ts and s.end <= te],
                cues=[s for s in cues if s.start >= ts and s.end <= te],
            )
        )
    return out


class ClaimExtractor:
    """Turns parsed units into typed claims. Stateless between documents."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.subject_ids = {c.id for c in lexicon.of_kind("intervention") if c.role == "subject"}

    # -- document level ------------------------------------------------------------------

    def primary_intervention(self, docs: list) -> str | None:
        """The therapy a page is about: the one it names most often."""
        counts: Counter[str] = Counter()
        for doc in docs:
            for span in doc.spans[CONCEPTS_KEY]:
                if span.label_ in self.subject_ids:
                    counts[span.label_] += 1
        return counts.most_common(1)[0][0] if counts else None

    def extract(self, document: Document, docs: list) -> list[Claim]:
        primary = self.primary_intervention(docs)
        claims: list[Claim] = []
        leadin: Sentence | None = None
        for unit, doc in zip(document.units, docs, strict=True):
            sentences = _sentences(unit, doc)
            context = leadin if unit.kind == "list_item" and unit.leadin else None
            for sentence in sentences:
                claims.extend(self._claims(document, sentence, primary, context))
            if unit.kind != "list_item":
                last = sentences[-1] if sentences else None
                leadin = last if last is not None and last.text.rstrip().endswith(":") else None
        return claims

    # -- sentence level ------------------------------------------------------------------

    def _claims(self, document: Document, s: Sentence, primary: str | None, context: Sentence | None) -> list[Claim]:
        text = s.text.rstrip()
        if text.endswith("?") or s.has("reference_entry") or _starts_with_cue(s, "call_to_action"):
            return []
        lex = self.lexicon
        _drop_cues_inside_nouns(s, lex)
        explicit = [cid for cid in s.concept_ids(lex, "intervention") if cid in self.subject_ids]
        if context is not None and not (context.has("efficacy_verb") or context.has("mechanism_verb")):
            context = None
        ctx_explicit = (
            [cid for cid in context.concept_ids(lex, "intervention") if cid in self.subject_ids] if context else []
        )
        subject = explicit[0] if explicit else (ctx_explicit[0] if ctx_explicit else None)
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
        if s.unit.kind == "heading" and context is None:
            heading_claim = (not implicit and (s.has("efficacy_verb") or s.has("mechanism_verb"))) or s.has(
                "safety_minimizer"
            )
            if not heading_claim:
                return []
        if implicit:
            linked = (
                s.has("implicit_subject")
                or context is not None
                or safety_claim
                or _starts_with_cue(s, "efficacy_verb")
                or _starts_with_cue(s, "mechanism_verb")
            )
            if not linked:
                return []
            subject = primary
        if subject is None:
            return []
        comparators = [cid for cid in s.concept_ids(lex, "intervention") if cid != subject]
        conditions = s.concept_ids(lex, "condition") + s.concept_ids(lex, "outcome")
        mechanisms = s.concept_ids(lex, "mechanism")
        eff_verb = s.has("efficacy_verb") or (context is not None and context.has("efficacy_verb"))
        mech_verb = s.has("mechanism_verb")
        negated = _negated(s)

        types: list[str] = []
        if (conditions and eff_verb and not negated) or (context is not None and conditions and not negated):
            types.append("efficacy")
        if mechanisms and (mech_verb or eff_verb) and not negated:
            types.append("mechanism")
        safety_core = [c for c in safety if c not in PAIN_LIKE_SAFETY]
        if safety_claim and (safety_core or not eff_verb or s.has("safety_minimizer")):
            types.append("safety")
        if _comparative(s, comparators) and not negated:
            types.append("comparative")
        if not types:
            return []

        qualifiers = read_qualifiers(s.cues)
        if context is not None:
            merge(qualifiers, read_qualifiers(context.cues), INHERITED_QUALIFIERS)
        concepts = sorted(set(s.concept_ids(lex)) | set(comparators))
        start, end = s.unit.to_source(s.start, s.end)
        label = lex.concepts[subject].label if subject in lex.concepts else subject
        confidence = 0.9 if not implicit else 0.75
        return [
            Claim(
                claim_type=t,
                text=s.text,
                start=start,
                end=end,
                intervention=subject,
                intervention_label=label,
                concepts=concepts,
                qualifiers=_copy(qualifiers),
                in_list=context is not None,
                confidence=confidence,
                explicit_subject=not implicit,
            )
            for t in types
        ]


NOUN_KINDS = ("condition", "outcome", "intervention")
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


def _copy(q: Qualifiers) -> Qualifiers:
    return Qualifiers(**{k: list(v) for k, v in q.__dict__.items()})


def _starts_with_cue(s: Sentence, cue_id: str) -> bool:
    """A cue at the sentence's first word, or just after a short 'Label:' prefix."""
    span = s.span
    first = span.start
    while first < span.end and not span.doc[first].is_alpha:
        first += 1
    starts = {first}
    for tok in span[: min(len(span), 8)]:
        if tok.text == ":":
            starts.add(tok.i + 1)
            break
    return any(c.label_ == cue_id and c.start in starts for c in s.cues)


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
