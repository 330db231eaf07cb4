"""Find claims: which sentences make efficacy, mechanism, safety or comparative claims.

The rules read the concept and cue spans that the matcher put on each spaCy Doc. A claim
needs a subject (the therapy, named or implied: "it", "this therapy", a bullet under
"effective for:") and a predicate of its type. Questions, negations, calls to action and
reference-list entries are not claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.core.records import CLAIM_TYPES, Claim, Document
from claimcheck.detect.claim_forms import (
    FRAGMENT_KINDS,
    HEADING_QUALIFIERS,
    PROMISE_QUALIFIERS,
    SENTENCE_WIDE_QUALIFIERS,
    TARGET_LEADIN,
    comparative,
    contrasted,
    drop_cues_inside_nouns,
    first_word,
    fragment_unit,
    has_any,
    has_finite_verb,
    has_own_subject,
    in_short_list,
    is_negated,
    named_before,
    names_page_therapy,
    runs_on_page_subject,
    sibling_comparison,
    testimonial_effect,
    therapy_for,
)
from claimcheck.detect.outline import NAMED_THERAPY, Outline, Subject, therapies_in
from claimcheck.detect.qualifiers import merge, read_qualifiers
from claimcheck.knowledge.lexicon import Lexicon
from claimcheck.nlp.engine import CONCEPTS_KEY
from claimcheck.nlp.sentences import PREDICATE_CUES, Sentence, short_phrase, split_sentences, starts_with_cue

MODEL_LABELS = ("claim", *CLAIM_TYPES)  # the classifier's output columns
# The model adds a claim (or a type) the rules missed only when it is this sure.
MODEL_ADD_THRESHOLD = 0.8
MODEL_ADD_UNLINKED_THRESHOLD = 0.95
# ... and removes a rule claim only when it is this sure there is none.
MODEL_VETO_THRESHOLD = 0.05
RULE_PRIOR_EXPLICIT = 0.9
RULE_PRIOR_IMPLICIT = 0.75
# Qualifiers a lead-in passes on to each list item under it (with the cues the rubric reads
# beside two of them: which speed words are immediate, which research words are bare).
INHERITED_QUALIFIERS = (
    "absolute",
    "magnitude",
    "speed",
    "immediacy",
    "durability",
    "hedge",
    "research_appeal",
    "research_word",
    "population",
    "short_term",
)
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = frozenset(
    {
        *INHERITED_QUALIFIERS,
        "advice",
        "avoidable_with_training",
        "call_to_action",
        "causal",
        "comparative",
        "contraindication",
        "efficacy_verb",
        "figure",
        "guarantee",
        "implicit_subject",
        "mechanism_verb",
        "negated_harm",
        "offering",
        "price",
        "procedure",
        "recovery",
        "reference_entry",
        "risk_figure",
        "safety_assertion",
        "safety_minimizer",
        "safety_promise",
        "sensory",
        "testimonial",
        "venue",
    }
)
# Safety concepts that are also ordinary pain words: alone, with an efficacy verb, they
# are an efficacy claim ("relieves soreness"), not a safety claim.
PAIN_LIKE_SAFETY = {"safety.soreness", "safety.other_effects"}


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

    def analyze(
        self,
        document: Document,
        docs: list,
        whole_units: bool = False,
        primary: Subject | None = None,
        sections: list[Subject | None] | None = None,
    ) -> list[Analysis]:
        """Rule analysis of every candidate clause, in document order.

        A large page is analysed in parts (chunking.py); the caller then knows what the part
        alone cannot: ``primary``, the whole page's therapy (it replaces the part's own page
        subject, or stands in when the part names none), and ``sections``, each unit's section
        therapy read from the whole page's outline (headings in earlier parts included)."""
        concept_spans = [list(doc.spans[CONCEPTS_KEY]) for doc in docs]  # read once: each read makes new Spans
        outline = Outline.read(document.units, concept_spans, self.subject_ids)
        if primary is not None or sections is not None:
            outline = Outline(
                page=primary if primary is not None else outline.page,
                sections=list(sections) if sections is not None else outline.sections,
            )
        listed = in_short_list(document.units)
        out: list[Analysis] = []
        leadin: Sentence | None = None
        for index, (unit, doc, spans) in enumerate(zip(document.units, docs, concept_spans, strict=True)):
            sentences = split_sentences(unit, doc, whole=whole_units, concept_spans=spans)
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
        if text.endswith("?") or s.has("reference_entry") or starts_with_cue(s, "call_to_action"):
            return None
        if s.has("venue") or s.has("price") or (s.has("contraindication") and not s.has("safety_minimizer")):
            return None  # "Please tell us if you are pregnant ...": advice about who should not have it
        lex = self.lexicon
        drop_cues_inside_nouns(s, lex)
        if context is not None and (
            context.has("contraindication")
            or is_negated(context)
            or not (context.has("efficacy_verb") or context.has("mechanism_verb") or TARGET_LEADIN.search(context.text))
        ):
            context = None  # "Not suitable if you have:" and "Let's look at cases:" lists are not claims
        found = therapies_in(s.concepts, self.subject_ids)
        if fallback is not None and starts_with_cue(s, "implicit_subject"):
            # "It is the standard hospital treatment for ...": "it" is the page's therapy.
            found = [f for f in found if f.id != NAMED_THERAPY]
        if fallback is not None:
            # A therapy the lexicon does not know is the subject only where a subject stands:
            # before the first claim verb ("Ozone sauna detoxes ..."), not in the object
            # ("... tight muscles that require deeper stimulation").
            first_verb = min((c.start for c in s.cues if c.label_ in PREDICATE_CUES), default=None)
            found = [
                f for f in found if f.id != NAMED_THERAPY or (first_verb is not None and named_before(s, f, first_verb))
            ]
        ctx_found = therapies_in(context.concepts, self.subject_ids) if context is not None else []
        named = found or ctx_found
        # The section's own therapy wins when a sentence names it beside another ("pair needling with rehab").
        if not named and fallback is not None and names_page_therapy(s, fallback):
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
        starts_with_predicate = starts_with_cue(s, "efficacy_verb") or starts_with_cue(s, "mechanism_verb")
        outcomes = s.concept_ids(lex, "condition") + s.concept_ids(lex, "outcome")
        heading_ok = True
        # A lone short bullet followed by prose is a sub-heading in disguise ("✅ Acute Injuries"):
        # judged as a heading.
        is_title = (
            s.unit.kind == "heading"
            or (s.unit.kind == "meta" and s.unit.role == "title")
            or (s.unit.kind == "list_item" and not listed and context is None and short_phrase(s.unit.text))
        )
        if is_title and context is None:
            verb = s.has("efficacy_verb") or s.has("mechanism_verb")
            # "Boost Immunity" promises; "Improved Function" and "Stress Reduction:" are labels.
            label = text.endswith(":") or first_word(s).endswith(("ed", "ing"))
            heading_ok = (
                (not implicit and verb)
                or (implicit and starts_with_predicate and not label)
                or s.has("safety_minimizer")
                or (bool(outcomes) and has_any(s, HEADING_QUALIFIERS))
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
                    and fragment_unit(s.unit, listed, s)
                    and (bool(outcomes) or has_any(s, (*PROMISE_QUALIFIERS, "comparative")))
                )
                or (fallback is not None and s.has("figure") and bool(outcomes))
                or (fallback is not None and testimonial_effect(s, outcomes))
                or (fallback is not None and runs_on_page_subject(s, lex))
            )
            subject = carried or fallback
        subject_id = subject.id if subject is not None else None
        subject_label = subject.label if subject is not None else None
        comparators = [cid for cid in s.concept_ids(lex, "intervention") if cid != subject_id and cid != NAMED_THERAPY]
        conditions = outcomes
        mechanisms = s.concept_ids(lex, "mechanism")
        eff_verb = s.has("efficacy_verb") or (context is not None and context.has("efficacy_verb"))
        mech_verb = s.has("mechanism_verb")
        negated = is_negated(s)
        testimonial = testimonial_effect(s, outcomes)
        if negated and (testimonial or s.has("negated_harm")):
            negated = False  # "haven't had a headache since", "does not wipe out gut flora"
            if s.has("negated_harm"):
                safety_claim = True
        types: list[str] = []
        fragment = (
            implicit
            and linked
            and fragment_unit(s.unit, listed, s)
            and not has_own_subject(s)
            # A short paragraph ("Riverside Wellness © 2026.") needs a claim verb or a condition.
            and (
                s.unit.kind != "paragraph"
                or eff_verb
                or bool(s.concept_ids(lex, "condition"))
                or has_any(s, (*PROMISE_QUALIFIERS, "testimonial"))
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
                and (s.has("offering") or s.unit.kind in FRAGMENT_KINDS or has_finite_verb(s))
                and therapy_for(s, lex, self.subject_ids)
                and bool(conditions)
            )
        )
        if not negated and conditions and (eff_verb or outcome_verb or context is not None or fragment or figure):
            types.append("efficacy")
        elif not negated and (fragment or testimonial) and has_any(s, (*PROMISE_QUALIFIERS, "recovery")):
            types.append("efficacy")  # "Works in minutes", "Results that last for ever"
        elif not negated and s.has("sensory") and not s.has("procedure") and not safety_claim:
            types.append("efficacy")  # "Hot stone massage feels good": a sensory claim, judged as one
        elif not negated and not implicit and eff_verb and has_any(s, ("absolute", "guarantee", "population")):
            types.append("efficacy")  # "PEMF mats are guaranteed to work for every client"
        procedure = s.has("procedure") and not conditions and not has_any(s, PROMISE_QUALIFIERS)
        if not negated and mechanisms and (mech_verb or eff_verb) and not procedure:
            types.append("mechanism")
        safety_core = [c for c in safety if c not in PAIN_LIKE_SAFETY]
        if safety_claim and (safety_core or not eff_verb or s.has("safety_minimizer")):
            types.append("safety")
        # A story of a complaint gone with a drug or an operation no longer needed compares
        # the therapy with that alternative; so does a figure set against one.
        story_comparison = (testimonial or s.has("figure") or contrasted(s)) and bool(comparators) and bool(types)
        if not negated and (
            comparative(s, comparators) or story_comparison or sibling_comparison(s, testimonial, self.comparator_ids)
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
        # The model may add a claim the rules did not tie to the therapy only when it is surer.
        threshold = MODEL_ADD_THRESHOLD if (a.linked or not a.implicit) else MODEL_ADD_UNLINKED_THRESHOLD
        model_says_claim = probs is not None and probs["claim"] >= threshold
        if a.subject is None:
            return []
        types = list(a.rule_types) if a.rule_claim else []
        if probs is not None:
            if a.rule_claim and a.implicit and probs["claim"] < MODEL_VETO_THRESHOLD:
                types = []  # the model is confident this is not a claim (a label, a procedure)
            elif model_says_claim and not a.negated and a.heading_ok:  # a bare label stays a label
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
                    text=s.text if s.unit.written is None else s.unit.as_written(s.start, s.end),  # as written
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
