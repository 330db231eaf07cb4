"""Open-world detection: claims about any therapy, wherever the copy puts them.

Every sentence here was written for this test. The cases follow the kinds a regulator acts
on: therapies outside the lexicon (a), page metadata (b), banners and fragments (c), the
section's therapy rather than the page's most frequent one (d), one claim per predicate
clause (e), implied efficacy (f), figures and guarantees (g), disease-model statements
fused with the therapy (h), comparisons with named alternatives (i); and what is not a
claim: negations, disclaimers, procedure and venue descriptions. All of it is the rules'
work, so the tests run on the rules alone (``rules_checker``).
"""

from __future__ import annotations

import json

import pytest
from conftest import run_cli


def _claims(checker, text: str, fmt: str = "text") -> list[tuple[str, str, str | None]]:
    """(claim type, source text of the span, therapy label) for every finding."""
    result = checker.check_text(text, "page", fmt)
    assert result.error is None
    return [
        (f.claim.claim_type, text[f.claim.start : f.claim.end], f.claim.intervention_label) for f in result.findings
    ]


# -- (a) therapies the lexicon has never seen -------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "claim_types"),
    [
        ("Magnetic pulse therapy rebuilds worn knee cartilage.", "Magnetic pulse therapy", ["efficacy"]),
        ("Sound baths calm the nervous system.", "Sound baths", ["efficacy", "mechanism"]),
        ("Vibration plates burn 600 calories in ten minutes.", "Vibration plates", ["efficacy", "mechanism"]),
        ("Leech therapy is used for varicose veins and arthritis pain.", "Leech therapy", ["efficacy"]),
    ],
)
def test_unknown_therapy_is_a_subject_reported_by_its_name(rules_checker, sentence, name, claim_types):
    result = rules_checker.check_text(sentence, "t.txt")
    assert [(f.claim.text, f.claim.claim_type) for f in result.findings] == [(sentence, t) for t in claim_types]
    for f in result.findings:
        assert f.claim.intervention == "named_therapy"
        assert f.claim.intervention_label == name
        assert f.verdict == "unsupported"
        assert f"no substantiation on file for this {f.claim.claim_type} claim about {name}" in f.reasons[0]


# -- (b) page metadata ------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html><head>
<title>Float Tank Studio | Melts Away Anxiety &amp; Insomnia</title>
<meta name="description" content="Our float tanks flush lactic acid from tired muscles.">
<meta property="og:description" content="Floating resets your nervous system in one hour.">
<script type="application/ld+json">{"@type": "HealthClub", "description": "Floating cures chronic fatigue."}</script>
</head><body>
<nav><a href="/">Floating heals everything</a></nav>
<h1>Float tank sessions</h1>
<p>Book a float online.</p>
<img src="a.jpg" alt="Client floating to relieve fibromyalgia pain">
<a href="/x" title="Floating boosts your immune system">More</a>
<footer>Floating is guaranteed to work.</footer>
</body></html>
"""


def test_html_metadata_is_checked_and_located_exactly(rules_checker):
    result = rules_checker.check_text(HTML_PAGE, "page.html", "html")
    found = {(HTML_PAGE[f.claim.start : f.claim.end], f.line, f.column) for f in result.findings}
    # Each is reported at its own line and column; navigation ("heals everything") stays skipped.
    assert found == {
        ("Melts Away Anxiety &amp; Insomnia", 3, 28),  # <title>, entity kept in the source span
        ("Our float tanks flush lactic acid from tired muscles.", 4, 35),  # meta description
        ("Floating resets your nervous system in one hour.", 5, 42),  # og:description
        ("Floating cures chronic fatigue.", 6, 76),  # JSON-LD description
        ("Client floating to relieve fibromyalgia pain", 11, 23),  # image alt
        ("Floating boosts your immune system", 12, 21),  # title attribute
        ("Floating is guaranteed to work.", 13, 9),  # footer
    }


MARKDOWN_PAGE = """---
title: "Cold water immersion | Burns belly fat"
description: Cold plunges strengthen immunity and ease sore muscles.
layout: service
---

# Cold water immersion

![Plunge pool that melts stubborn fat](pool.jpg)

Sessions last ten minutes.
"""


def test_markdown_front_matter_and_image_alt_are_checked(rules_checker):
    result = rules_checker.check_text(MARKDOWN_PAGE, "page.md", "markdown")
    found = {MARKDOWN_PAGE[f.claim.start : f.claim.end] for f in result.findings}
    # Title, description (two clauses) and image alt; other front-matter keys are not copy.
    assert found == {
        "Burns belly fat",
        "Cold plunges strengthen immunity",
        "ease sore muscles.",
        "Plunge pool that melts stubborn fat",
    }


# -- (c) banners and fragments on a therapy page; (d) the section's therapy -------------------


def test_banners_and_bullets_take_the_page_therapy(rules_checker):
    page = "# Vibration plates\n\nMELTS STUBBORN BELLY FAT IN ONE SESSION\n\nResults that last for ever\n"
    assert _claims(rules_checker, page, "markdown") == [
        ("efficacy", "MELTS STUBBORN BELLY FAT IN ONE SESSION", "Vibration plates"),
        ("efficacy", "Results that last for ever", "Vibration plates"),
    ]


def test_runs_of_condition_bullets_are_claims_but_a_lone_label_is_not(rules_checker):
    page = "# Bowen technique\n\n## What we see\n\n- Frozen shoulder\n- Hay fever and asthma\n- Bedwetting\n"
    claims = _claims(rules_checker, page, "markdown")
    assert {text for _, text, _ in claims} == {"Frozen shoulder", "Hay fever and asthma", "Bedwetting"}
    labelled = "# Bowen technique\n\n- Frozen shoulder\n\nThe shoulder capsule tightens over months.\n"
    assert _claims(rules_checker, labelled, "markdown") == []


def test_implicit_subject_takes_the_section_therapy_not_the_page_most_named(rules_checker):
    page = (
        "# Wellness menu\n\nDry needling, dry needling and more dry needling.\n\n"
        "## Magnet therapy\n\nIt melts away cellulite.\n"
    )
    assert _claims(rules_checker, page, "markdown") == [("efficacy", "It melts away cellulite.", "Magnet therapy")]


# -- (e) one claim per predicate clause ----------------------------------------------------


def test_each_predicate_clause_is_its_own_claim(rules_checker):
    sentence = "Cupping draws out toxins, loosens knots and strengthens your defences against colds."
    spans = sorted({text for _, text, _ in _claims(rules_checker, sentence)})
    assert spans == ["Cupping draws out toxins", "loosens knots", "strengthens your defences against colds."]


def test_one_predicate_over_a_list_of_conditions_stays_one_claim(rules_checker):
    sentence = "Acupuncture relieves back pain, sciatica and migraines."
    assert {text for _, text, _ in _claims(rules_checker, sentence)} == {sentence}


# -- (f) implied efficacy, (g) figures and guarantees, (h) disease models, (i) alternatives ---


@pytest.mark.parametrize(
    ("sentence", "claim_types"),
    [
        ("Our studio offers float tank sessions for anxiety and insomnia.", {"efficacy"}),
        ("Leech therapy is used for varicose veins.", {"efficacy"}),
        ("# Quit smoking hypnosis\n\nOur programme has a 94% success rate.\n", {"efficacy"}),
        ("PEMF mats are guaranteed to work for every client.", {"efficacy"}),
        # A disease model fused with the therapy: the body process and the outcome it promises.
        (
            "Because most illness starts in a clogged colon, our detox wraps pull the waste out.",
            {"efficacy", "mechanism"},
        ),
        # The comparison and the effect it compares.
        ("Unlike statins, grounding mats lower cholesterol naturally.", {"comparative", "efficacy"}),
        ("# PEMF therapy\n\nChoose PEMF therapy instead of painkillers for arthritis.\n", {"comparative"}),
    ],
)
def test_open_world_claim_forms(rules_checker, sentence, claim_types):
    fmt = "markdown" if sentence.startswith("#") else "text"
    types = {t for t, _, _ in _claims(rules_checker, sentence, fmt)}
    assert types == claim_types, sentence


# -- what is not a claim ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We do not claim that float tanks can treat depression.",
        "There is no good evidence that dry needling helps migraine.",
        "# Shockwave therapy\n\nThe clinician moves a handheld applicator over the painful area for five minutes.\n",
        "# Harbour Spa\n\nHarbour Spa brings together cold plunges, saunas and massage under one roof.\n",
        "# Float tanks\n\nPlease tell us if you are pregnant or have epilepsy before you book.\n",
        "Smith J, et al. Dry needling for neck pain. J Pain. 2019;20(3):1-9.",
        "# Salt room\n\n## Prices\n\n- Babies and toddlers £20\n- Children under 12 £15\n",
        "Cold plunging is not a weight-loss treatment.",
        "Individual results are not guaranteed.",
        '<html><body><img src="l.png" alt="Glow Detox Wellness logo"><p>Open daily.</p></body></html>',
    ],
)
def test_negations_disclaimers_procedures_and_venues_are_not_claims(rules_checker, text):
    fmt = "markdown" if text.startswith("#") else "html" if text.startswith("<") else "text"
    assert _claims(rules_checker, text, fmt) == []


def test_the_gate_fails_on_an_unknown_therapy_through_the_cli(tmp_path):
    page = tmp_path / "sauna.md"
    page.write_text("# Infrared sauna\n\nInfrared sauna detoxes heavy metals and lowers blood pressure.\n")
    proc = run_cli("check", str(page), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert {f["verdict"] for f in findings} == {"unsupported"}
    assert len({(f["start"], f["end"]) for f in findings}) == 2  # two clauses, two claims
