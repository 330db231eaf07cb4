"""The rule registry (core/rule_codes.py) is the one place a code is defined: every code the
tool can emit is in it with all its fields, and the CLI, SARIF, GitHub and docs/rules.md
say exactly what it says."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from conftest import REPO, run_cli

from claimcheck import Checker
from claimcheck.core.records import CLAIM_TYPES, FileResult, Report
from claimcheck.core.rule_codes import (
    CODE_SHAPE,
    LEVELS,
    NOTICE_CODES,
    RULE_CODES,
    RULE_DOCS,
    RULES,
    VERDICT_LEVELS,
    get_rule_doc,
)
from claimcheck.core.rules_markdown import COMMAND, rules_markdown
from claimcheck.knowledge.lexicon import bundled_dir, load_lexicon
from claimcheck.knowledge.wording_rules import load_wording_rules
from claimcheck.project.cache import ResultCache, settings_key
from claimcheck.project.suppressions import apply_suppressions
from claimcheck.report.github import render_github
from claimcheck.report.sarif import render_sarif

PAGE_HEADINGS = ("## What it flags", "## Why it matters", "## Example", "## Compliant rewrite", "## References")


@pytest.mark.parametrize("code", list(RULES))
def test_every_registered_code_has_every_field_and_a_page(code):
    rule = RULES[code]
    assert rule.code == code and CODE_SHAPE.fullmatch(code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
    assert rule.level in LEVELS
    for text in (rule.title, rule.flags, rule.why, rule.example, rule.rewrite):
        assert text.strip() == text and len(text) > 10
    assert not rule.title.endswith(".")
    assert rule.references and all(ref.strip() for ref in rule.references)
    page = get_rule_doc(code.lower())
    assert page == RULE_DOCS[code] and page.startswith(f"# {code} ({rule.name})\n")
    assert all(heading in page for heading in PAGE_HEADINGS)


def test_names_and_situations_are_unique():
    assert len({r.name for r in RULES.values()}) == len(RULES)
    covered = [r.covers for r in RULES.values() if r.covers is not None]
    assert len(covered) == len(set(covered)) == len(RULE_CODES)
    assert list(RULES) == sorted(RULES)


def test_every_situation_the_rubric_looks_up_is_registered():
    """judge() looks up (claim type, "evidence" | "no_evidence") for every claim type."""
    for claim_type in CLAIM_TYPES:
        for situation in ("evidence", "no_evidence"):
            code = RULE_CODES[(claim_type, situation)]
            assert not RULES[code].is_notice
    assert RULE_CODES[("efficacy", "serious")] in RULES


def test_every_code_in_the_wording_rules_is_a_registered_claim_rule():
    path = bundled_dir("rules") / "wording.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    written = {node["code"] for node in raw["rules"] if "code" in node}
    assert written, "rules/wording.yaml assigns no code of its own any more: update this test"
    loaded = {r.code for r in load_wording_rules(path, load_lexicon()) if r.code}
    assert loaded == written
    for code in written:
        assert code in RULES and not RULES[code].is_notice


def test_every_notice_the_tool_emits_is_registered():
    source = (
        "<!-- claimcheck-disable-next-line CC101 -->\n"  # no reason
        "A plain sentence.\n"  # ... and nothing to suppress
        "<!-- claimcheck-disable-next-line CC101 because reviewed -->\n"  # not a code
        "Another sentence.\n"
    )
    _, comment_notices = apply_suppressions("page.md", source, [])
    stale_checker = Checker(use_model=False, today=dt.date(2100, 1, 1))
    stale = stale_checker.check_text("Dry needling eases neck pain in the short term.", "p.txt").notices
    emitted = {n.rule for n in [*comment_notices, *stale]}
    assert emitted == set(NOTICE_CODES)
    assert all(RULES[code].is_notice and RULES[code].level == "note" for code in emitted)


def test_stale_evidence_notice_is_a_record_carried_through_cache_and_sarif(tmp_path):
    checker = Checker(use_model=False, today=dt.date(2100, 1, 1))
    result = checker.check_text("Dry needling eases neck pain in the short term.", "p.txt")
    (notice, *_) = result.notices
    matched = {e.id for f in result.findings for e in f.matched}
    assert notice.evidence_id in matched
    assert notice.evidence_id in notice.message  # the message still names it for people
    cache = ResultCache(tmp_path / "cache")
    key = cache.key(b"page", settings_key(fmt="text", min_confidence=0.0))
    assert cache.put(key, result)
    back = cache.get(key)
    assert back is not None and back.notices == result.notices
    log = json.loads(render_sarif(Report(files=[back])))
    (note, *_) = [r for r in log["runs"][0]["results"] if r["properties"].get("notice")]
    assert note["properties"]["evidence_id"] == notice.evidence_id


def test_rule_command_lists_exactly_the_registry():
    out = run_cli("rule")
    assert out.returncode == 0
    listed = [line.split()[0] for line in out.stdout.decode().splitlines()]
    assert listed == list(RULES)
    for line, rule in zip(out.stdout.decode().splitlines(), RULES.values(), strict=True):
        assert f"({rule.name})" in line and line.endswith(f"{rule.title}.")
    page = run_cli("rule", "cc902").stdout.decode()
    assert page.rstrip("\n") == RULE_DOCS["CC902"].rstrip("\n")


def test_sarif_rules_are_the_registry():
    log = json.loads(render_sarif(Report(files=[FileResult(path="empty.txt")])))
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    for declared in driver["rules"]:
        rule = RULES[declared["id"]]
        assert declared["defaultConfiguration"]["level"] == rule.level
        assert declared["shortDescription"]["text"] == rule.title
        assert declared["name"].lower() == rule.name.replace("-", "")


def test_result_and_annotation_levels_follow_the_registry(checker):
    result = checker.check_text("Dry needling cures migraines. Cupping is completely safe.", "p.txt")
    result = FileResult(
        path="p.txt",
        findings=result.findings,
        notices=apply_suppressions("p.txt", "<!-- claimcheck-disable -->\n", [])[1],
    )
    report = Report(files=[result])
    results = json.loads(render_sarif(report))["runs"][0]["results"]
    claims = [r for r in results if not r["properties"].get("notice")]
    notes = [r for r in results if r["properties"].get("notice")]
    assert claims and notes
    assert all(r["level"] == VERDICT_LEVELS[r["properties"]["verdict"]] for r in claims)
    assert all(r["level"] == RULES[r["ruleId"]].level for r in notes)
    commands = {"error": "error", "warning": "warning", "note": "notice"}
    github = render_github(report).splitlines()
    for n in result.notices:
        assert any(
            line.startswith(f"::{commands[RULES[n.rule].level]} ") and f"title={n.rule} " in line for line in github
        )


def test_docs_rules_md_is_generated_from_the_registry():
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), f"docs/rules.md is stale: run `{COMMAND}`"
    assert COMMAND in committed.splitlines()[0]
    for rule in RULES.values():
        assert f"\n## {rule.code} ({rule.name})\n" in committed
        assert f"| {rule.code} | `{rule.name}` | {rule.level} |" in committed
