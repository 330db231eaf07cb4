"""The general wording rules (rules/wording.yaml) are data: loaded, validated, applied by the
rubric, and every rule's example sentences hold through the real Checker."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import REPO

from claimcheck.core.rule_codes import RULE_CODES
from claimcheck.core.yamlio import SchemaError
from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.evidence_audit import evidence_counts_markdown
from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon
from claimcheck.knowledge.wording_rules import load_wording_rules

LEXICON = load_lexicon()
WORDING = bundled_dir("rules") / "wording.yaml"
RULES = load_wording_rules(WORDING, LEXICON)
EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples]

# The 28 rules distilled from the CAP/FTC reference; more may be added, none removed.
REFERENCE_RULES = {
    "serious_condition", "baby_pregnancy_conditions", "pseudo_mechanism", "no_substantiation",
    "implied_claim", "testimonial", "tradition", "research_list", "disclaimer", "hedge",
    "limitation_without_evidence", "preliminary_research", "certainty_words", "research_appeal",
    "magnitude", "sweeping_population", "lasting_beyond_short_term", "dropped_short_term_qualifier",
    "dropped_adjunct_qualifier", "speed_beyond_evidence", "safe_claim", "safety_minimizer", "natural",
    "sensory_wellbeing", "unqualified_dr", "device_mark_not_efficacy", "unlicensed_medicinal",
    "prescription_only_medicine",
}  # fmt: skip


def test_bundled_rules_load_and_cover_the_reference():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) >= REFERENCE_RULES


def test_the_checker_loads_the_wording_rules_of_its_rules_folder(rules_checker):
    assert rules_checker.wording_rules == RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_examples_and_a_source(rule):
    assert rule.examples, f"{rule.source}:{rule.line}: {rule.id} has no examples"
    assert rule.source_url.startswith("http")
    assert rule.reason and rule.label


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{r.id}-{i}" for r in RULES for i, _ in enumerate(r.examples)]
)
def test_rule_example_fires_and_gives_its_verdict(rules_checker, rule, example):
    """Each example, through the real Checker, yields a finding of a type the rule applies to
    whose reasons carry the rule, with the verdict the example states."""
    result = rules_checker.check_text(example.text, "example.md", "markdown")
    where = f"{rule.source}:{example.line or rule.line}: {rule.id}"
    # Each evidence entry a finding matched is judged on its own (a finding with none, as itself).
    judged = [j for f in result.findings if f.claim.claim_type in rule.applies_to for j in (f.matched or [f])]
    fired = [j for j in judged if any(rule.tag in r for r in j.reasons)]
    assert fired, f"{where}: rule does not fire on {example.text!r}: {[f.reasons for f in result.findings]}"
    verdicts = {f.verdict for f in fired}
    assert example.verdict in verdicts, f"{where}: {example.text!r} got {verdicts}, expected {example.verdict}"
    for f in fired:
        assert f.reasons[-1] == f"verdict: {f.verdict}"
        reason = next(r for r in f.reasons if rule.tag in r)
        assert rule.reason in reason


# -- what the rules promise, end to end ------------------------------------------------------


def _findings(checker, text, claim_type="efficacy"):
    found = [f for f in checker.check_text(text, "t.txt").findings if f.claim.claim_type == claim_type]
    assert found, text
    return found


def test_serious_condition_is_cc103_from_the_data(rules_checker):
    for text in ("Acupuncture can cure cancer.", "Chiropractic helps epilepsy.", "Osteopathy treats heart disease."):
        for f in _findings(rules_checker, text):
            assert f.rule == RULE_CODES[("efficacy", "serious")] == "CC103"
            assert f.verdict == "unsupported"
            assert "12.2" in f.reasons[0] and "[serious_condition]" in f.reasons[0]


def test_intervention_without_evidence_file_is_unsupported_and_named(rules_checker):
    for f in _findings(rules_checker, "Biophoton therapy relieves back pain."):
        assert f.rule == "CC102"
        assert f.verdict == "unsupported"
        assert f.evidence_id is None
        assert f.reasons[0].startswith("no substantiation on file")
        assert "Biophoton therapy" in f.reasons[0] and "no evidence file" in f.reasons[0]
        assert any("[no_substantiation]" in r for r in f.reasons)


def test_sensory_claims_are_supported_even_without_an_evidence_file(rules_checker):
    for f in _findings(rules_checker, "Biophoton therapy is deeply relaxing and helps you unwind."):
        assert f.verdict == "supported"
        assert any("[sensory_wellbeing]" in r for r in f.reasons)
    # ... but not once a condition is named: that clause is a claim of its own, and unsupported.
    found = _findings(rules_checker, "Biophoton therapy is relaxing and relieves migraines.")
    assert {(f.claim.text, f.verdict) for f in found} == {
        ("Biophoton therapy is relaxing", "supported"),
        ("relieves migraines.", "unsupported"),
    }


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("In my experience, dry needling may modestly ease shoulder pain in the short term.", "[testimonial]"),
        ("Used for centuries, dry needling may modestly ease shoulder pain in the short term.", "[tradition]"),
        ("Dry needling may modestly ease shoulder pain in the short term; consult your GP.", "[disclaimer]"),
    ],
)
def test_testimonials_tradition_and_disclaimers_never_lift(rules_checker, text, tag):
    plain = _findings(rules_checker, "Dry needling may modestly ease shoulder pain in the short term.")
    assert {f.verdict for f in plain} == {"supported"}  # a hedged, scoped claim on a mixed research row
    for f in _findings(rules_checker, text):
        assert f.verdict == "mixed", f.reasons
        assert any(tag in r for r in f.reasons)


def test_may_never_lifts_a_regulator_row_or_a_claim_without_evidence(rules_checker):
    for f in _findings(rules_checker, "Massage may temporarily ease lower back pain."):
        assert f.verdict == "mixed"
        assert any("[hedge]" in r for r in f.reasons)
    for f in _findings(rules_checker, "Reflexology may help with IBS."):
        assert f.verdict == "unsupported"
    for f in _findings(rules_checker, "Biophoton therapy may help back pain."):
        assert f.verdict == "unsupported"
        assert any("[hedge]" in r for r in f.reasons)


def test_natural_and_safe_need_evidence(rules_checker):
    for f in _findings(rules_checker, "Cupping is a natural and safe treatment.", "safety"):
        assert f.verdict == "unsupported"
        assert f.evidence_id is None
        assert any("[natural]" in r for r in f.reasons)
        assert any("[safe_claim]" in r for r in f.reasons)
    supported = _findings(rules_checker, "Chiropractic relieves back pain.")
    natural = _findings(rules_checker, "Chiropractic is a natural way to relieve back pain.")
    assert {f.verdict for f in supported} == {"supported"}
    assert {f.verdict for f in natural} == {"mixed"}


def test_every_step_is_written_down(rules_checker):
    text = "Dry needling is clinically proven to give dramatic, lasting relief from neck pain for everyone."
    f = next(e for f in _findings(rules_checker, text) for e in f.matched if e.id == "dn.pain.neck.short_term")
    tags = [t for r in f.reasons for t in re.findall(r"\[([a-z_]+)\]", r)]
    assert tags == ["certainty_words", "magnitude", "lasting_beyond_short_term", "sweeping_population"]
    assert f.reasons[-2] == "4 step(s) down: supported -> unsupported"
    assert f.verdict == "unsupported"


# -- schema validation ---------------------------------------------------------------------

GOOD_RULE = """\
rules:
  - id: sample
    applies_to: [efficacy]
    when: {cue: hedge}
    effect: no_lift
    label: hedge
    reason: "A reason."
    source: {ref: "A ruling", url: "https://example.org/ruling"}
    examples:
      - {text: "Homeopathy may help hay fever.", verdict: unsupported}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wording.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_good_file_loads(tmp_path):
    (rule,) = load_wording_rules(_write(tmp_path, GOOD_RULE), LEXICON)
    assert rule.id == "sample" and rule.line == 2 and rule.examples[0].verdict == "unsupported"


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "message"),
    [
        ("    label: hedge\n", "    label: hedge\n    colour: red\n", 7, "rules[0].colour", "unknown key"),
        ("when: {cue: hedge}", "when: {cue: hedges}", 4, "rules[0].when.cue", "unknown cue 'hedges'"),
        (
            "when: {cue: hedge}",
            "when: {cue: hedge, cue_absent: [speed, permanant]}",
            4,
            "rules[0].when.cue_absent",
            "unknown cue 'permanant' (not in rules/cues.yaml)",
        ),
        ("when: {cue: hedge}", "when: {concept: condition.nope}", 4, "rules[0].when.concept", "condition.nope"),
        ("when: {cue: hedge}", "when: {cue: hedge, colour: red}", 4, "rules[0].when.colour", "unknown key"),
        ("effect: no_lift", "effect: lift", 5, "rules[0].effect", "'lift' is not one of"),
        ("applies_to: [efficacy]", "applies_to: [efficacy, claims]", 3, "rules[0].applies_to", "'claims'"),
        ("verdict: unsupported}", "verdict: fine}", 10, "rules[0].examples[0].verdict", "'fine'"),
        ('url: "https://example.org/ruling"', 'url: "example.org"', 8, "rules[0].source.url", "http"),
        ("    effect: no_lift\n", "    effect: no_lift\n    code: CC999\n", 6, "rules[0].code", "CC999"),
        (
            "    effect: no_lift\n",
            "    effect: no_lift\n    code: CC103\n",
            6,
            "rules[0].code",
            "only effect: unsupported",
        ),
    ],
)
def test_schema_errors_name_file_line_and_key(tmp_path, old, new, line, key, message):
    assert old in GOOD_RULE
    path = _write(tmp_path, GOOD_RULE.replace(old, new))
    with pytest.raises(SchemaError) as err:
        load_wording_rules(path, LEXICON)
    assert err.value.path == str(path)
    assert err.value.line == line, str(err.value)
    assert err.value.key == key, str(err.value)
    assert message in str(err.value)
    assert str(err.value).startswith(f"{path}:{line}: {key}: ")


def test_a_rule_without_examples_is_an_error(tmp_path):
    text = GOOD_RULE.split("    examples:")[0] + "    examples: []\n"
    with pytest.raises(SchemaError) as err:
        load_wording_rules(_write(tmp_path, text), LEXICON)
    assert err.value.key == "rules[0].examples" and err.value.line == 9
    text = GOOD_RULE.split("    examples:")[0]
    with pytest.raises(SchemaError, match=r"rules\[0\]\.examples"):
        load_wording_rules(_write(tmp_path, text), LEXICON)


def test_duplicate_ids_and_bad_yaml(tmp_path):
    body = GOOD_RULE.split("rules:\n", 1)[1]
    with pytest.raises(SchemaError, match="duplicate rule id 'sample'"):
        load_wording_rules(_write(tmp_path, GOOD_RULE + body), LEXICON)
    with pytest.raises(SchemaError, match="invalid YAML"):
        load_wording_rules(_write(tmp_path, "rules: [\n"), LEXICON)


# -- README: the evidence table is generated, so it cannot drift ------------------------------


def test_readme_evidence_table_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- evidence-counts:start -->\n(.*?)<!-- evidence-counts:end -->", readme, re.S)
    assert match, "README.md lost its evidence-counts markers"
    expected = evidence_counts_markdown(EvidenceBase.load(known_concepts=set(LEXICON.concepts)))
    assert match.group(1) == expected, (
        "README.md's evidence table is stale; regenerate it with\n"
        "  python -c 'from claimcheck.knowledge.evidence import EvidenceBase; "
        "from claimcheck.knowledge.evidence_audit import evidence_counts_markdown; "
        'print(evidence_counts_markdown(EvidenceBase.load()), end="")\'\n'
        "and paste it between the evidence-counts markers:\n" + expected
    )


def test_evidence_counts_add_up():
    from claimcheck.knowledge.evidence_audit import count_entries

    base = EvidenceBase.load(known_concepts=set(LEXICON.concepts))
    rows = count_entries(base)
    total = rows[-1]
    assert total.intervention == "total" and total.entries == len(base.entries)
    for row in rows:
        assert sum(row.by_verdict.values()) == row.entries == sum(row.by_basis.values())
    assert {r.intervention for r in rows[:-1]} == {e.intervention for e in base.entries.values()}
    dn = next(r for r in rows if r.intervention == "dry_needling")
    assert dn.entries == 57


def test_evidence_validate_checks_the_wording_rules(cli, tmp_path):
    bundled = cli("evidence", "validate")
    assert bundled.returncode == 0, bundled.stdout.decode() + bundled.stderr.decode()
    broken = tmp_path / "wording.yaml"
    text = (REPO / "rules" / "wording.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("effect: ", "effect: bogus_", 1), encoding="utf-8")
    out = cli("evidence", "validate", str(broken))
    assert out.returncode == 2
    assert f"{broken}:" in out.stdout.decode() and ".effect: 'bogus_" in out.stdout.decode()


def test_a_broken_wording_file_stops_the_checker_at_start_up(tmp_path):
    """The Checker validates wording.yaml when it is built, not at the first claim it judges,
    so a run with a broken file fails before any file is checked."""
    import shutil

    from claimcheck import Checker
    from claimcheck.core.yamlio import SchemaError

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    text = (rules / "wording.yaml").read_text(encoding="utf-8")
    (rules / "wording.yaml").write_text(text.replace("effect: ", "effect: bogus_", 1), encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        Checker(rules_dir=rules, use_model=False)
    assert "wording.yaml" in str(caught.value) and ".effect" in str(caught.value)
