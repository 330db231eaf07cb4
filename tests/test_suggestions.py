"""Rewordings about the claim, that check clean: a suggestion keeps the claim's therapy and
outcome (the accepted wording of the entry the claim matched), or says to remove the claim when
nothing about it can be said; every suggestion the bundled evidence can produce checks clean."""

from __future__ import annotations

import pytest

from claimcheck.judge.suggest import NO_EVIDENCE_SUGGESTION, bundled_suggestions, removal_advice
from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon
from claimcheck.knowledge.wording_rules import load_wording_rules

LEXICON = load_lexicon()
BASE = EvidenceBase.load(known_concepts=set(LEXICON.concepts))
ENTRIES = sorted(BASE.entries.values(), key=lambda e: e.id)
RULES = load_wording_rules(bundled_dir("rules") / "wording.yaml", LEXICON)
# Every text a finding's suggestion can be: each entry's accepted wording and its removal
# advice (used when the wording names a condition the claim does not), the wording rules'
# own advice, and the advice for claims with no evidence on file.
SUGGESTIONS = sorted(
    set(bundled_suggestions(ENTRIES, RULES)) | {(f"{e.id} (removal)", removal_advice(e)) for e in ENTRIES}
)
# The extractor also reads "tension" inside "tension-type headaches" as a muscle-tension
# mechanism claim: an extraction gap, not a rubric one (tests/test_rules_data.py lists it too).
EXTRACTION_GAPS = {"acu.pain.tension_headache"}


def _params():
    for where, text in SUGGESTIONS:
        gap = any(where.endswith(f": {g}") for g in EXTRACTION_GAPS)
        marks = [pytest.mark.xfail(strict=True, reason="extraction gap")] if gap else []
        yield pytest.param(text, id=where.rsplit(": ", 1)[-1], marks=marks)


@pytest.mark.parametrize("text", list(_params()))
def test_every_suggestion_checks_clean(checker, text):
    """Through the shipped Checker (rules, evidence and the classifier): no suggestion is itself
    a mixed or unsupported claim."""
    worse = [
        (f.claim.claim_type, f.evidence_id, f.verdict, f.reasons[-2:])
        for f in checker.check_text(text, "suggestion.txt").findings
        if f.verdict != "supported"
    ]
    assert not worse, f"{text!r} -> {worse}"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.accepted_wording], ids=lambda e: e.id)
def test_accepted_wording_keeps_the_therapy(rules_checker, entry):
    findings = rules_checker.check_text(entry.accepted_wording, "w.txt").findings
    assert {f.claim.intervention for f in findings} <= {entry.intervention}, entry.accepted_wording


def test_unsupported_entries_offer_wording_only_on_their_own_topic(rules_checker):
    """An unsupported entry's accepted wording, where it has one, is an honest sentence about the
    same topic (it resolves to the entry itself or names one of its concepts), never a
    well-being line about something else."""
    drift = []
    for e in ENTRIES:
        if e.verdict != "unsupported" or not e.accepted_wording:
            continue
        concepts = set(e.match_all) | set(e.match_any) | {e.intervention}
        findings = rules_checker.check_text(e.accepted_wording, "w.txt").findings
        if findings and not any(f.evidence_id == e.id or concepts & set(f.claim.concepts) for f in findings):
            drift.append((e.id, e.accepted_wording))
    # Two dry-needling safety rows give the reliable figure of the row next to them.
    assert {d[0] for d in drift} <= {"dn.safety.organ_damage_1_in_200000", "dn.safety.serious_rate_lt_1_in_10000"}


def _suggestions(checker, text):
    return {(f.claim.claim_type, f.evidence_id): (f.verdict, f.suggestion) for f in checker.check_text(text).findings}


def test_the_rewordings_that_drifted(checker):
    (scar,) = [f for f in checker.check_text("Shockwave therapy breaks down scar tissue.").findings if f.evidence_id]
    assert scar.evidence_id == "eswt.scar_tissue" and scar.verdict == "unsupported"
    assert scar.suggestion.startswith("Remove the claim") and "well-being" not in scar.suggestion
    assert "scar tissue" in scar.reasons[0]  # the entry's scope says why

    cryo = _suggestions(checker, "Cryotherapy reduces inflammation, speeds up muscle recovery.")
    for (_, eid), (verdict, suggestion) in cryo.items():
        assert verdict == "unsupported" and suggestion.startswith("Remove the claim"), (eid, suggestion)
        assert "mood" not in suggestion

    drug = _suggestions(checker, "Dry needling is a drug-free alternative to painkillers and steroid injections.")
    for (_, eid), (_, suggestion) in drug.items():
        assert not suggestion.startswith("For plantar fasciitis"), (eid, suggestion)
    assert "medication" in drug[("comparative", "dn.cmp.vs_medication")][1]


def test_an_over_reach_on_a_supported_row_gets_the_rows_wording(checker):
    (verdict, suggestion), *_ = _suggestions(checker, "Physiotherapy cures back pain for good.").values()
    assert verdict == "unsupported"
    assert suggestion == BASE.entries["physio.back_pain"].accepted_wording
    assert "back pain" in suggestion and "Physiotherapy" in suggestion


def test_supported_claims_need_no_suggestion_and_unknown_ones_say_remove(checker):
    for f in checker.check_text("Physiotherapy can help relieve back pain.").findings:
        assert f.verdict == "supported" and f.suggestion is None
    for f in checker.check_text("Biophoton therapy relieves back pain.").findings:
        assert f.suggestion == NO_EVIDENCE_SUGGESTION


def test_claimcheck_does_not_flag_its_own_honest_statement(checker):
    # A statement that the evidence is missing makes no claim at all (claim detection reads it
    # as a disclaimer); one that names a trial is a statement the rubric marks supported.
    assert checker.check_text("There is no good evidence that dry needling helps migraine.").findings == []
    findings = checker.check_text("No trial has shown reflexology to relieve cancer symptoms.").findings
    assert findings and all(f.verdict == "supported" for f in findings)
    assert any("[evidence_statement]" in r for f in findings for r in f.reasons)
