"""Therapies users add themselves: an evidence file of one's own declares its intervention
(id, label, aliases or patterns) and it joins the matcher for that run, through --evidence or
the config file, without touching the installed package."""

from __future__ import annotations

import json
import textwrap

import pytest

from claimcheck.core.yamlio import SchemaError
from claimcheck.knowledge.declared import lexicon_for, read_declarations
from claimcheck.knowledge.evidence_audit import validate_paths
from claimcheck.knowledge.lexicon import load_lexicon

FLOAT = textwrap.dedent(
    """\
    intervention:
      id: flotation
      label: flotation therapy
      aliases: [flotation therapy, float tank, float tanks, float pod, float session]
      examples: ["The float pod room opens at nine."]
    title: Flotation therapy (float tanks)
    entries:
      - id: org.float.relaxation
        claim_type: efficacy
        topic: Relaxation in a float tank
        verdict: supported
        certainty: low
        basis: regulator
        scope: Feeling relaxed during and after a session.
        match: {all: [outcome.relaxation]}
        summary: A sensory claim, acceptable for any therapy.
        accepted_wording: A float session can help you relax.
        citations:
          - {ref: "CAP Advice Online, Health - therapies (general)", url: "https://www.asa.org.uk/advice-online/health-therapies-general.html"}
        last_reviewed: 2026-01-10
        examples:
          - {text: "A float session can help you relax.", verdict: supported}
        counter_examples: ["Flotation therapy cures insomnia."]
      - id: org.float.back_pain
        claim_type: efficacy
        topic: Back pain
        verdict: unsupported
        certainty: very low
        basis: regulator
        scope: None on file.
        match: {any: [condition.low_back_pain, condition.chronic_pain]}
        summary: No trials on file.
        citations:
          - {ref: "CAP Advice Online, Health - therapies (general)", url: "https://www.asa.org.uk/advice-online/health-therapies-general.html"}
        last_reviewed: 2026-01-10
        examples:
          - {text: "Flotation therapy relieves chronic back pain.", verdict: unsupported}
        counter_examples: ["A float session can help you relax."]
    """
)
PAGE = "Our float tanks ease lower back pain.\n\nA float session helps you relax.\n"


@pytest.fixture
def evidence_dir(tmp_path):
    folder = tmp_path / "my-evidence"
    folder.mkdir()
    (folder / "flotation.yaml").write_text(FLOAT, encoding="utf-8")
    return folder


def _findings(stdout: bytes) -> list[dict]:
    return json.loads(stdout)["files"][0]["findings"]


def test_declared_therapy_is_matched_through_the_cli(cli, tmp_path, evidence_dir):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    out = cli("check", str(page), "--evidence", str(evidence_dir), "-f", "json", "--no-cache")
    assert out.returncode == 1, out.stderr
    by_id = {e["id"]: f for f in _findings(out.stdout) for e in f["evidence"]}
    assert by_id["org.float.back_pain"]["verdict"] == "unsupported"
    assert by_id["org.float.back_pain"]["intervention"] == "flotation"
    assert by_id["org.float.relaxation"]["verdict"] == "supported"
    # Without the folder the same page names no known therapy: the package itself is untouched.
    plain = cli("check", str(page), "-f", "json", "--no-cache")
    assert not any(f["intervention"] == "flotation" for f in _findings(plain.stdout))
    assert "flotation" not in load_lexicon().concepts


def test_declared_therapy_is_matched_through_the_config_file(cli, tmp_path, evidence_dir):
    (tmp_path / "claimcheck.toml").write_text('evidence = ["my-evidence"]\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "page.md").write_text(PAGE, encoding="utf-8")
    out = cli("check", "content", "-f", "json", "--no-cache", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    ids = {e["id"] for f in _findings(out.stdout) for e in f["evidence"]}
    assert ids == {"org.float.back_pain", "org.float.relaxation"}


def test_explain_list_and_validate_know_the_declared_therapy(cli, evidence_dir):
    listed = cli("evidence", "list", "--evidence", str(evidence_dir))
    assert listed.returncode == 0 and b"org.float.back_pain" in listed.stdout
    shown = cli("explain", "org.float.back_pain", "--evidence", str(evidence_dir))
    assert shown.returncode == 0 and b"intervention: flotation" in shown.stdout
    checked = cli("evidence", "validate", str(evidence_dir))
    assert checked.returncode == 0, checked.stdout.decode()


def test_an_undeclared_unknown_intervention_says_how_to_declare_it(cli, tmp_path):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "f.yaml").write_text(FLOAT.replace(FLOAT.split("title:")[0], "intervention: flotation\n"), "utf-8")
    out = cli("check", "-", "--evidence", str(folder), stdin=b"Flotation eases pain.")
    assert out.returncode == 2
    err = out.stderr.decode()
    assert "f.yaml:1: intervention: unknown intervention 'flotation'" in err
    assert "declare" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ("  id: flotation\n", "  id: Flotation Tank\n", 2, "intervention.id"),
        ("  aliases: [flotation therapy, float tank, float tanks, float pod, float session]\n", "", 2, "intervention"),
        ("  label: flotation therapy\n", "  label: flotation therapy\n  colour: blue\n", 4, "intervention.colour"),
        ("  id: flotation\n", "  id: condition.neck_pain\n", 2, "intervention.id"),
    ],
)
def test_bad_declarations_name_file_line_and_key(tmp_path, old, new, line, key):
    assert old in FLOAT
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "f.yaml").write_text(FLOAT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        lexicon_for([folder])
    assert err.value.line == line, str(err.value)
    assert err.value.key == key, str(err.value)
    report = validate_paths([folder], set(load_lexicon().concepts))
    assert report.errors and report.errors[0].key.startswith("intervention")


def test_a_clash_with_a_concept_of_another_kind_is_an_error(tmp_path):
    folder = tmp_path / "ev"
    folder.mkdir()
    (folder / "f.yaml").write_text(FLOAT.replace("id: flotation", "id: outcome_x"), encoding="utf-8")
    assert read_declarations([folder])[0].id == "outcome_x"
    text = FLOAT.replace("  id: flotation\n", "  id: medication\n")
    (folder / "f.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError, match="not a therapy"):
        lexicon_for([folder])


def test_declaring_a_bundled_therapy_adds_its_aliases(tmp_path):
    folder = tmp_path / "ev"
    folder.mkdir()
    text = FLOAT.replace("id: flotation", "id: massage").replace("org.float", "org.massage")
    (folder / "massage.yaml").write_text(text, encoding="utf-8")
    lexicon = lexicon_for([folder])
    massage = lexicon.concepts["massage"]
    assert "float pod" in massage.terms and "sports massage" in massage.terms
    assert massage.label == load_lexicon().concepts["massage"].label


def test_the_checker_matches_declared_aliases_and_patterns(tmp_path):
    from claimcheck import Checker

    folder = tmp_path / "ev"
    folder.mkdir()
    text = FLOAT.replace(
        "  examples:",
        '  patterns: [[{"LOWER": "floatation"}, {"LOWER": {"IN": ["room", "rooms"]}}]]\n  examples:',
        1,
    )
    (folder / "flotation.yaml").write_text(text, encoding="utf-8")
    checker = Checker(evidence_dirs=[folder], use_model=False)
    for sentence in ("A float pod eases chronic back pain.", "Our floatation rooms ease chronic back pain."):
        findings = checker.check_text(sentence).findings
        assert [f.evidence_id for f in findings] == ["org.float.back_pain"], sentence


def test_the_worked_example_in_the_docs_works(tmp_path):
    from conftest import REPO

    from claimcheck import Checker

    doc = (REPO / "docs" / "evidence-schema.md").read_text(encoding="utf-8")
    block = doc.split("in `my-evidence/flotation.yaml`:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "my-evidence"
    folder.mkdir()
    (folder / "flotation.yaml").write_text(block, encoding="utf-8")
    assert not validate_paths([folder], set(load_lexicon().concepts)).errors
    checker = Checker(evidence_dirs=[folder], use_model=False)
    verdicts = {f.evidence_id: f.verdict for f in checker.check_text(PAGE, "page.md", "markdown").findings}
    assert verdicts == {"org.float.back_pain": "unsupported", "org.float.relaxation": "supported"}
