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
        assert all(i == "cupping" and v == "unsupported" for i, v, _ in by_text[clause])
    chiro = by_text["Chiropractic adjustments cure asthma and colic"]
    assert all(i == "chiropractic" and v == "unsupported" for i, v, _ in chiro)
    for clause in ("Our IV vitamin drips boost immunity", "help you beat a cold — fast"):
        assert all(i == "iv_drips" and v == "unsupported" for i, v, _ in by_text[clause])
    # Script, style and nav text is never checked; the footer is part of the ad and is.
    assert not any("book now" in f.claim.text for f in result.findings)
    footer = [f for f in result.findings if "guaranteed" in f.claim.text]
    assert footer and all(f.claim.intervention == "acupuncture" and f.verdict == "unsupported" for f in footer)
    assert not any("Riverside Wellness" in f.claim.text for f in result.findings)


def test_intervention_without_evidence_file_is_named(rules_checker):
    result = rules_checker.check_text("Ozonetherapy clears toxins and cures back pain.", "o.txt")
    assert result.findings
    for f in result.findings:
        assert f.verdict == "unsupported"
        assert f.evidence_id is None
        assert "Ozonetherapy" in f.reasons[0]
