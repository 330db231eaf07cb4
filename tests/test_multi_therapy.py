"""A page selling several therapies: each claim is judged against its own therapy's evidence."""

from __future__ import annotations

from conftest import REPO


def test_multi_therapy_example_page(rules_checker):
    result = rules_checker.check_file(str(REPO / "examples" / "clinic-page.html"))
    assert result.error is None
    by_text: dict[str, set[tuple[str, str, str | None]]] = {}
    for f in result.findings:
        by_text.setdefault(f.claim.text.split(".")[0], set()).add((f.claim.intervention, f.verdict, f.evidence_id))
    acupuncture = by_text["Acupuncture may help some people with chronic low back pain in the short term"]
    assert {(i, v) for i, v, _ in acupuncture} == {("acupuncture", "supported")}
    # One claim per predicate clause, each on its own therapy.
    for clause in ("Cupping draws toxins out of the body", "boosts the immune system"):
        assert {(i, v) for i, v, _ in by_text[clause]} == {("cupping", "unsupported")}
    chiro = by_text["Chiropractic adjustments cure asthma and colic"]
    assert {(i, v) for i, v, _ in chiro} == {("chiropractic", "unsupported")}
    for clause in ("Our IV vitamin drips boost immunity", "help you beat a cold — fast"):
        assert {(i, v) for i, v, _ in by_text[clause]} == {("iv_drips", "unsupported")}
    # Script, style and nav text is never checked ("book now", the clinic's name in the nav);
    # the footer is part of the ad and is. These are every claim on the page.
    assert set(by_text) == {
        "Acupuncture may help some people with chronic low back pain in the short term",
        "Cupping draws toxins out of the body",
        "boosts the immune system",
        "Chiropractic adjustments cure asthma and colic",
        "Our IV vitamin drips boost immunity",
        "help you beat a cold — fast",
        "Homeopathy treats anxiety without side effects",
        "Acupuncture is guaranteed to work",
    }
    assert by_text["Acupuncture is guaranteed to work"] == {("acupuncture", "unsupported", None)}


def test_intervention_without_evidence_file_is_named(rules_checker):
    result = rules_checker.check_text("Ozonetherapy clears toxins and cures back pain.", "o.txt")
    assert [(f.claim.text, f.claim.claim_type) for f in result.findings] == [
        ("Ozonetherapy clears toxins", "efficacy"),
        ("Ozonetherapy clears toxins", "mechanism"),
        ("cures back pain.", "efficacy"),
    ]
    for f in result.findings:
        assert (f.verdict, f.evidence_id) == ("unsupported", None)
        assert f.reasons[0] == (
            f"no substantiation on file for this {f.claim.claim_type} claim about Ozonetherapy "
            "(no evidence file for Ozonetherapy)"
        )
