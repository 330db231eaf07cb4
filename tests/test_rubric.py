"""The rubric: verdicts follow the evidence and the wording, and every step is written down."""

from __future__ import annotations


def _finding(checker, text: str, evidence_id: str | None = None):
    findings = checker.check_text(text, "r.txt").findings
    if evidence_id is not None:
        findings = [f for f in findings if f.evidence_id == evidence_id]
    assert findings, text
    return findings[0]


def test_no_entry_is_unsupported_with_how_to_add_one(checker):
    f = _finding(checker, "Bioresonance Therapy relieves back pain and boosts energy.")
    assert f.verdict == "unsupported"
    assert f.evidence_id is None
    assert "no substantiation on file" in f.reasons[0]
    assert any("rules/evidence/" in r for r in f.reasons)
    assert "Bioresonance Therapy" in f.reasons[0]
    assert f.suggestion


def test_supported_entry_plain_claim(checker):
    f = _finding(checker, "Dry needling can reduce neck pain in the short term.", "dn.pain.neck.short_term")
    assert f.verdict == "supported"
    assert f.citations and any(c.pmid == "28158962" for c in f.citations)
    assert f.reasons[-1] == "verdict: supported"


def test_absolute_wording_steps_down(checker):
    plain = _finding(checker, "Dry needling reduces neck pain.", "dn.pain.neck.short_term")
    proven = _finding(checker, "Dry needling is clinically proven to eliminate neck pain.", "dn.pain.neck.short_term")
    assert plain.verdict == "supported"
    assert proven.verdict in ("mixed", "unsupported")
    assert any("certainty wording" in r for r in proven.reasons)


def test_durability_beyond_short_term_evidence_steps_down(checker):
    f = _finding(checker, "Dry needling gives lasting relief from neck pain.", "dn.pain.neck.short_term")
    assert f.verdict == "mixed"
    assert any("durability" in r for r in f.reasons)


def test_hedge_never_lifts_unsupported_to_supported(checker):
    f = _finding(checker, "Dry needling may help migraines.", "dn.headache.migraine")
    assert f.verdict == "unsupported"


def test_hedged_scoped_mixed_claim_is_supported_as_stated(checker):
    f = _finding(checker, "Dry needling may modestly ease shoulder pain in the short term.", "dn.pain.shoulder")
    assert f.verdict == "supported"
    assert any("supported as stated" in r for r in f.reasons)


def test_mechanism_with_animal_evidence_only_is_unsupported(checker):
    f = _finding(checker, "Dry needling flushes lactic acid out of the muscle.", "dn.mech.flush_lactic_acid")
    assert f.verdict == "unsupported"


def test_safety_minimizer_contradicting_common_side_effects(checker):
    f = _finding(checker, "Dry needling has very few side effects, just mild soreness.", "dn.safety.minor_ae_common")
    assert f.verdict == "unsupported"


def test_condition_list_presents_mixed_rows_as_established(checker):
    result = checker.check_text("Dry needling is effective for:\n- Tennis elbow\n", "r.txt")
    f = next(f for f in result.findings if f.claim.text == "Tennis elbow")
    assert f.evidence_id == "dn.pain.lateral_epicondylalgia"
    assert f.verdict == "unsupported"
    assert any("condition list" in r for r in f.reasons)


def test_serious_condition_is_unsupported(checker):
    f = _finding(checker, "Dry needling treats diabetes.")
    assert f.verdict == "unsupported"
    assert "12.2" in f.reasons[0]


def test_accepted_wording_of_supported_entries_is_itself_supported(checker):
    from claimcheck.evidence import EvidenceBase

    base = checker.evidence
    assert isinstance(base, EvidenceBase)
    for entry in base.entries.values():
        if entry.verdict != "supported" or entry.intervention != "dry_needling":
            continue
        findings = checker.check_text(entry.accepted_wording, "w.txt").findings
        worse = [f for f in findings if f.verdict != "supported"]
        assert not worse, f"{entry.id}: accepted wording {entry.accepted_wording!r} -> {[f.verdict for f in worse]}"
