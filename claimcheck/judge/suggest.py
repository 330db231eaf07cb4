"""Rewordings about the claim, that check clean.

A finding's suggestion keeps the claim's therapy and outcome: it is the accepted wording of the
evidence entry the claim matched (an entry matches only claims about its therapy and topic, and
its accepted wording is a sentence claimcheck itself rates supported). Where the entry accepts
no wording at all (nothing about the topic can be said), the suggestion says to remove the claim;
the finding's reasons give the entry's scope, which says why. A supported claim needs no
suggestion; a claim with no entry gets the advice to remove it or hold evidence.
tests/test_suggestions.py runs every suggestion the bundled evidence and wording rules can
produce through the Checker and fails when one checks as mixed or unsupported.
"""

from __future__ import annotations

from claimcheck.knowledge.evidence import EvidenceEntry

NO_EVIDENCE_SUGGESTION = (
    "Remove the claim, or hold evidence for it; if you keep it, describe what the therapy "
    "involves rather than what it achieves."
)
REMOVE_UNSUPPORTED = "Remove the claim: the evidence on file supports no wording on this topic."
REMOVE_MIXED = (
    "Remove the claim unless you hold trial evidence for this exact claim; the evidence on file "
    "is not enough on its own."
)


def removal_advice(entry: EvidenceEntry) -> str:
    """The advice to remove a claim that its entry offers no wording for. The reasons already
    give the entry's scope; the advice itself names no therapy or condition, so it can never
    read as a claim of its own."""
    return REMOVE_UNSUPPORTED if entry.verdict == "unsupported" else REMOVE_MIXED


def suggestion_for(verdict: str, entry: EvidenceEntry | None, rule_suggestion: str | None = None) -> str | None:
    """The suggestion for a finding with this verdict, matched entry and (optional) rule advice."""
    if verdict == "supported":
        return None
    if rule_suggestion:
        return rule_suggestion
    if entry is None:
        return NO_EVIDENCE_SUGGESTION
    if entry.accepted_wording:
        return entry.accepted_wording
    return removal_advice(entry)


def bundled_suggestions(entries, rules) -> list[tuple[str, str]]:
    """(where, text) for every suggestion the given entries and wording rules can produce."""
    out = [("no evidence on file", NO_EVIDENCE_SUGGESTION)]
    for entry in entries:
        text = entry.accepted_wording or removal_advice(entry)
        out.append((f"{entry.source}:{entry.line}: {entry.id}", text))
    for rule in rules:
        if rule.suggestion:
            out.append((f"{rule.source}:{rule.line}: {rule.id}", rule.suggestion))
    return out
