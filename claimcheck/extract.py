"""Find claims: which sentences make efficacy, mechanism, safety or comparative claims.

The rules read the concept and cue spans that the matcher put on each spaCy Doc. A claim
needs a subject (the therapy, named or implied: "it", "this therapy", a bullet under
"effective for:") and a predicate of its type. Questions, negations, calls to action and
reference-list entries are not claims.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from claimcheck.clauses import PREDICATE_CUES, clause_bounds
from claimcheck.nlp import CONCEPTS_KEY, CUES_KEY
from claimcheck.outline import NAMED_THERAPY, Outline, Subject, therapies_in
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


def _sentences(unit: Unit, doc, whole: bool = False, concept_spans: list | None = None) -> list[Sentence]:
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
        bounds, owners = [], []
        for k, sb in enumerate(sentence_bounds):
            banner = unit.kind in ("heading", "meta") or _short_phrase(unit.text)
            clauses = clause_bounds(doc, sb, predicate_starts, banner=banner)
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


@dataclass
class Analysis:
    """What the rules read in one sentence, before the model has its say."""

    sentence: Sentence
    context: Sentence | None
    subject: str | None
    subject_label: str | None  # the name as written, for a therapy the lexicon does not know
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
        self.comparator_ids = {c.id for c in lexicon.of_kind("intervention") if c.role == "comparator"}

    # -- document level ------------------------------------------------------------------

    def analyze(self, document: Document, docs: list, whole_units: bool = False) -> list[Analysis]:
        """Rule analysis of every candidate clause, in document order."""
        concept_spans = [list(doc.spans[CONCEPTS_KEY]) for doc in docs]  # read once: each read makes new Spans
        outline = Outline.read(document.units, concept_spans, self.subject_ids)
        listed = _in_short_list(document.units)
        out: list[Analysis] = []
        leadin: Sentence | None = None
        for index, (unit, doc, spans) in enumerate(zip(document.units, docs, concept_spans, strict=True)):
            sentences = _sentences(unit, doc, whole=whole_units, concept_spans=spans)
            context = leadin if unit.kind == "list_item" and unit.leadin else None
            fallback = outline.subject_for(index)
            carried: Subject | None = None
            if any(sentence.has("reference_entry") for sentence in sentences):
                sentences = []  # a reference-list entry, cut into "sentences" at its full stops
            for k, sentence in enumerate(sentences):
                if k == 0 or sentence.sentence_index != sentences[k - 1].sentence_index:
                    carried = None  # a subject carries over clauses of one sentence only
                analysis = self._analyze(sentence, fallback, context, carried, listed[index])
                if analysis is not None:
                    out.append(analysis)
                    if analysis.subject is not None and (analysis.linked or not analysis.implicit):
                        carried = Subject(analysis.subject, analysis.subject_label)
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

    def _analyze(
        self,
        s: Sentence,
        fallback: Subject | None,
        context: Sentence | None,
        carried: Subject | None = None,
        listed: bool = False,
    ) -> Analysis | None:
        """``listed``: the unit is one of a run of short bullets (a list of conditions or
        benefits, not a bullet used as a sub-heading)."""
        text = s.text.rstrip()
        if text.endswith("?") or s.has("reference_entry") or _starts_with_cue(s, "call_to_action"):
            return None
        if s.has("venue") or (s.has("contraindication") and not s.has("safety_minimizer")):
            return None  # "Please tell us if you are pregnant ...": advice about who should not have it
        lex = self.lexicon
        _drop_cues_inside_nouns(s, lex)
        if context is not None and (
            context.has("contraindication")
            or _negated(context)
            or not (
                context.has("efficacy_verb") or context.has("mechanism_verb") or _TARGET_LEADIN.search(context.text)
            )
        ):
            context = None  # "Not suitable if you have:" and "Let's look at cases:" lists are not claims
        found = therapies_in(s.concepts, self.subject_ids)
        if fallback is not None and _starts_with_cue(s, "implicit_subject"):
            # "It is the standard hospital treatment for ...": "it" is the page's therapy.
            found = [f for f in found if f.id != NAMED_THERAPY]
        if fallback is not None:
            # A therapy the lexicon does not know is the subject only where a subject stands:
            # before the first claim verb ("Ozone sauna detoxes ..."), not in the object
            # ("... tight muscles that require deeper stimulation").
            first_verb = min((c.start for c in s.cues if c.label_ in PREDICATE_CUES), default=None)
            found = [
                f
                for f in found
                if f.id != NAMED_THERAPY or (first_verb is not None and _named_before(s, f, first_verb))
            ]
        ctx_found = therapies_in(context.concepts, self.subject_ids) if context is not None else []
        named = found or ctx_found
        # The section's own therapy wins when a sentence names it beside another ("pair needling with rehab").
        if not named and fallback is not None and _names_page_therapy(s, fallback):
            named = [fallback]  # "Ozone oxygenates ..." on an ozone therapy page
        subject: Subject | None = (fallback if fallback in named else named[0]) if named else None
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
        ) or (s.has("safety_promise") and not s.has("advice"))
        starts_with_predicate = _starts_with_cue(s, "efficacy_verb") or _starts_with_cue(s, "mechanism_verb")
        outcomes = s.concept_ids(lex, "condition") + s.concept_ids(lex, "outcome")
        heading_ok = True
        is_title = s.unit.kind == "heading" or (s.unit.kind == "meta" and s.unit.role == "title")
        if is_title and context is None:
            verb = s.has("efficacy_verb") or s.has("mechanism_verb")
            # "Boost Immunity" promises; "Improved Function" and "Stress Reduction:" are labels.
            label = text.endswith(":") or _first_word(s).endswith("ed")
            heading_ok = (
                (not implicit and verb)
                or (implicit and starts_with_predicate and not label)
                or s.has("safety_minimizer")
                or (bool(outcomes) and _has_any(s, HEADING_QUALIFIERS))
            )
        linked = True
        if implicit:
            linked = (
                s.has("implicit_subject")
                or context is not None
                or safety_claim
                or starts_with_predicate
                or carried is not None
                or (
                    fallback is not None
                    and _fragment_unit(s.unit, listed, s)
                    and (bool(outcomes) or _has_any(s, (*PROMISE_QUALIFIERS, "comparative")))
                )
                or (fallback is not None and s.has("figure") and bool(outcomes))
                or (fallback is not None and _testimonial_effect(s, outcomes))
                or (fallback is not None and _runs_on_page_subject(s, lex))
            )
            subject = carried or fallback
        subject_id = subject.id if subject is not None else None
        subject_label = subject.label if subject is not None else None
        comparators = [cid for cid in s.concept_ids(lex, "intervention") if cid != subject_id and cid != NAMED_THERAPY]
        conditions = outcomes
        mechanisms = s.concept_ids(lex, "mechanism")
        eff_verb = s.has("efficacy_verb") or (context is not None and context.has("efficacy_verb"))
        mech_verb = s.has("mechanism_verb")
        negated = _negated(s)
        testimonial = _testimonial_effect(s, outcomes)
        if negated and (testimonial or s.has("negated_harm")):
            negated = False  # "haven't had a headache since", "does not wipe out gut flora"
            if s.has("negated_harm"):
                safety_claim = True
        types: list[str] = []
        fragment = (
            implicit
            and linked
            and _fragment_unit(s.unit, listed, s)
            and not _has_own_subject(s)
            # A short paragraph ("Riverside Wellness © 2026.") needs a claim verb or a condition.
            and (
                s.unit.kind != "paragraph"
                or eff_verb
                or bool(s.concept_ids(lex, "condition"))
                or _has_any(s, (*PROMISE_QUALIFIERS, "testimonial"))
            )
        )
        # A mechanism verb with an outcome ("brings the body back into balance") promises an
        # effect too; with a condition ("can cause referred pain") it describes the condition.
        outcome_verb = mech_verb and bool(s.concept_ids(lex, "outcome")) and not s.has("causal")
        figure = (
            (s.has("figure") and (bool(conditions) or s.has("efficacy_verb")))
            or testimonial
            or (
                not implicit
                and (s.has("offering") or s.unit.kind in FRAGMENT_KINDS or _has_finite_verb(s))
                and _therapy_for(s, lex, self.subject_ids)
                and bool(conditions)
            )
        )
        if not negated and conditions and (eff_verb or outcome_verb or context is not None or fragment or figure):
            types.append("efficacy")
        elif not negated and (fragment or testimonial) and _has_any(s, (*PROMISE_QUALIFIERS, "recovery")):
            types.append("efficacy")  # "Works in minutes", "Results that last for ever"
        elif not negated and s.has("sensory") and not s.has("procedure"):
            types.append("efficacy")  # "Hot stone massage feels good": a sensory claim, judged as one
        elif not negated and not implicit and eff_verb and _has_any(s, ("absolute", "population")):
            types.append("efficacy")  # "PEMF mats are guaranteed to work for every client"
        procedure = s.has("procedure") and not conditions and not _has_any(s, PROMISE_QUALIFIERS)
        if not negated and mechanisms and (mech_verb or eff_verb) and not procedure:
            types.append("mechanism")
        safety_core = [c for c in safety if c not in PAIN_LIKE_SAFETY]
        if safety_claim and (safety_core or not eff_verb or s.has("safety_minimizer")):
            types.append("safety")
        # A story of a complaint gone with a drug or an operation no longer needed compares
        # the therapy with that alternative; so does a figure set against one.
        story_comparison = (testimonial or s.has("figure") or _contrasted(s)) and bool(comparators) and bool(types)
        if not negated and (
            _comparative(s, comparators) or story_comparison or _sibling_comparison(s, testimonial, self.comparator_ids)
        ):
            types.append("comparative")
        kinds = {lex.concepts[c].kind for c in s.concept_ids(lex) if c in lex.concepts}
        if comparators:
            kinds.add("comparator")
        return Analysis(
            sentence=s,
            context=context,
            subject=subject_id,
            subject_label=subject_label,
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
        if s.siblings:
            # A disclosure anywhere in the sentence ("...; it is not a substitute for your GP")
            # qualifies each of its clauses.
            siblings = read_qualifiers(c for clause in s.siblings if clause is not s for c in clause.cues)
            merge(qualifiers, siblings, SENTENCE_WIDE_QUALIFIERS)
        if a.context is not None:
            merge(qualifiers, read_qualifiers(a.context.cues), INHERITED_QUALIFIERS)
        comparators = [cid for cid in s.concept_ids(lex, "intervention") if cid != a.subject]
        concepts = sorted(set(s.concept_ids(lex)) | set(comparators))
        sentence_concepts = (
            sorted({c for clause in s.siblings for c in clause.concept_ids(lex)} | set(comparators))
            if s.siblings
            else None
        )
        start, end = s.unit.to_source(s.start, s.end)
        label = a.subject_label or (lex.concepts[a.subject].label if a.subject in lex.concepts else a.subject)
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
                    text=s.text,
                    start=start,
                    end=end,
                    intervention=a.subject,
                    intervention_label=label,
                    concepts=concepts,
                    sentence_concepts=sentence_concepts,
                    qualifiers=qualifiers,  # shared by this sentence's claims, like concepts: read only
                    in_list=a.context is not None,
                    confidence=round(float(min(confidence, 1.0)), 3),  # a plain float, not numpy's
                    explicit_subject=not a.implicit,
                )
            )
        return claims


NOUN_KINDS = ("condition", "intervention")
# Units that are fragments by nature: a bullet, a heading or page metadata on a page about
# a therapy is about that therapy when it names a condition or an outcome.
FRAGMENT_KINDS = ("list_item", "heading", "meta")
# Wording that turns a bare heading label ("Pain Relief") into a claim ("Fast, Lasting Pain Relief").
HEADING_QUALIFIERS = ("speed", "durability", "absolute", "magnitude")
FRAGMENT_MAX_WORDS = 10
CONTRAST_CUES = ("unlike", "instead of", "rather than")
SENTENCE_WIDE_QUALIFIERS = ("disclaimer", "limitation")
# Concepts recognised by the shape of a phrase rather than a term list; their first word
# may be a claim verb, which must not be dropped as part of a noun.
OPEN_CLASS_CONCEPTS = frozenset({"condition.named", NAMED_THERAPY})
DISCLAIMING_WORDS = ("evidence", "claim", "proof", "intended")
BANNER_MAX_WORDS = 6  # a banner with a full stop: "Lose weight without dieting."
BANNER_UNIT_WORDS = 24  # a paragraph of banner slogans is short as a whole
RUNNING_SUBJECT_TOKENS = 4  # "The pulses" / "These tiny particles" before the claim verb
# Wording that makes a short banner a promise of effect on its own ("WORKS IN MINUTES").
PROMISE_QUALIFIERS = ("speed", "durability", "absolute", "research_appeal")


# A lead-in that introduces what a therapy is for ("... for:", "including:", "such as:").
_TARGET_LEADIN = re.compile(
    r"\b(for|with|including|include|includes|such as|like|treat|treats|help|helps)\s*:\s*$", re.I
)


_FINITE = frozenset({"is", "are", "was", "were", "can", "may", "will", "has", "have", "works", "helps", "says"})


def _has_finite_verb(s: Sentence) -> bool:
    """A sentence rather than a title ("Dry needling for neck pain." in a reference list)."""
    return any(t.lower_ in _FINITE for t in s.span)


def _therapy_for(s: Sentence, lexicon: Lexicon, subject_ids: set[str]) -> bool:
    """ "We offer acupuncture for pain and sleep problems": a therapy, then "for", then a
    condition: offering a therapy for a condition claims it works for it."""
    therapy_ends = [c.end for c in s.concepts if c.label_ in subject_ids]
    if not therapy_ends:
        return False
    doc = s.span.doc
    for i in range(min(therapy_ends), min(min(therapy_ends) + 3, s.span.end)):
        if doc[i].lower_ == "for":
            return any(
                c.start > i and lexicon.concepts.get(c.label_) and lexicon.concepts[c.label_].kind == "condition"
                for c in s.concepts
            )
    return False


def _first_word(s: Sentence) -> str:
    """The clause's first word, lower case (bullets and numbers already trimmed)."""
    words = s.text.split()
    return words[0].lower().strip("\"'“‘(") if words else ""


def _short_phrase(text: str) -> bool:
    """A bullet or banner phrase rather than a sentence: a few words, no closing full stop
    (a banner of a handful of words may have one: "Lose weight without dieting.")."""
    stripped = text.strip()
    words = len(stripped.split())
    if ": " in stripped or stripped.endswith(":"):
        return False
    return words <= BANNER_MAX_WORDS if stripped.endswith(".") else words <= FRAGMENT_MAX_WORDS


def _testimonial_effect(s: Sentence, outcomes: list[str]) -> bool:
    """A first-person story of a complaint that went away ("I'm running again")."""
    return s.has("testimonial") and (s.has("recovery") or (bool(outcomes) and s.has("efficacy_verb")))


def _runs_on_page_subject(s: Sentence, lexicon: Lexicon) -> bool:
    """A body-process statement in a therapy's section whose own subject is no other thing:
    "The pulses break down scar tissue" is about the therapy; "Your spine protects your
    nervous system" and "Inflammation limits movement" are not."""
    verbs = [c.start for c in s.cues if c.label_ in PREDICATE_CUES]
    if not verbs or s.unit.kind not in ("paragraph", "list_item", "meta"):
        return False
    first = min(verbs)
    if first - s.span.start > RUNNING_SUBJECT_TOKENS:
        return False
    if not any(
        lexicon.concepts[c].kind in ("mechanism", "condition") for c in s.concept_ids(lexicon) if c in lexicon.concepts
    ):
        return False
    return not any(c.start < first and c.label_ in lexicon.concepts for c in s.concepts) and not s.has("causal")


def _in_short_list(units: list[Unit]) -> list[bool]:
    """Per unit: a short list item with a short list item beside it. A lone short bullet
    followed by prose is a sub-heading in disguise ("✅ Chronic Inflammation")."""
    short = [u.kind == "list_item" and _short_phrase(u.text) for u in units]
    return [short[i] and ((i > 0 and short[i - 1]) or (i + 1 < len(units) and short[i + 1])) for i in range(len(units))]


def _fragment_unit(unit: Unit, listed: bool, s: Sentence | None = None) -> bool:
    """Units that are fragments by nature: a run of short bullets, a heading, page metadata,
    or a banner paragraph of short slogans ("Quit for good. Lose weight without dieting.")."""
    if unit.kind == "list_item":
        return listed
    if unit.kind in FRAGMENT_KINDS and _short_phrase(unit.text):
        return True
    return (
        unit.kind in ("paragraph", "meta")
        and s is not None
        and len(unit.text.split()) <= BANNER_UNIT_WORDS
        and _short_phrase(s.text)
    )


def _names_page_therapy(s: Sentence, subject: Subject) -> bool:
    """A named therapy mentioned by its name without the head word ("ozone" for ozone therapy)."""
    if subject.id != NAMED_THERAPY or not subject.label:
        return False
    words = subject.label.split()
    core = " ".join(words[:-1]) if len(words) > 1 else words[0]
    if len(core) < 3:
        return False
    # "ozone" for ozone therapy; "floating" for a float tank (the word may be inflected).
    return re.search(rf"\b{re.escape(core)}\w{{0,3}}\b", s.text, re.I) is not None


def _has_own_subject(s: Sentence) -> bool:
    """A full sentence with a subject of its own: a claim verb that is not at its start."""
    starts = s._starts if s._starts is not None else _cue_starts(s)
    return any(c.label_ in PREDICATE_CUES and c.start not in starts for c in s.cues)


def _named_before(s: Sentence, subject: Subject, token: int) -> bool:
    """Whether the named therapy ``subject`` is mentioned before token ``token``."""
    return any(
        c.label_ == NAMED_THERAPY and c.start < token and c.text.lower() in (subject.label or "") for c in s.concepts
    )


def _has_any(s: Sentence, cue_ids: tuple[str, ...]) -> bool:
    return any(s.has(c) for c in cue_ids)


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
        if lexicon.concepts.get(c.label_)
        and lexicon.concepts[c.label_].kind in NOUN_KINDS
        and c.end - c.start > 1
        and c.label_ not in OPEN_CLASS_CONCEPTS  # "reduces ... infections": the open pattern may take the verb in
    ]
    s.cues = [
        q for q in s.cues if q.label_ not in CLAIM_CUES or not any(n.start == q.start and q.end < n.end for n in nouns)
    ]


def _contrasted(s: Sentence) -> bool:
    """ "Unlike statins, ...", "instead of painkillers": the claim is set against a named option."""
    return any(c.label_ == "comparative" and c.text.lower() in CONTRAST_CUES for c in s.cues)


def _sibling_comparison(s: Sentence, testimonial: bool, comparator_ids: set[str]) -> bool:
    """A testimonial whose other sentences name the drug or operation it replaced."""
    return testimonial and any(c.label_ in comparator_ids for c in s.unit_concepts or [])


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
        text = neg.text.lower()
        # "There is no good evidence that ...", "We do not claim that ...": the whole sentence.
        if any(0 <= v - neg.end <= 3 for v in verbs) or any(w in text for w in DISCLAIMING_WORDS):
            return True
    return False
