"""Qualifiers are read from the claim's own wording (rules alone: the model plays no part)."""

from __future__ import annotations

import pytest


def _qualifiers(checker, sentence: str) -> dict[str, list[str]]:
    """Each qualifier's words over the sentence's claims, each word once, in order."""
    result = checker.check_text(sentence, "q.txt")
    assert result.findings, sentence
    merged: dict[str, list[str]] = {}
    for f in result.findings:
        for name, words in f.claim.qualifiers.present().items():
            seen = merged.setdefault(name, [])
            seen.extend(w for w in words if w not in seen)
    return merged


@pytest.mark.parametrize(
    ("sentence", "name", "words"),
    [
        ("Dry needling may help neck pain.", "hedge", ["may help"]),
        ("Dry needling is clinically proven to relieve neck pain.", "absolute", ["clinically proven"]),
        ("Dry needling cures migraines.", "absolute", ["cures"]),
        ("Dry needling eliminates back pain.", "absolute", ["eliminates"]),
        ("Dry needling gives permanent relief from back pain.", "durability", ["permanent"]),
        ("Dry needling gives immediate relief from back pain.", "speed", ["immediate"]),
        ("Dry needling eases neck pain in the short term.", "short_term", ["short term"]),
        ("Dry needling relieves back pain for everyone.", "population", ["everyone"]),
        ("Studies show dry needling relieves back pain.", "research_appeal", ["studies show"]),
        ("Dry needling is highly effective for neck pain.", "magnitude", ["highly effective"]),
        (
            "Serious side effects of dry needling occur in fewer than 1 in 10,000 treatments.",
            "risk_figure",
            ["1 in 10,000"],
        ),
        ("Dry needling is very safe with no side effects.", "safety_minimizer", ["very safe", "no side effects"]),
        ("My back pain vanished after dry needling relieved it.", "testimonial", ["my"]),
        ("Dry needling fixes the root cause of back pain.", "absolute", ["root cause"]),
    ],
)
def test_qualifier_found(rules_checker, sentence, name, words):
    assert _qualifiers(rules_checker, sentence).get(name) == words


def test_leadin_qualifiers_pass_to_list_items(rules_checker):
    result = rules_checker.check_text("Dry needling is particularly effective for:\n- Tennis elbow\n", "q.txt")
    item = next(f for f in result.findings if f.claim.text == "Tennis elbow")
    assert item.claim.qualifiers.present() == {"magnitude": ["particularly effective"]}
