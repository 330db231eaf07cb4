"""The rubric: from a claim and its evidence entry to a verdict, with every step written down.

Base verdict from the entry (none: unsupported, "no substantiation on file"); then the
wording of the claim moves it: over-reach steps it down one step each (or straight to
unsupported), an honest hedge or scope may lift a mixed row to supported-as-stated, and
nothing ever lifts an unsupported row to supported. See docs/rubric.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.evidence import EvidenceEntry
from claimcheck.records import VERDICTS, Claim
from claimcheck.rules import Lexicon


@dataclass
class Judgement:
    verdict: str
    reasons: list[str]
    suggestion: str | None
    rule: str


RULE_CODES = {
    # (claim type, situation) -> code. Documented in docs/rules.md.
    ("efficacy", "evidence"): "CC101",
    ("efficacy", "no_evidence"): "CC102",
    ("efficacy", "serious"): "CC103",
    ("mechanism", "evidence"): "CC201",
    ("mechanism", "no_evidence"): "CC202",
    ("safety", "evidence"): "CC301",
    ("safety", "no_evidence"): "CC302",
    ("comparative", "evidence"): "CC401",
    ("comparative", "no_evidence"): "CC402",
}


# Speed words that describe an immediate effect, which short-term evidence can cover.
IMMEDIACY = {"immediate", "immediately", "instant", "instantly", "rapid", "rapidly", "right away", "straight away"}


def _up(verdict: str, entry: EvidenceEntry) -> str:
    """One step up, never past mixed for an entry with no human evidence at all."""
    if verdict == "unsupported":
        return "mixed" if entry.human_signal else "unsupported"
    return "supported"


def _down(verdict: str, steps: int = 1) -> str:
    return VERDICTS[min(VERDICTS.index(verdict) + steps, len(VERDICTS) - 1)]


def _quote(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words[:3])


def judge(claim: Claim, entry: EvidenceEntry | None, lexicon: Lexicon, has_evidence_file: bool) -> Judgement:
    q = claim.qualifiers
    serious = [
        lexicon.concepts[c].label for c in claim.concepts if c in lexicon.concepts and lexicon.concepts[c].serious
    ]
    if claim.claim_type == "efficacy" and serious:
        return Judgement(
            verdict="unsupported",
            reasons=[
                f"claims to treat a serious condition ({', '.join(serious)}): UK CAP Code rule 12.2 "
                "does not allow this without suitably qualified medical supervision"
            ],
            suggestion="Remove the claim, or refer to care under medical supervision without promising an effect.",
            rule=RULE_CODES[("efficacy", "serious")],
        )
    if entry is None:
        what = claim.intervention_label or "this therapy"
        reasons = [f"no substantiation on file for this {claim.claim_type} claim about {what}"]
        if not has_evidence_file:
            reasons[0] += f" (no evidence file for {what})"
        reasons.append(
            "advertisers must hold evidence before they make a claim; add an entry to "
            f"rules/evidence/{claim.intervention or 'INTERVENTION'}.yaml (docs/evidence-schema.md) "
            "or pass --evidence DIR"
        )
        if q.hedge:
            reasons.append(f"the hedge {_quote(q.hedge)} does not make an unsupported claim acceptable")
        return Judgement(
            verdict="unsupported",
            reasons=reasons,
            suggestion="Remove the claim, or hold evidence for it; if you keep it, describe what the therapy "
            "involves rather than what it achieves.",
            rule=RULE_CODES[(claim.claim_type, "no_evidence")],
        )

    verdict = entry.verdict
    reasons = [
        f"evidence {entry.id} ({entry.topic}): {entry.verdict}, {entry.certainty} certainty; scope: {entry.scope}"
    ]

    # Honest statements of the evidence's limits are what the rubric asks for.
    if q.limitation and not (q.absolute or q.magnitude or q.speed):
        if q.hedge or q.durability:
            lifted = _up(verdict, entry)
            note = "hedged claim that also states the evidence's limits"
        else:
            lifted, note = "supported", "states the evidence's limits"
        if VERDICTS.index(lifted) < VERDICTS.index(verdict):
            reasons.append(f"{note} ({_quote(q.limitation)}) -> {lifted}")
            verdict = lifted
        return _finish(claim, entry, verdict, reasons)
    # "About as effective as" is the comparison the evidence most often supports.
    if claim.claim_type == "comparative" and q.equivalence and not (q.absolute or q.magnitude):
        lifted = _up(verdict, entry)
        if VERDICTS.index(lifted) < VERDICTS.index(verdict):
            reasons.append(f"claims only comparability ({_quote(q.equivalence)}) -> {lifted}")
            verdict = lifted
        return _finish(claim, entry, verdict, reasons)

    # Entry-specific wording rules (e.g. "no side effects" against common mild side effects).
    for rule in entry.wording:
        words = getattr(q, rule.cue, None) or []
        if rule.cue == "research_appeal" and not _uncited_appeal(words):
            words = []
        if words:
            if rule.verdict != verdict:
                verdict = rule.verdict
                reasons.append(f"{_quote(words)}: {rule.reason} -> {verdict}")
            return _finish(claim, entry, verdict, reasons)

    steps: list[str] = []
    if q.absolute:
        steps.append(f"certainty wording {_quote(q.absolute)} overstates the evidence")
    if q.mechanism_overstatement and claim.claim_type == "mechanism":
        steps.append(f"states a mechanism as complete fact {_quote(q.mechanism_overstatement)}")
    if q.magnitude:
        steps.append(f"magnitude wording {_quote(q.magnitude)} overstates the evidence")
    limits = set(entry.scope_limits)
    recovery_speed = [w for w in q.speed if w not in IMMEDIACY]
    if (recovery_speed and entry.verdict != "supported") or (q.speed and "no_speed" in limits):
        steps.append(f"speed wording {_quote(recovery_speed or q.speed)} goes beyond the evidence's scope")
    if q.durability and "short_term" in limits:
        steps.append(f"durability wording {_quote(q.durability)} goes beyond short-term evidence")
    if q.population:
        steps.append(f"population wording {_quote(q.population)} sweeps beyond the studied groups")
    if q.research_appeal and _uncited_appeal(q.research_appeal) and entry.verdict != "supported":
        steps.append(f"appeal to research {_quote(q.research_appeal)} without a citation")
    if claim.in_list and entry.verdict == "mixed" and not q.hedge:
        steps.append(f"a condition list presents {entry.topic} ({entry.certainty} certainty) as established")

    if steps:
        new = _down(verdict, len(steps))
        for step in steps:
            reasons.append(step)
        if new != verdict:
            reasons.append(f"{len(steps)} step(s) down: {verdict} -> {new}")
        verdict = new
    elif (
        entry.verdict == "mixed"
        and q.hedge
        and (q.short_term or any(w in IMMEDIACY for w in q.speed) or "short_term" not in limits)
    ):
        reasons.append(f"hedged ({_quote(q.hedge)}) and within the evidence's scope -> supported as stated")
        verdict = "supported"
    elif entry.verdict == "unsupported" and q.hedge and entry.human_signal:
        reasons.append(f"hedged ({_quote(q.hedge)}); some human evidence exists -> mixed at most")
        verdict = "mixed"
    elif q.hedge and entry.verdict == "unsupported":
        reasons.append(f"the hedge {_quote(q.hedge)} does not lift a claim with no human evidence")
    if q.testimonial and verdict != "supported":
        reasons.append("a testimonial does not substantiate a claim")
    return _finish(claim, entry, verdict, reasons)


def _uncited_appeal(words: list[str]) -> bool:
    return any(w not in ("evidence", "research", "study", "studies", "science", "trials") for w in words)


def _finish(claim: Claim, entry: EvidenceEntry, verdict: str, reasons: list[str]) -> Judgement:
    reasons.append(f"verdict: {verdict}")
    return Judgement(
        verdict=verdict,
        reasons=reasons,
        suggestion=entry.accepted_wording,
        rule=RULE_CODES[(claim.claim_type, "evidence")],
    )
