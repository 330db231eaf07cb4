"""The rubric: from a claim and its evidence entry to a verdict, with every step written down.

Base verdict from the entry (none: unsupported, "no substantiation on file"); then the
general wording rules of ``rules/wording.yaml`` move it, as data:

- ``unsupported`` rules (a CAP 12.2 serious condition, pseudo-physiology, ...) decide the
  verdict outright;
- ``supported`` rules (sensory and well-being wording) make it supported for any therapy,
  with or without an evidence file;
- ``step_down`` rules step it down, one step for each kind of over-reach present;
- ``no_lift`` rules (testimonials, tradition, disclaimers, "may", ...) stop the wording from
  raising it.

An honest statement of the evidence's limits, a claim of mere comparability, or a hedged,
scope-accurate claim may lift a verdict (never an unsupported one to supported) unless a
``no_lift`` rule fires. Entry-specific rules (an entry's ``wording:`` list) apply before the
general step-downs. See docs/rubric.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimcheck.core.records import VERDICTS, Claim, Qualifiers
from claimcheck.core.rule_codes import RULE_CODES
from claimcheck.detect.extract import NAMED_THERAPY
from claimcheck.judge.suggest import NO_EVIDENCE_SUGGESTION, suggestion_for  # noqa: F401  (re-exported)
from claimcheck.judge.wording import Fired, fired_rules
from claimcheck.knowledge.evidence import EvidenceEntry
from claimcheck.knowledge.lexicon import Lexicon
from claimcheck.knowledge.wording_rules import (  # noqa: F401  (re-exported: the rubric's public names)
    EFFECTS,
    LIFT_CUES,
    WORDING_FILE,
    WordingRule,
    load_wording_rules,
)

# The cue ids the rubric reads by name (checked against rules/cues.yaml at load):
# ``immediacy`` (speed words of an immediate effect, which short-term evidence can cover) and
# ``research_word`` (a bare "research" or "studies", which alone is no appeal to research).
REQUIRED_CUES = frozenset({"immediacy", "research_appeal", "research_word", "short_term", "speed", *LIFT_CUES})


@dataclass
class Judgement:
    verdict: str
    reasons: list[str]
    suggestion: str | None
    rule: str


# -- the verdict -------------------------------------------------------------------------


def _up(verdict: str, entry: EvidenceEntry) -> str:
    """One step up, never past mixed for an entry with no human evidence at all."""
    if verdict == "unsupported":
        return "mixed" if entry.human_signal else "unsupported"
    return "supported"


def _down(verdict: str, steps: int = 1) -> str:
    return VERDICTS[min(VERDICTS.index(verdict) + steps, len(VERDICTS) - 1)]


def _quote(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words[:3])


def _no_evidence_reasons(claim: Claim, has_evidence_file: bool, fired: list[Fired]) -> list[str]:
    what = claim.intervention_label or "this therapy"
    first = f"no substantiation on file for this {claim.claim_type} claim about {what}"
    if not has_evidence_file:
        first += f" (no evidence file for {what})"
    base = next((f for f in fired if f.rule.when.entry == "none" and f.rule.effect == "unsupported"), None)
    if claim.intervention and claim.intervention != NAMED_THERAPY:
        where = f"rules/evidence/{claim.intervention}.yaml"
        how = f"add an entry to {where} (docs/evidence-schema.md) or pass --evidence DIR"
    else:
        how = (
            "declare the therapy (intervention: {id, label, aliases}) with its entries in an evidence file "
            "of your own and pass --evidence DIR, or add it to rules/evidence/ (docs/evidence-schema.md)"
        )
    second = f"{base.rule.reason} {base.rule.tag}; {how}" if base else f"advertisers must hold evidence; {how}"
    return [first, second]


def judge(
    claim: Claim,
    entry: EvidenceEntry | None,
    lexicon: Lexicon,
    has_evidence_file: bool,
    rules: Sequence[WordingRule],
) -> Judgement:
    """The verdict on a claim against an evidence entry (or none), moved by the wording
    ``rules`` (rules/wording.yaml, loaded once by the Checker)."""
    q = claim.qualifiers
    fired = fired_rules(claim, entry, lexicon, rules)
    by_effect: dict[str, list[Fired]] = {e: [] for e in EFFECTS}
    for f in fired:
        by_effect[f.rule.effect].append(f)
    situation = "evidence" if entry is not None else "no_evidence"
    code = RULE_CODES[(claim.claim_type, situation)]
    base_reasons = (
        _no_evidence_reasons(claim, has_evidence_file, fired)
        if entry is None
        else [
            f"evidence {entry.id} ({entry.topic}): {entry.verdict}, {entry.certainty} certainty"
            + (" (regulator position inferred)" if entry.inferred else "")
            + f"; scope: {entry.scope}"
        ]
    )

    def suggest(verdict: str, rule_suggestion: str | None = None) -> str | None:
        return suggestion_for(verdict, entry, rule_suggestion)

    # 0. A statement that the evidence is missing ("there is no good evidence that ...") claims
    #    nothing; it is what the rubric asks copy to say.
    if by_effect["statement"]:
        reasons = [base_reasons[0], *(f.reason(" -> supported") for f in by_effect["statement"])]
        return Judgement(verdict="supported", reasons=[*reasons, "verdict: supported"], suggestion=None, rule=code)

    # 1. Rules that decide the verdict outright (a base "no substantiation" is not one of them).
    hard = [f for f in by_effect["unsupported"] if f.rule.when.entry != "none"]
    if hard:
        coded = [f for f in hard if f.rule.code]
        ordered = coded + [f for f in hard if not f.rule.code]
        reasons = [f.reason(" -> unsupported") for f in ordered]
        reasons.insert(len(coded), base_reasons[0])
        rule_suggestion = next((f.rule.suggestion for f in ordered if f.rule.suggestion), None)
        return Judgement(
            verdict="unsupported",
            reasons=[*reasons, "verdict: unsupported"],
            suggestion=suggest("unsupported", rule_suggestion),
            rule=coded[0].rule.code if coded else code,
        )

    # 2. Sensory and well-being wording: acceptable for every therapy, evidence file or not.
    if by_effect["supported"]:
        reasons = list(base_reasons[:1])
        reasons.extend(f.reason(" -> supported") for f in by_effect["supported"])
        verdict = _apply_steps("supported", by_effect["step_down"], reasons)
        reasons.append(f"verdict: {verdict}")
        return Judgement(verdict=verdict, reasons=reasons, suggestion=suggest(verdict), rule=code)

    # 3. No entry: unsupported; the wording rules only explain.
    if entry is None:
        reasons = list(base_reasons)
        reasons.extend(f.reason() for f in by_effect["step_down"])
        reasons.extend(f.reason(" -> does not lift the verdict") for f in by_effect["no_lift"])
        reasons.append("verdict: unsupported")
        return Judgement(verdict="unsupported", reasons=reasons, suggestion=suggest("unsupported"), rule=code)

    # 4. An entry: its verdict, moved by the wording.
    verdict = entry.verdict
    reasons = list(base_reasons)
    no_lift = by_effect["no_lift"]
    lift_words = _lift_words(q, no_lift)
    lifts_blocked = any("all" in f.rule.cancels for f in no_lift)

    def finish(verdict: str) -> Judgement:
        if verdict != "supported":
            reasons.extend(f.reason(" -> does not lift the verdict") for f in no_lift)
        reasons.append(f"verdict: {verdict}")
        return Judgement(verdict=verdict, reasons=reasons, suggestion=suggest(verdict), rule=code)

    # Honest statements of the evidence's limits are what the rubric asks for.
    if lift_words["limitation"] and not lifts_blocked and not (q.absolute or q.magnitude or q.speed):
        if q.hedge or q.durability:
            lifted = _up(verdict, entry)
            note = "hedged claim that also states the evidence's limits"
        else:
            lifted, note = "supported", "states the evidence's limits"
        if VERDICTS.index(lifted) < VERDICTS.index(verdict):
            reasons.append(f"{note} ({_quote(lift_words['limitation'])}) -> {lifted}")
            verdict = lifted
        return finish(verdict)
    # "About as effective as" is the comparison the evidence most often supports.
    if (
        claim.claim_type == "comparative"
        and lift_words["equivalence"]
        and not lifts_blocked
        and not (q.absolute or q.magnitude)
    ):
        lifted = _up(verdict, entry)
        if VERDICTS.index(lifted) < VERDICTS.index(verdict):
            reasons.append(f"claims only comparability ({_quote(lift_words['equivalence'])}) -> {lifted}")
            verdict = lifted
        return finish(verdict)

    # Entry-specific wording rules (e.g. "no side effects" against common mild side effects): the
    # first that applies is the evidence's own verdict on the wording; the general step-downs
    # (the regulators' wording rules) still count after it.
    contradicted = False
    for rule in entry.wording:
        words = q.get(rule.cue)
        if rule.cue == "research_appeal" and not _uncited_appeal(q):
            words = []
        if words:
            contradicted = True
            if VERDICTS.index(rule.verdict) > VERDICTS.index(verdict):
                verdict = rule.verdict
                reasons.append(f"{_quote(words)}: {rule.reason} -> {verdict}")
            break

    steps = by_effect["step_down"]
    limits = set(entry.scope_limits)
    hedge = lift_words["hedge"]
    if steps:
        verdict = _apply_steps(verdict, steps, reasons)
    elif contradicted:
        pass  # wording the evidence itself contradicts is never lifted by a hedge
    elif (
        hedge
        and not lifts_blocked
        and entry.verdict == "mixed"
        and (q.short_term or _immediate(q) or "short_term" not in limits)
    ):
        reasons.append(f"hedged ({_quote(hedge)}) and within the evidence's scope -> supported as stated")
        verdict = "supported"
    elif hedge and not lifts_blocked and entry.verdict == "unsupported" and entry.human_signal:
        reasons.append(f"hedged ({_quote(hedge)}); some human evidence exists -> mixed at most")
        verdict = "mixed"
    return finish(verdict)


def _lift_words(q: Qualifiers, no_lift: list[Fired]) -> dict[str, list[str]]:
    """The words of each lift cue that may still lift after the no_lift rules: a rule on a lift
    cue cancels the words it matched; ``cancels`` names other lift cues to cancel outright."""
    out = {name: list(q.get(name)) for name in LIFT_CUES}
    for f in no_lift:
        for cue in f.rule.cancels:
            if cue not in out:
                continue
            if cue == f.rule.when.cue:
                cancelled = set(f.words)
                out[cue] = [w for w in out[cue] if w not in cancelled]
            else:
                out[cue] = []
    return out


def _apply_steps(verdict: str, steps: list[Fired], reasons: list[str]) -> str:
    """One step down per over-reach (§3.4 of the dry-needling reference), each on a line of its
    own; the rules of one kind are one over-reach ("faster" on a row that shows no speed
    benefit trips two speed rules but is one over-reach)."""
    if not steps:
        return verdict
    start, kinds = verdict, []
    for f in steps:
        if f.rule.kind in kinds:
            reasons.append(f"{f.reason()} (the same over-reach as above: no further step)")
            continue
        kinds.append(f.rule.kind)
        verdict = _down(verdict)
        reasons.append(f"{f.reason()} -> over-reach {len(kinds)}: {verdict}")
    if verdict != start:
        reasons.append(f"{len(kinds)} step(s) down: {start} -> {verdict}")
    return verdict


def _immediate(q: Qualifiers) -> bool:
    """A speed word that describes an immediate effect ("instantly"), not a promise of pace."""
    immediate = q.get("immediacy")
    return any(w in immediate for w in q.speed)


def _uncited_appeal(q: Qualifiers) -> bool:
    """An appeal to research beyond a bare research word ("research" alone is no appeal)."""
    bare = q.get("research_word")
    return any(w not in bare for w in q.research_appeal)
