"""Claim extraction with the real spaCy pipeline: what is a claim, of what type, where.

These test the rules, so they run on the rules alone (``rules_checker``): retraining the
model cannot change them.
"""

from __future__ import annotations

import pytest

DN = "Dry needling is offered at our clinic.\n"


def _types(checker, text: str, fmt: str = "text") -> list[tuple[str, str]]:
    result = checker.check_text(DN + text, "t.txt", fmt)
    return sorted({(f.claim.claim_type, f.claim.text) for f in result.findings})


@pytest.mark.parametrize(
    ("sentence", "claim_types"),
    [
        ("Dry needling relieves neck pain.", ["efficacy"]),
        # A mechanism stated with its outcome ("tired muscles") is both.
        ("Dry needling flushes lactic acid out of tired muscles.", ["efficacy", "mechanism"]),
        ("Dry needling is very safe.", ["safety"]),
        ("Dry needling works better than painkillers.", ["comparative"]),
        ("It also reduces plantar heel pain.", ["efficacy"]),
        ("This therapy releases endorphins.", ["mechanism"]),
    ],
)
def test_claim_types(rules_checker, sentence, claim_types):
    assert _types(rules_checker, sentence) == [(claim_type, sentence) for claim_type in claim_types]


@pytest.mark.parametrize(
    "sentence",
    [
        "Does dry needling relieve neck pain?",
        "Dry needling does not cure arthritis.",
        "The needle is inserted into the muscle for a few minutes.",
        "Book your dry needling session online today.",
        "Smith J, et al. Dry needling for neck pain. J Pain. 2019;20(3):1-9.",
        "Trigger points are tight spots in a band of muscle.",
        "Pain Relief",
    ],
)
def test_not_claims(rules_checker, sentence):
    assert _types(rules_checker, sentence) == []


def test_coordinated_predicates_are_one_claim_each(rules_checker):
    """Regulators rule claim by claim: each coordinated predicate is its own span."""
    sentence = "Dry needling is very safe and has no side effects."
    assert _types(rules_checker, sentence) == [
        ("safety", "Dry needling is very safe"),
        ("safety", "has no side effects."),
    ]


def test_two_types_in_one_sentence_give_two_findings(rules_checker):
    sentence = "Dry needling relieves back pain by increasing blood flow to the muscle."
    assert _types(rules_checker, sentence) == [("efficacy", sentence), ("mechanism", sentence)]


def test_list_items_under_leadin_are_one_claim_each(rules_checker):
    text = "Dry needling is effective for:\n✔ Tennis elbow\n✔ Plantar fasciitis\n✔ Migraines\n"
    result = rules_checker.check_text(DN + text, "t.txt")
    items = [f for f in result.findings if f.claim.in_list]
    assert sorted(f.claim.text for f in items) == ["Migraines", "Plantar fasciitis", "Tennis elbow"]
    source = DN + text
    for f in items:
        assert source[f.claim.start : f.claim.end] == f.claim.text
        assert f.claim.claim_type == "efficacy"


def test_leadin_without_claim_words_does_not_make_claims(rules_checker):
    text = "Our opening hours:\n- Monday to Friday\n- Saturday mornings\n"
    assert rules_checker.check_text(DN + text, "t.txt").findings == []


def test_implicit_subject_resolves_to_the_page_intervention(rules_checker):
    result = rules_checker.check_text("Dry needling at our clinic.\nIt eases tension headaches.\n", "t.txt")
    finding = next(f for f in result.findings if f.claim.text == "It eases tension headaches.")
    assert finding.claim.intervention == "dry_needling"
    assert finding.claim.explicit_subject is False


def test_offsets_point_at_the_claim_in_the_source(rules_checker):
    source = "# Dry needling\n\nIntro line here.\n\n- Dry needling relieves neck pain within weeks.\n"
    result = rules_checker.check_text(source, "t.md", "markdown")
    [f] = result.findings
    assert f.claim.text == "Dry needling relieves neck pain within weeks."
    assert source[f.claim.start : f.claim.end] == f.claim.text
    assert (f.line, f.column) == (5, 3)


def test_other_named_therapy_is_still_reported(rules_checker):
    result = rules_checker.check_text("Reflexology cures insomnia and boosts immunity.\n", "t.txt")
    assert [(f.claim.text, f.claim.intervention, f.verdict) for f in result.findings] == [
        ("Reflexology cures insomnia", "reflexology", "unsupported"),
        ("boosts immunity.", "reflexology", "unsupported"),
    ]
