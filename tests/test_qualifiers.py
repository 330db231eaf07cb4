"""Qualifiers are read from the claim's own wording."""

from __future__ import annotations

import pytest


def _qualifiers(checker, sentence: str) -> dict[str, list[str]]:
    result = checker.check_text(sentence, "q.txt")
    assert result.findings, sentence
    merged: dict[str, list[str]] = {}
    for f in result.findings:
        for name, words in f.claim.qualifiers.present().items():
            merged.setdefault(name, []).extend(words)
    return merged


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Dry needling may help neck pain.", "hedge"),
        ("Dry needling is clinically proven to relieve neck pain.", "absolute"),
        ("Dry needling cures migraines.", "absolute"),
        ("Dry needling eliminates back pain.", "absolute"),
        ("Dry needling gives permanent relief from back pain.", "durability"),
        ("Dry needling gives immediate relief from back pain.", "speed"),
        ("Dry needling eases neck pain in the short term.", "short_term"),
        ("Dry needling relieves back pain for everyone.", "population"),
        ("Studies show dry needling relieves back pain.", "research_appeal"),
        ("Dry needling is highly effective for neck pain.", "magnitude"),
        ("Serious side effects of dry needling occur in fewer than 1 in 10,000 treatments.", "risk_figure"),
        ("Dry needling is very safe with no side effects.", "safety_minimizer"),
        ("My back pain vanished after dry needling relieved it.", "testimonial"),
        ("Dry needling fixes the root cause of back pain.", "absolute"),
    ],
)
def test_qualifier_found(checker, sentence, name):
    assert name in _qualifiers(checker, sentence)


def test_leadin_qualifiers_pass_to_list_items(checker):
    result = checker.check_text("Dry needling is particularly effective for:\n- Tennis elbow\n", "q.txt")
    item = next(f for f in result.findings if f.claim.text == "Tennis elbow")
    assert "particularly effective" in item.claim.qualifiers.magnitude
