"""Verdicts that count every over-reach (§3.4 of the dry-needling reference: "push down by one
step per over-reach"), each step on a line of its own, and the wording regulators act on first
as data in rules/wording.yaml."""

from __future__ import annotations

import re

import pytest


def _finding(checker, text, evidence_id=None, claim_type=None):
    findings = checker.check_text(text, "t.md", "markdown").findings
    found = [f for f in findings if evidence_id is None or f.evidence_id == evidence_id]
    found = [f for f in found if claim_type is None or f.claim.claim_type == claim_type]
    assert found, (text, [(f.evidence_id, f.claim.claim_type) for f in findings])
    return found[0]


def _tags(f) -> list[str]:
    return [t for r in f.reasons for t in re.findall(r"\[([a-z_]+)\]", r)]


def test_certainty_plus_durability_on_a_supported_row_is_unsupported(rules_checker):
    plain = _finding(rules_checker, "Physiotherapy relieves back pain.", "physio.back_pain")
    assert plain.verdict == "supported"
    f = _finding(rules_checker, "Physiotherapy cures back pain for good.", "physio.back_pain")
    assert f.verdict == "unsupported"
    steps = [r for r in f.reasons if "-> over-reach" in r]
    assert len(steps) == 2, f.reasons
    assert "[certainty_words]" in steps[0] and steps[0].endswith("-> over-reach 1: mixed")
    assert "[lasting_claim]" in steps[1] and steps[1].endswith("-> over-reach 2: unsupported")
    assert f.reasons[-2] == "2 step(s) down: supported -> unsupported"
    assert f.reasons[-1] == "verdict: unsupported"


def test_one_over_reach_is_one_step(rules_checker):
    f = _finding(rules_checker, "Physiotherapy relieves back pain for good.", "physio.back_pain")
    assert f.verdict == "mixed"
    assert sum("-> over-reach" in r for r in f.reasons) == 1


def test_two_rules_of_one_kind_are_one_over_reach(rules_checker):
    """'Faster' on a row with no speed evidence trips two speed rules: one step."""
    f = _finding(rules_checker, "Osteopathy heals sports injuries faster.", "osteo.sports_injuries")
    tags = _tags(f)
    assert "speed_beyond_evidence" in tags
    assert sum("-> over-reach" in r for r in f.reasons) == 1
    assert f.verdict == "mixed"


def test_extremely_safe_counts_the_evidence_and_the_regulator(rules_checker):
    f = _finding(rules_checker, "Dry needling is extremely safe.", claim_type="safety")
    assert f.evidence_id == "dn.safety.serious_ae_rare"
    assert f.verdict == "unsupported"
    assert "absolute_safety" in _tags(f)
    # With the common side effects disclosed beside it, "very safe" is not a minimiser.
    disclosed = _finding(
        rules_checker,
        "Dry needling is generally safe; mild side effects include soreness and bruising.",
        claim_type="safety",
    )
    assert "absolute_safety" not in _tags(disclosed)


def test_a_small_pinch_is_a_safety_minimiser(rules_checker):
    f = _finding(rules_checker, "Dry needling: most people feel nothing more than a small pinch.", claim_type="safety")
    assert f.evidence_id == "dn.safety.minor_ae_common"
    assert f.verdict == "unsupported"
    assert "painless_claim" in _tags(f)


def test_a_testimonial_with_a_miracle_cure_counts_each_over_reach(rules_checker):
    text = "After two sessions of physiotherapy my back pain was gone for good, a miracle cure!"
    f = _finding(rules_checker, text, "physio.back_pain")
    assert f.verdict == "unsupported"
    assert sorted(_tags(f)) == ["certainty_words", "guarantee", "lasting_claim", "testimonial"]


@pytest.mark.parametrize(
    ("text", "tag", "fired"),
    [
        ("Chiropractic relieves back pain, guaranteed.", "guarantee", [("efficacy", "mixed")]),
        ("Osteopathy eases back pain for everyone.", "sweeping_population", [("efficacy", "mixed")]),
        ("Physiotherapy relieves back pain in 93% of patients.", "unsourced_figure", [("efficacy", "mixed")]),
        ("Chiropractic relieves back pain, with a 91% success rate.", "unsourced_figure", [("efficacy", "mixed")]),
        (
            "Cryotherapy helps you burn fat and lose 2 inches from your waist.",
            "body_figure",
            [("efficacy", "unsupported")],
        ),
        ("Chiropractic eases back pain in days.", "results_speed", [("efficacy", "mixed")]),
        ("Physiotherapy relieves back pain after one session.", "results_speed", [("efficacy", "mixed")]),
        ("Physiotherapy is very safe and relieves back pain.", "absolute_safety", [("safety", "unsupported")]),
        (
            "Chiropractic is a painless way to relieve back pain.",
            "painless_claim",
            [("efficacy", "mixed"), ("safety", "unsupported")],
        ),
    ],
)
def test_the_wording_regulators_act_on(rules_checker, text, tag, fired):
    """Each rule fires on the claims it is about, a step down from a supported row (mixed) or
    on a row that was never supported. One claim per predicate clause: in "burn fat and lose
    2 inches" only the second clause gives a body figure; "relieves back pain" after "very
    safe" is a claim of its own, supported."""
    findings = rules_checker.check_text(text, "t.txt").findings
    assert [(f.claim.claim_type, f.verdict) for f in findings if tag in _tags(f)] == fired, [
        f.reasons for f in findings
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Results are not guaranteed, but physiotherapy often relieves back pain.", "guarantee"),
        ("Physiotherapy relieves back pain; soreness for a day or two is common.", "absolute_safety"),
        ("Physiotherapy can relieve back pain in the short term.", "results_speed"),
    ],
)
def test_honest_wording_does_not_trip_them(rules_checker, text, tag):
    for f in rules_checker.check_text(text, "t.txt").findings:
        assert tag not in _tags(f), f.reasons


def test_an_honest_disclosure_is_supported_but_a_healing_crisis_is_not(rules_checker):
    honest = _finding(rules_checker, "After cupping you may feel light-headed, and bruises can take a week to fade.")
    assert honest.claim.claim_type == "safety" and honest.verdict == "supported"
    assert "risk_disclosure" in _tags(honest)
    text = "After cupping, symptoms may briefly worsen as the body detoxes."
    found = [(f.claim.claim_type, f.verdict, _tags(f)) for f in rules_checker.check_text(text, "t.txt").findings]
    assert found == [
        ("efficacy", "unsupported", ["pseudo_outcome"]),
        ("mechanism", "unsupported", ["pseudo_mechanism"]),
    ]
