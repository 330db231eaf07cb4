"""Reading a claim against the general wording rules (``rules/wording.yaml``): which rules
hold for a claim judged against an evidence entry, and what triggered each.

The rules are data, loaded and validated by claimcheck/knowledge/wording_rules.py; the
Checker loads them once and the rubric (claimcheck/judge/rubric.py) passes them here. A
rule's ``cue`` reads the words the matcher found for that cue in the claim (its terms and
its patterns, one matcher for every cue: ``Claim.qualifiers``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from claimcheck.core.records import Claim
from claimcheck.knowledge.evidence import EvidenceEntry
from claimcheck.knowledge.lexicon import Lexicon
from claimcheck.knowledge.wording_rules import Condition, WordingRule
from claimcheck.nlp.engine import lemma_of

# A word's parts for comparing it with a rule's ``terms`` as lemmas: a comparison key, not
# a tokenizer for matching (cues are matched by the pipeline's matcher only).
_PART_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[^\sa-z0-9]")


@lru_cache(maxsize=4096)
def _norm(words: str) -> str:
    """A phrase as lemmas, so "helps" and "help" compare equal."""
    return " ".join(lemma_of(t) for t in _PART_RE.findall(words.lower().replace("’", "'")))


@lru_cache(maxsize=1024)
def _norms(terms: tuple[str, ...]) -> frozenset[str]:
    """A condition's ``terms`` (or ``terms_except``) as lemmas."""
    return frozenset(_norm(t) for t in terms)


@dataclass
class _Context:
    claim: Claim
    entry: EvidenceEntry | None
    lexicon: Lexicon
    concepts: set[str] = field(default_factory=set)

    def cue_words(self, cue_id: str) -> list[str]:
        """The words of a cue in the claim, as the matcher found them."""
        return self.claim.qualifiers.get(cue_id)

    def label(self, concept_id: str) -> str:
        concept = self.lexicon.concepts.get(concept_id)
        return concept.label if concept else concept_id


def _fires(cond: Condition, ctx: _Context) -> tuple[bool, list[str]]:
    """Whether a condition holds, and what triggered it (cue words or concept labels)."""
    # Cheap tests on the entry and the claim first; cue words (text matching) last.
    entry = ctx.entry
    if cond.scope_limit is not None and (entry is None or cond.scope_limit not in entry.scope_limits):
        return False, []
    if cond.entry == "none" and entry is not None:
        return False, []
    if cond.entry == "any" and entry is None:
        return False, []
    if cond.entry_verdict and (entry is None or entry.verdict not in cond.entry_verdict):
        return False, []
    if cond.entry_basis and (entry is None or entry.basis not in cond.entry_basis):
        return False, []
    if cond.entry_concept and (
        entry is None or not any(c in entry.match_all or c in entry.match_any for c in cond.entry_concept)
    ):
        return False, []
    if cond.human_signal is not None and (entry is not None and entry.human_signal) != cond.human_signal:
        return False, []
    if cond.in_list is not None and ctx.claim.in_list != cond.in_list:
        return False, []
    if cond.intervention and ctx.claim.intervention not in cond.intervention:
        return False, []
    if any(c in ctx.concepts for c in cond.concept_absent):
        return False, []
    shown: list[str] = []
    if cond.concept:
        hits = [c for c in cond.concept if c in ctx.concepts]
        if not hits:
            return False, []
        shown.extend(ctx.label(c) for c in hits[:3])
    if cond.concept_flag == "serious":
        hits = [c for c in sorted(ctx.concepts) if c in ctx.lexicon.concepts and ctx.lexicon.concepts[c].serious]
        if not hits:
            return False, []
        shown.extend(ctx.label(c) for c in hits[:3])
    if cond.concept_kind:
        hits = [
            c
            for c in sorted(ctx.concepts)
            if c in ctx.lexicon.concepts and ctx.lexicon.concepts[c].kind in cond.concept_kind and c not in cond.except_
        ]
        if not hits:
            return False, []
        shown.extend(ctx.label(c) for c in hits[:3] if ctx.label(c) not in shown)
    if cond.cue is not None:
        words = _cue_hits(cond, ctx)
        if not words:
            return False, []
        shown[:0] = [f"'{w}'" for w in words[:3]]
    if any(ctx.cue_words(c) for c in cond.cue_absent):
        return False, []
    if any(_fires(other, ctx)[0] for other in cond.unless):
        return False, []
    return True, shown


def _cue_hits(cond: Condition, ctx: _Context) -> list[str]:
    """The words of a condition's cue in the claim, kept to its terms (or terms_except)."""
    if cond.cue is None:
        return []
    words = ctx.cue_words(cond.cue)
    if cond.terms:
        keep = _norms(cond.terms)
        words = [w for w in words if _norm(w) in keep]
    if cond.terms_except:
        drop = _norms(cond.terms_except)
        words = [w for w in words if _norm(w) not in drop]
    return words


@dataclass
class Fired:
    rule: WordingRule
    shown: list[str]
    words: list[str]  # the cue words that triggered it (for no_lift on a lift cue)

    def reason(self, tail: str = "") -> str:
        what = self.rule.label + (f" ({', '.join(self.shown)})" if self.shown else "")
        return f"{what}: {self.rule.reason} {self.rule.tag}{tail}"


def fired_rules(
    claim: Claim, entry: EvidenceEntry | None, lexicon: Lexicon, rules: Sequence[WordingRule]
) -> list[Fired]:
    """The wording rules that hold for a claim judged against an entry (or none)."""
    ctx = _Context(claim=claim, entry=entry, lexicon=lexicon, concepts=set(claim.concepts))
    out = []
    for rule in rules:
        if claim.claim_type not in rule.applies_to:
            continue
        ok, shown = _fires(rule.when, ctx)
        if ok:
            out.append(Fired(rule=rule, shown=shown, words=_cue_hits(rule.when, ctx)))
    return out
