"""Evidence for the 16 modalities of shared/reference/rubric-cap-more.md: one regulator-based
file each, their lexicon entries, sources as the reference gives them, and the claims a new
user tries first."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SHARED

from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.lexicon import load_lexicon

MODALITIES = (
    "ozone", "hypnotherapy", "bioresonance", "colonic_hydrotherapy", "craniosacral", "red_light", "hbot",
    "halotherapy", "cryolipolysis", "reiki", "naturopathy", "applied_kinesiology", "infrared_sauna", "chelation",
    "bowen", "ear_candling",
)  # fmt: skip
# Modalities whose positions the reference marks "inferred" (no CAP entry or ruling found for
# them): the files say so entry by entry.
INFERRED = ("ozone", "halotherapy", "infrared_sauna")
LEXICON = load_lexicon()
BASE = EvidenceBase.load(known_concepts=set(LEXICON.concepts))
REFERENCE = [SHARED / "reference" / "rubric-cap-more.md", SHARED / "reference" / "rubric-cap-ftc.md"]
PREFIXES = {
    "https://www.asa.org.uk/advice-online/": "AO ",
    "https://www.asa.org.uk/rulings/": "R ",
    "https://www.cap.org.uk/Advice-Training-on-the-rules/Advice-Online-Database/": "CAPDB ",
}


def _entries(intervention):
    return [e for e in BASE.entries.values() if e.intervention == intervention]


@pytest.mark.parametrize("intervention", MODALITIES)
def test_each_modality_has_a_regulator_file_and_a_lexicon_entry(intervention):
    entries = _entries(intervention)
    assert len(entries) >= 3
    assert all(e.basis == "regulator" for e in entries)
    assert {e.source.rsplit("/", 1)[-1] for e in entries} == {f"{intervention}.yaml"}
    concept = LEXICON.concepts[intervention]
    assert concept.kind == "intervention" and concept.role == "subject" and concept.evidence == intervention
    assert len(concept.terms) >= 5, "names, aliases and the products or devices it is sold as"
    # Accepted wording only where the regulator accepts some; an unsupported row offers none.
    for e in entries:
        if e.verdict == "supported":
            assert e.accepted_wording, e.id
        if e.verdict == "unsupported":
            assert e.accepted_wording is None, e.id


@pytest.mark.parametrize("intervention", INFERRED)
def test_positions_without_a_cap_entry_are_marked_inferred(intervention):
    assert any(e.inferred for e in _entries(intervention))


@pytest.mark.skipif(not all(p.is_file() for p in REFERENCE), reason="../shared/reference is not present")
def test_sources_are_the_ones_the_reference_gives():
    """Nothing invented: every link, seen_at, PMID and DOI of the 16 files is in the reference."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in REFERENCE)
    missing = []
    for intervention in MODALITIES:
        for e in _entries(intervention):
            for c in e.citations:
                for value in (c.url, c.seen_at, c.pmid, c.doi):
                    if not value:
                        continue
                    short = next((p + value[len(u) :] for u, p in PREFIXES.items() if value.startswith(u)), None)
                    if value not in text and (short is None or short.split(" ", 1)[1] not in text):
                        missing.append((e.id, value))
    assert not missing


def test_the_infrared_sauna_claim_a_new_user_tried(rules_checker):
    findings = rules_checker.check_text("Infrared sauna detoxes heavy metals and lowers blood pressure.").findings
    by_type = {f.claim.claim_type: f for f in findings}
    assert by_type["efficacy"].verdict == "unsupported" and by_type["efficacy"].rule == "CC103"
    assert by_type["mechanism"].verdict == "unsupported"
    assert by_type["mechanism"].evidence_id == "sauna.mech.detox"
    assert all(f.claim.intervention == "infrared_sauna" for f in findings)


def test_an_evidence_file_for_infrared_sauna_now_loads(cli, tmp_path):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "sauna.yaml").write_text(
        "intervention: infrared_sauna\nentries:\n"
        "  - id: org.sauna.sleep\n    claim_type: efficacy\n    topic: Sleep\n    verdict: unsupported\n"
        "    certainty: very low\n    basis: regulator\n    scope: None on file.\n"
        "    match: {all: [condition.insomnia]}\n    summary: Nothing on file.\n"
        "    citations: [{ref: CAP detox advice, url: 'https://www.asa.org.uk/advice-online/detoxing-general.html'}]\n"
        "    last_reviewed: 2026-12-01\n"
        "    examples: [{text: 'An infrared sauna cures insomnia.', verdict: unsupported}]\n"
        "    counter_examples: ['An infrared sauna helps detox your body.']\n",
        encoding="utf-8",
    )
    out = cli("check", "-", "--evidence", str(folder), "-f", "json", stdin=b"An infrared sauna cures insomnia.")
    assert out.returncode == 1, out.stderr.decode()
    finding = json.loads(out.stdout)["files"][0]["findings"][0]
    assert [e["id"] for e in finding["evidence"]] == ["org.sauna.sleep"] and finding["verdict"] == "unsupported"


@pytest.mark.parametrize(
    ("text", "evidence_id", "verdict"),
    [
        ("Hypnotherapy can help smokers who are committed to quitting.", "hyp.smoking", "supported"),
        ("Hypnotherapy helps you stop smoking in one session, guaranteed.", "hyp.smoking", "unsupported"),
        ("Colonic hydrotherapy can relieve occasional constipation.", "colonic.occasional_constipation", "supported"),
        ("Colonic hydrotherapy relieves constipation.", "colonic.constipation", "mixed"),
        ("Craniosacral therapy is gentle and deeply relaxing.", "cst.wellbeing", "supported"),
        ("In healthy adults, the Bowen technique may improve hamstring flexibility in the short term.",
         "bowen.hamstring", "supported"),
        ("The Bowen technique relieves back pain.", "bowen.musculoskeletal", "unsupported"),
        ("Fat freezing reduces stubborn fat on the tummy.", "cryolipo.fat_reduction", "mixed"),
        ("Fat freezing permanently eliminates stubborn fat.", "cryolipo.fat_reduction", "unsupported"),
        ("Reiki can support emotional healing and inner peace.", "reiki.wellbeing", "supported"),
        ("Reiki relieves back pain and migraines.", "reiki.conditions", "unsupported"),
        ("Nutritional therapy can help you manage your weight.", "nat.wellbeing_weight", "supported"),
        ("Muscle testing helps find your food intolerances.", "ak.testing", "unsupported"),
        ("Hopi ear candles help clear excess earwax.", "ear.wax_sinus", "unsupported"),
        ("Bioresonance testing helps find your food intolerances.", "bio.screening", "unsupported"),
        ("Ozone therapy boosts your immune system and fights off viruses.", "ozone.immunity_infection", "unsupported"),
        ("Our LED mask clears acne and calms rosacea.", "rl.skin", "unsupported"),
        ("Halotherapy relieves asthma and COPD.", "halo.respiratory", "unsupported"),
        ("Chelation therapy dissolves arterial plaque.", "chel.mech", "unsupported"),
        ("Hyperbaric oxygen therapy helps sciatica and fibromyalgia.", "hbot.listed", "unsupported"),
    ],
)  # fmt: skip
def test_claims_resolve_to_their_rows(rules_checker, text, evidence_id, verdict):
    matched = [m for f in rules_checker.check_text(text).findings for m in f.matched if m.id == evidence_id]
    assert matched, [(f.evidence_id, f.verdict) for f in rules_checker.check_text(text).findings]
    assert {m.verdict for m in matched} == {verdict}


def test_kinesiology_tape_is_not_applied_kinesiology(rules_checker):
    tape = rules_checker.check_text("Kinesiology tape relieves knee pain.").findings
    assert tape and all(f.claim.intervention == "kinesiology_taping" for f in tape)
    kin = rules_checker.check_text("Kinesiology relieves back pain.").findings
    assert kin and all(f.claim.intervention == "applied_kinesiology" for f in kin)


def test_inferred_positions_say_so_in_the_reasons(rules_checker):
    f = rules_checker.check_text("Ozone injections relieve knee pain.").findings[0]
    assert f.evidence_id == "ozone.any_use"
    assert re.search(r"regulator position inferred", f.reasons[0])
