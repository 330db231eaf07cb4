"""Rules entirely as data: every cue is read through one matcher (terms and patterns alike),
and every cue id named anywhere -- in the code, in rules/wording.yaml, in evidence entries --
is checked when the rules load, with an error that names where it was named."""

from __future__ import annotations

import ast
import importlib
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from claimcheck.core.records import QUALIFIER_FIELDS, Qualifiers
from claimcheck.core.yamlio import SchemaError
from claimcheck.judge.required_cues import CODE_CUES, code_cue_errors
from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.evidence_audit import validate_paths
from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon

LEXICON = load_lexicon()

PATTERN_CUE = """
  - id: wonder_wording
    group: qualifier
    description: Wonder words, found by a pattern alone (a test cue).
    patterns:
      - [{"LOWER": {"REGEX": "^miracul"}}]
    examples: ["Cupping works miraculously on back pain."]
"""
PATTERN_RULE = """
  - id: wonder
    applies_to: [efficacy]
    when: {cue: wonder_wording}
    effect: step_down
    label: wonder wording
    reason: "Wonder words overstate any evidence (a test rule)"
    source: {ref: "a test rule", url: "https://example.org/wonder"}
    examples:
      - {text: "Cupping works miraculously on back pain.", verdict: unsupported}
"""


def _rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    return rules


def _drop_cue(rules: Path, cue_id: str) -> None:
    path = rules / "cues.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {cue_id}\n")
    end = text.index("  - id: ", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


# -- one matcher for every cue ----------------------------------------------------------


def test_a_qualifier_cue_defined_only_by_a_pattern_fires(tmp_path):
    """A pattern-only qualifier cue is read into the claim's qualifiers and a wording rule
    on it fires, through the real Checker; the report's qualifiers stay as they were."""
    from claimcheck import Checker

    rules = _rules_copy(tmp_path)
    with (rules / "cues.yaml").open("a", encoding="utf-8") as fh:
        fh.write(PATTERN_CUE)
    with (rules / "wording.yaml").open("a", encoding="utf-8") as fh:
        fh.write(PATTERN_RULE)
    checker = Checker(rules_dir=rules, use_model=False)
    findings = checker.check_text("Cupping relieves back pain miraculously.", "w.txt").findings
    efficacy = [f for f in findings if f.claim.claim_type == "efficacy"]
    assert efficacy
    assert "wonder_wording" not in efficacy[0].claim.qualifiers.present()  # the report is unchanged
    assert any("wonder wording ('miraculously')" in r and "[wonder]" in r for r in efficacy[0].reasons)
    plain = checker.check_text("Cupping relieves back pain.", "w.txt").findings
    assert not any("[wonder]" in r for f in plain for r in f.reasons)


def test_a_wording_rule_reads_a_cues_patterns_too(rules_checker):
    """dr_title is a term and a pattern ("Dr."): the rule reads the words the matcher found."""
    result = rules_checker.check_text("Dr. Jones treats sciatica with dry needling.", "w.txt")
    reasons = [r for f in result.findings for r in f.reasons if "[unqualified_dr]" in r]
    assert reasons, [f.reasons for f in result.findings]


def test_the_report_shows_the_reported_qualifiers_in_report_order():
    q = Qualifiers()
    for cue, word in (("speed", "fast"), ("guarantee", "guaranteed"), ("hedge", "may"), ("speed", "fast")):
        q.add(cue, word)
    assert list(q.present()) == ["hedge", "speed"]
    assert q.speed == ["fast"] and q.get("guarantee") == ["guaranteed"] and q.absolute == []
    assert Qualifiers(hedge=["may"], speed=["fast"]) == Qualifiers({"speed": ["fast"], "hedge": ["may"]})
    with pytest.raises(AttributeError):
        q.hedge = ["might"]


@pytest.mark.parametrize(
    ("sentence", "comparative"),
    [
        ("Acupuncture is a drug-free way to ease back pain.", True),  # self_contained_comparative
        ("Unlike massage, dry needling relieves neck pain.", True),  # contrast: set against a named option
        ("Acupuncture combined with massage relieves back pain.", True),  # self_contained: "combined with"
    ],
)
def test_comparative_word_lists_are_cues(rules_checker, sentence, comparative):
    types = {f.claim.claim_type for f in rules_checker.check_text(sentence, "c.txt").findings}
    assert ("comparative" in types) is comparative, types


def test_exact_word_cues_do_not_match_other_forms(checker):
    """``lemmas: false``: "combining" compares on its own, "combine" does not."""
    from claimcheck.nlp.engine import CUES_KEY

    def marked(text: str) -> set[str]:
        doc = checker.nlp(text)
        return {s.text for s in doc.spans[CUES_KEY] if s.label_ == "self_contained_comparative"}

    assert marked("Combining needling with rehab helps.") == {"Combining"}
    assert marked("We combine needling with rehab.") == set()
    assert LEXICON.cues["efficacy_verb"].lemmas and not LEXICON.cues["self_contained_comparative"].lemmas


def _judge(claim_qualifiers: Qualifiers, entry_id: str, text: str = "Dry needling may ease low back pain."):
    from claimcheck.core.records import Claim
    from claimcheck.judge.rubric import judge

    entry = EvidenceBase.load(known_concepts=set(LEXICON.concepts)).entries[entry_id]
    claim = Claim(
        "efficacy", text, 0, len(text), "dry_needling", "dry needling", list(entry.match_all), claim_qualifiers
    )
    return judge(claim, entry, LEXICON, True, [])


def test_the_rubric_reads_immediacy_from_the_cue_data():
    """A hedged claim against a mixed, short-term-only entry is supported as stated when its
    speed word is one the ``immediacy`` cue also marks, not when it promises pace."""
    entry = "dn.pain.low_back"
    immediate = Qualifiers(hedge=["may"], speed=["immediately"], immediacy=["immediately"])
    paced = Qualifiers(hedge=["may"], speed=["quickly"])
    assert _judge(immediate, entry).verdict == "supported"
    assert _judge(paced, entry).verdict == "mixed"


def test_the_rubric_reads_bare_research_words_from_the_cue_data():
    """An entry's research_appeal wording rule needs more than a bare research word."""
    entry = "dn.general.endorsement_proven"
    bare = _judge(Qualifiers(research_appeal=["research"], research_word=["research"]), entry)
    appeal = _judge(Qualifiers(research_appeal=["studies show"]), entry)
    assert bare.verdict == "mixed" and appeal.verdict == "unsupported"
    assert "'studies show'" in " ".join(appeal.reasons)


# -- every cue id checked when the rules load --------------------------------------------


def test_a_misspelled_cue_in_an_evidence_entry_is_an_error(tmp_path, cli):
    folder = tmp_path / "evidence"
    folder.mkdir()
    text = (REPO / "rules" / "evidence" / "tens.yaml").read_text(encoding="utf-8")
    assert "      - cue: population\n" in text
    path = folder / "tens.yaml"
    path.write_text(text.replace("      - cue: population\n", "      - cue: permanant\n", 1), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("      - cue: permanant") + 1
    where = f"{path}:{line}: entries[0].wording[0].cue: unknown cue 'permanant' (not in rules/cues.yaml)"

    report = validate_paths([folder], set(LEXICON.concepts), known_cues=set(LEXICON.cues))
    assert [str(e) for e in report.errors] == [where]
    with pytest.raises(SchemaError) as err:
        EvidenceBase.load([folder], known_concepts=set(LEXICON.concepts), known_cues=set(LEXICON.cues))
    assert str(err.value) == where
    out = cli("evidence", "validate", str(folder))
    assert out.returncode == 2 and f"error: {where}" in out.stdout.decode()

    from claimcheck import Checker

    with pytest.raises(SchemaError, match="unknown cue 'permanant'"):
        Checker(evidence_dirs=[folder], use_model=False)


def test_a_misspelled_cue_in_a_wording_rule_stops_the_checker(tmp_path, cli):
    from claimcheck import Checker

    rules = _rules_copy(tmp_path)
    path = rules / "wording.yaml"
    text = path.read_text(encoding="utf-8")
    old = "when: {cue: natural_framing}"
    assert old in text
    path.write_text(text.replace(old, "when: {cue: natural_framin}"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("    when: {cue: natural_framin}") + 1
    with pytest.raises(SchemaError) as err:
        Checker(rules_dir=rules, use_model=False)
    assert str(err.value).startswith(f"{path}:{line}: rules[")
    assert ".when.cue: unknown cue 'natural_framin' (not in rules/cues.yaml)" in str(err.value)
    out = cli("evidence", "validate", str(path))
    assert out.returncode == 2 and f"error: {err.value}" in out.stdout.decode()


def test_a_cue_the_code_reads_missing_from_the_cue_file_stops_the_checker(tmp_path):
    from claimcheck import Checker

    rules = _rules_copy(tmp_path)
    _drop_cue(rules, "weak_comparative")
    with pytest.raises(SchemaError) as err:
        Checker(rules_dir=rules, use_model=False)
    assert str(err.value) == (
        f"{rules / 'cues.yaml'}: claimcheck.detect.claim_forms: "
        "cue 'weak_comparative' is read by the code but not defined in the cue file"
    )


def test_evidence_validate_reports_a_cue_the_code_reads_but_the_rules_lack(monkeypatch):
    from typer.testing import CliRunner

    from claimcheck.cli.app import app

    monkeypatch.setitem(CODE_CUES, "claimcheck.detect.extract", frozenset({"hedge", "no_such_cue"}))
    out = CliRunner().invoke(app, ["evidence", "validate"])
    assert out.exit_code == 2
    assert (
        "error: " + str(bundled_dir("rules") / "cues.yaml") + ": claimcheck.detect.extract: "
        "cue 'no_such_cue' is read by the code but not defined in the cue file"
    ) in out.output


def test_a_reported_qualifier_must_be_a_qualifier_cue(tmp_path):
    rules = _rules_copy(tmp_path)
    path = rules / "cues.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: tradition\n")
    path.write_text(text[:start] + text[start:].replace("group: qualifier", "group: filter", 1), encoding="utf-8")
    errors = [str(e) for e in code_cue_errors(load_lexicon(rules))]
    assert len(errors) == 1 and "tradition.group: must be qualifier" in errors[0], errors


def test_the_bundled_rules_define_every_cue_the_code_reads(cli):
    assert code_cue_errors(LEXICON) == []
    assert {"comparative", "hedge", "speed", "immediacy", "research_word", *QUALIFIER_FIELDS} <= {
        c for ids in CODE_CUES.values() for c in ids
    }
    out = cli("evidence", "validate")
    assert out.returncode == 0, out.stdout.decode() + out.stderr.decode()


# String literals that equal a cue id but mean something else: a claim type, a scope limit,
# a highlight's kind.
NOT_CUE_READS = {
    ("claimcheck/core/records.py", "comparative"),
    ("claimcheck/core/rule_codes.py", "comparative"),
    ("claimcheck/judge/highlights.py", "comparative"),
    ("claimcheck/judge/highlights.py", "figure"),
    ("claimcheck/judge/rubric.py", "comparative"),
    ("claimcheck/knowledge/evidence.py", "short_term"),
}


def test_every_cue_id_written_in_the_code_is_a_required_cue():
    """A cue id spelled out as a string in a module is in that module's REQUIRED_CUES, which
    the Checker checks against the cue file: the sets cannot fall behind the code."""
    package = REPO / "claimcheck"
    unlisted = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)} & set(
            LEXICON.cues
        )
        literals = {c for c in literals if (rel, c) not in NOT_CUE_READS}
        if not literals:
            continue
        module = importlib.import_module(rel[: -len(".py")].replace("/", "."))
        required = getattr(module, "REQUIRED_CUES", frozenset())
        unlisted.extend(f"{rel}: {c}" for c in sorted(literals - required))
        assert module.__name__ in CODE_CUES, f"{rel} reads cues by name but is not in CODE_CUES"
    assert not unlisted
