"""The forms a claim takes in real copy, as tests on one ``Sentence``.

Fragments and banners on a therapy page, testimonials that report a recovery, "X for a
condition", figures, comparisons with a named option, negations and disclaimers: each
is a small predicate the extractor combines. Word lists here are grammar (link words,
auxiliaries); what counts as a health word or a claim verb is data in rules/.
"""

from __future__ import annotations

import re

from claimcheck.core.records import Unit
from claimcheck.detect.outline import NAMED_THERAPY, Subject
from claimcheck.knowledge.lexicon import Lexicon
from claimcheck.nlp.sentences import (
    PREDICATE_CUES,
    Sentence,
    cue_starts,
    short_phrase,
)

NOUN_KINDS = ("condition", "intervention")
# Units that are fragments by nature: a bullet, a heading or page metadata on a page about
# a therapy is about that therapy when it names a condition or an outcome.
FRAGMENT_KINDS = ("list_item", "heading", "meta")
# Wording that turns a bare heading label ("Pain Relief") into a claim ("Fast, Lasting Pain Relief").
HEADING_QUALIFIERS = ("speed", "durability", "absolute", "magnitude")
SENTENCE_WIDE_QUALIFIERS = ("disclaimer", "limitation")
# Concepts recognised by the shape of a phrase rather than a term list; their first word
# may be a claim verb, which must not be dropped as part of a noun.
OPEN_CLASS_CONCEPTS = frozenset({"condition.named", NAMED_THERAPY})
DISCLAIMING_WORDS = ("evidence", "claim", "proof", "intended", "guaranteed", "advise")
# Who a therapy is for ("babies, children and adults") is a patient group, not a condition it treats.
PATIENT_GROUPS = frozenset({"condition.special_populations"})
BANNER_UNIT_WORDS = 24  # a paragraph of banner slogans is short as a whole
RUNNING_SUBJECT_TOKENS = 4  # "The pulses" / "These tiny particles" before the claim verb
# Wording that makes a short banner a promise of effect on its own ("WORKS IN MINUTES").
PROMISE_QUALIFIERS = ("speed", "durability", "absolute", "research_appeal")


# A lead-in that introduces what a therapy is for ("... for:", "including:", "such as:").
TARGET_LEADIN = re.compile(
    r"\b(for|with|including|include|includes|such as|like|treat|treats|help|helps)\s*:\s*$", re.I
)


_FINITE = frozenset({"is", "are", "was", "were", "can", "may", "will", "has", "have", "works", "helps", "says"})


def has_finite_verb(s: Sentence) -> bool:
    """A sentence rather than a title ("Dry needling for neck pain." in a reference list)."""
    return any(t.lower_ in _FINITE for t in s.span)


def therapy_for(s: Sentence, lexicon: Lexicon, subject_ids: set[str]) -> bool:
    """ "We offer acupuncture for pain and sleep problems": a therapy, then "for", then a
    condition: offering a therapy for a condition claims it works for it."""
    therapy_ends = [c.end for c in s.concepts if c.label_ in subject_ids]
    if not therapy_ends:
        return False
    doc = s.span.doc
    for i in range(min(therapy_ends), min(min(therapy_ends) + 3, s.span.end)):
        if doc[i].lower_ == "for":
            return any(
                c.start > i
                and lexicon.concepts.get(c.label_)
                and lexicon.concepts[c.label_].kind == "condition"
                and c.label_ not in PATIENT_GROUPS
                for c in s.concepts
            )
    return False


def first_word(s: Sentence) -> str:
    """The clause's first word, lower case (bullets and numbers already trimmed)."""
    words = s.text.split()
    return words[0].lower().strip("\"'“‘(") if words else ""


def testimonial_effect(s: Sentence, outcomes: list[str]) -> bool:
    """A first-person story of a complaint that went away ("I'm running again")."""
    return s.has("testimonial") and (s.has("recovery") or (bool(outcomes) and s.has("efficacy_verb")))


def runs_on_page_subject(s: Sentence, lexicon: Lexicon) -> bool:
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


def in_short_list(units: list[Unit]) -> list[bool]:
    """Per unit: a short list item with a short list item beside it. A lone short bullet
    followed by prose is a sub-heading in disguise ("✅ Chronic Inflammation")."""
    short = [u.kind == "list_item" and short_phrase(u.text) for u in units]
    return [short[i] and ((i > 0 and short[i - 1]) or (i + 1 < len(units) and short[i + 1])) for i in range(len(units))]


def fragment_unit(unit: Unit, listed: bool, s: Sentence | None = None) -> bool:
    """Units that are fragments by nature: a run of short bullets, a heading, page metadata,
    or a banner paragraph of short slogans ("Quit for good. Lose weight without dieting.")."""
    if unit.kind == "list_item":
        return listed
    if unit.kind in FRAGMENT_KINDS and short_phrase(unit.text):
        return True
    return (
        unit.kind in ("paragraph", "meta")
        and s is not None
        and len(unit.text.split()) <= BANNER_UNIT_WORDS
        and short_phrase(s.text)
    )


def names_page_therapy(s: Sentence, subject: Subject) -> bool:
    """A named therapy mentioned by its name without the head word ("ozone" for ozone therapy)."""
    if subject.id != NAMED_THERAPY or not subject.label:
        return False
    words = subject.label.split()
    core = " ".join(words[:-1]) if len(words) > 1 else words[0]
    if len(core) < 3:
        return False
    # "ozone" for ozone therapy; "floating" for a float tank (the word may be inflected).
    return re.search(rf"\b{re.escape(core)}\w{{0,3}}\b", s.text, re.I) is not None


def has_own_subject(s: Sentence) -> bool:
    """A full sentence with a subject of its own: a claim verb that is not at its start."""
    starts = s._starts if s._starts is not None else cue_starts(s)
    return any(c.label_ in PREDICATE_CUES and c.start not in starts for c in s.cues)


def named_before(s: Sentence, subject: Subject, token: int) -> bool:
    """Whether the named therapy ``subject`` is mentioned before token ``token``."""
    return any(
        c.label_ == NAMED_THERAPY and c.start < token and c.text.lower() in (subject.label or "") for c in s.concepts
    )


def has_any(s: Sentence, cue_ids: tuple[str, ...]) -> bool:
    return any(s.has(c) for c in cue_ids)


CLAIM_CUES = ("efficacy_verb", "mechanism_verb", "comparative", "evaluative")
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = frozenset(
    {
        *CLAIM_CUES,
        *HEADING_QUALIFIERS,
        *PROMISE_QUALIFIERS,
        *SENTENCE_WIDE_QUALIFIERS,
        "causal",
        "contrast",
        "negation",
        "pseudo_negation",
        "recovery",
        "self_contained_comparative",
        "testimonial",
        "weak_comparative",
    }
)


def drop_cues_inside_nouns(s: Sentence, lexicon: Lexicon) -> None:
    """'Trigger' in 'trigger point' or 'lower' in 'lower back' is not a claim verb."""
    nouns = [
        c
        for c in s.concepts
        if lexicon.concepts.get(c.label_)
        and lexicon.concepts[c.label_].kind in NOUN_KINDS
        and c.end - c.start > 1
        and c.label_ not in OPEN_CLASS_CONCEPTS  # "reduces ... infections": the open pattern may take the verb in
        # Right after the therapy's name the first word is its verb ("Cold plunges reverse ageing").
        and not any(
            t.end in (c.start, c.start - 1)
            for t in s.concepts
            if lexicon.concepts.get(t.label_) and lexicon.concepts[t.label_].kind == "intervention"
        )
    ]
    s.cues = [
        q for q in s.cues if q.label_ not in CLAIM_CUES or not any(n.start == q.start and q.end < n.end for n in nouns)
    ]


def _comparatives_also(s: Sentence, cue_id: str) -> list[bool]:
    """Per comparative cue of a sentence: whether cue ``cue_id`` marks the same words."""
    marked = {(c.start, c.end) for c in s.cues if c.label_ == cue_id}
    return [(c.start, c.end) in marked for c in s.cues if c.label_ == "comparative"]


def contrasted(s: Sentence) -> bool:
    """ "Unlike statins, ...", "instead of painkillers": the claim is set against a named option."""
    return any(_comparatives_also(s, "contrast"))


def sibling_comparison(s: Sentence, testimonial: bool, comparator_ids: set[str]) -> bool:
    """A testimonial whose other sentences name the drug or operation it replaced."""
    return testimonial and any(c.label_ in comparator_ids for c in s.unit_concepts or [])


def comparative(s: Sentence, comparators: list[str]) -> bool:
    """A comparison: a comparative cue with a named comparator, or one that compares on its
    own ("drug-free", "the only"); a weak one ("better", "unlike") needs an evaluative word."""
    if not s.has("comparative"):
        return False
    if not comparators and not any(_comparatives_also(s, "self_contained_comparative")):
        return False
    strong = not all(_comparatives_also(s, "weak_comparative"))
    return strong or s.has("evaluative")


def is_negated(s: Sentence) -> bool:
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
        if _copula_negates_target(s, neg):
            return True
    return False


def _copula_negates_target(s: Sentence, neg) -> bool:
    """ "Fat freezing is not a weight-loss treatment": "is not" before what it would treat."""
    doc = s.span.doc
    if neg.start == 0 or (
        doc[neg.start - 1].lower_ not in ("is", "are") and neg.text.lower() not in ("isn't", "aren't")
    ):
        return False
    return any(0 < c.start - neg.end + 1 <= 4 for c in s.concepts if c.label_.startswith(("condition.", "outcome.")))
