"""The rubric: verdicts follow the evidence and the wording, and every step is written down.

Run on the rules alone (``rules_checker``), so that retraining the model cannot change them.
"""

from __future__ import annotations


def _finding(checker, text: str, evidence_id: str | None = None):
    """The first finding for text; with an evidence id, the claim judged against that entry
    (a finding carries every entry it matched, each with its own verdict and reasons)."""
    findings = checker.check_text(text, "r.txt").findings
    if evidence_id is not None:
        findings = [e for f in findings for e in f.matched if e.id == evidence_id]
    assert findings, text
    return findings[0]


def test_no_entry_is_unsupported_with_how_to_add_one(rules_checker):
    f = _finding(rules_checker, "Biophoton Therapy relieves back pain and boosts energy.")
    assert (f.claim.text, f.verdict, f.evidence_id) == ("Biophoton Therapy relieves back pain", "unsupported", None)
    assert f.reasons[0] == (
        "no substantiation on file for this efficacy claim about Biophoton Therapy "
        "(no evidence file for Biophoton Therapy)"
    )
    assert f.reasons[1].endswith("or add it to rules/evidence/ (docs/evidence-schema.md)")
    assert f.reasons[-1] == "verdict: unsupported"
    assert f.suggestion


def test_supported_entry_plain_claim(rules_checker):
    f = _finding(rules_checker, "Dry needling can reduce neck pain in the short term.", "dn.pain.neck.short_term")
    assert f.verdict == "supported"
    assert [c.pmid for c in f.citations] == [None, None, "28158962"]
    assert f.reasons[-1] == "verdict: supported"


def test_absolute_wording_steps_down(rules_checker):
    plain = _finding(rules_checker, "Dry needling reduces neck pain.", "dn.pain.neck.short_term")
    text = "Dry needling is clinically proven to eliminate neck pain."
    proven = _finding(rules_checker, text, "dn.pain.neck.short_term")
    assert plain.verdict == "supported"
    # One over-reach (certainty wording, whichever words carry it) is one step down.
    assert proven.verdict == "mixed"
    assert proven.reasons[1].startswith("certainty wording ('clinically proven', 'eliminate'): ")
    assert proven.reasons[1].endswith("[certainty_words] -> over-reach 1: mixed")
    assert proven.reasons[-2:] == ["1 step(s) down: supported -> mixed", "verdict: mixed"]


def test_durability_beyond_short_term_evidence_steps_down(rules_checker):
    f = _finding(rules_checker, "Dry needling gives lasting relief from neck pain.", "dn.pain.neck.short_term")
    assert f.verdict == "mixed"
    assert f.reasons[1].startswith("durability wording ('lasting'): ")
    assert f.reasons[1].endswith("[lasting_beyond_short_term] -> over-reach 1: mixed")


def test_hedge_never_lifts_unsupported_to_supported(rules_checker):
    f = _finding(rules_checker, "Dry needling may help migraines.", "dn.headache.migraine")
    assert f.verdict == "unsupported"


def test_hedged_scoped_mixed_claim_is_supported_as_stated(rules_checker):
    f = _finding(rules_checker, "Dry needling may modestly ease shoulder pain in the short term.", "dn.pain.shoulder")
    assert f.verdict == "supported"
    assert f.reasons[1:] == [
        "hedged ('may', 'modestly') and within the evidence's scope -> supported as stated",
        "verdict: supported",
    ]


def test_mechanism_with_animal_evidence_only_is_unsupported(rules_checker):
    f = _finding(rules_checker, "Dry needling flushes lactic acid out of the muscle.", "dn.mech.flush_lactic_acid")
    assert f.verdict == "unsupported"


def test_safety_minimizer_contradicting_common_side_effects(rules_checker):
    text = "Dry needling has very few side effects, just mild soreness."
    f = _finding(rules_checker, text, "dn.safety.minor_ae_common")
    assert f.verdict == "unsupported"


def test_condition_list_presents_mixed_rows_as_established(rules_checker):
    result = rules_checker.check_text("Dry needling is effective for:\n- Tennis elbow\n", "r.txt")
    f = next(f for f in result.findings if f.claim.text == "Tennis elbow")
    assert f.evidence_id == "dn.pain.lateral_epicondylalgia"
    assert f.verdict == "unsupported"
    assert any("condition list" in r for r in f.reasons)


def test_serious_condition_is_unsupported(rules_checker):
    f = _finding(rules_checker, "Dry needling treats diabetes.")
    assert (f.rule, f.verdict) == ("CC103", "unsupported")
    assert f.reasons[0].startswith("serious condition (serious medical condition): CAP 12.2: ")


def test_accepted_wording_of_supported_entries_is_itself_supported(rules_checker):
    from claimcheck.knowledge.evidence import EvidenceBase

    base = rules_checker.evidence
    assert isinstance(base, EvidenceBase)
    for entry in base.entries.values():
        if entry.verdict != "supported" or entry.intervention != "dry_needling":
            continue
        findings = rules_checker.check_text(entry.accepted_wording, "w.txt").findings
        worse = [f for f in findings if f.verdict != "supported"]
        assert not worse, f"{entry.id}: accepted wording {entry.accepted_wording!r} -> {[f.verdict for f in worse]}"


def test_rule_codes_are_stable():
    from claimcheck.core.rule_codes import RULE_CODES

    assert RULE_CODES == {
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


def _rules_from(tmp_path, wording_text):
    """Wording rules loaded from a wording.yaml of our own, against the bundled lexicon."""
    from claimcheck.knowledge.lexicon import load_lexicon
    from claimcheck.knowledge.wording_rules import load_wording_rules

    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "wording.yaml").write_text(wording_text, encoding="utf-8")
    return load_wording_rules(tmp_path / "wording.yaml", load_lexicon())


def _claim(text, concepts, claim_type="efficacy"):
    from claimcheck.core.records import Claim, Qualifiers

    return Claim(claim_type, text, 0, len(text), "dry_needling", "dry needling", concepts, Qualifiers())


def test_serious_conditions_come_from_the_wording_data(tmp_path):
    """CC103 is data: without the serious_condition rule, a diabetes claim is an ordinary one.
    The rubric judges with the rules it is handed (the Checker loads them once)."""
    from claimcheck.judge.rubric import WORDING_FILE, judge
    from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon

    lexicon = load_lexicon()
    bundled = (bundled_dir("rules") / WORDING_FILE).read_text(encoding="utf-8")
    claim = _claim("Dry needling treats diabetes.", ["condition.serious", "dry_needling"])
    with_rule = judge(claim, None, lexicon, True, _rules_from(tmp_path / "a", bundled))
    assert with_rule.rule == "CC103" and with_rule.verdict == "unsupported"
    assert "[serious_condition]" in with_rule.reasons[0]

    start = bundled.index("  - id: serious_condition")
    end = bundled.index("  - id: baby_pregnancy_conditions")
    without = judge(claim, None, lexicon, True, _rules_from(tmp_path / "b", bundled[:start] + bundled[end:]))
    assert without.rule == "CC102" and without.verdict == "unsupported"
    assert without.reasons[0].startswith("no substantiation on file")
    assert not any("12.2" in r for r in without.reasons)


def test_a_broken_wording_file_is_a_schema_error(tmp_path):
    import pytest

    from claimcheck.core.yamlio import SchemaError

    with pytest.raises(SchemaError) as err:
        _rules_from(tmp_path, "rules:\n  - id: x\n    effect: maybe\n")
    assert str(err.value).startswith(f"{tmp_path / 'wording.yaml'}:2: rules[0]")
