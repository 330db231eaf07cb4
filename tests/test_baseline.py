"""Baselines: fingerprints ignore line moves, counts keep multiplicity, bad files are one-line errors."""

from __future__ import annotations

import json
import os
import stat

import pytest

from claimcheck.core.records import Claim, EvidenceMatch, FileResult, Finding, Qualifiers
from claimcheck.pipeline.checker import Report
from claimcheck.project.baseline import BaselineError, filter_new, fingerprint, load_baseline, write_baseline


def finding(text: str = "Dry needling cures migraines.", rule: str = "CC101", line: int = 1, **kw) -> Finding:
    claim = Claim(
        claim_type=kw.pop("claim_type", "efficacy"),
        text=text,
        start=0,
        end=len(text),
        intervention="dry_needling",
        intervention_label="dry needling",
        concepts=[],
        qualifiers=Qualifiers(),
    )
    return Finding(rule=rule, claim=claim, verdict="unsupported", reasons=["r"], suggestion=None, line=line, **kw)


def test_fingerprint_ignores_lines_and_whitespace_but_not_wording():
    a = fingerprint("content/page.md", finding(line=3))
    assert a == fingerprint("content/page.md", finding("Dry  needling\n CURES migraines.", line=40))
    assert a == fingerprint("./content//page.md", finding())
    assert a != fingerprint("content/page.md", finding("Dry needling cures all migraines."))
    assert a != fingerprint("content/other.md", finding())
    assert a != fingerprint("content/page.md", finding(rule="CC102"))
    assert a != fingerprint("content/page.md", finding(evidence_id="dn.headache.migraine"))
    assert a != fingerprint("content/page.md", finding(claim_type="safety"))
    assert len(a) == 64


def test_fingerprint_path_relative_to_root_or_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rel = fingerprint("content/page.md", finding())
    assert fingerprint(str(tmp_path / "content" / "page.md"), finding()) == rel
    assert fingerprint(str(tmp_path / "content" / "page.md"), finding(), root=tmp_path / "content") == fingerprint(
        "page.md", finding()
    )


def report_of(*files: tuple[str, list[Finding]]) -> Report:
    return Report(files=[FileResult(path=p, findings=list(fs)) for p, fs in files])


def test_write_load_filter_round_trip(tmp_path):
    baseline_file = tmp_path / "claimcheck-baseline.json"
    old = report_of(("a.md", [finding(line=1), finding("Cupping detoxes the blood.", "CC202", 5)]), ("b.md", []))
    assert write_baseline(old, baseline_file) == 2
    data = json.loads(baseline_file.read_text())
    assert data["version"] == 2 and data["generator"].startswith("claimcheck ")
    assert [(e["path"], e["line"], e["rule"], e["text"]) for e in data["findings"]] == [
        ("a.md", 1, "CC101", "Dry needling cures migraines."),
        ("a.md", 5, "CC202", "Cupping detoxes the blood."),
    ]
    assert all(len(e["fingerprint"]) == 64 and e["claim_type"] and e["verdict"] for e in data["findings"])
    assert not list(tmp_path.glob(".claimcheck-baseline.json.*"))  # no temp files left behind

    baseline = load_baseline(baseline_file)
    # Lines moved, one new claim added.
    new = report_of(
        (
            "a.md",
            [
                finding(line=10),
                finding("Cupping detoxes the blood.", "CC202", 12),
                finding("Needling is safe.", "CC302"),
            ],
        ),
        ("b.md", [finding(line=2)]),  # same claim on another page: new
    )
    assert filter_new(new, baseline) == 2
    assert [(r.path, [f.claim.text for f in r.findings]) for r in new.files] == [
        ("a.md", ["Needling is safe."]),
        ("b.md", ["Dry needling cures migraines."]),
    ]


def test_multiplicity(tmp_path):
    baseline_file = tmp_path / "b.json"
    write_baseline(report_of(("a.md", [finding(line=1), finding(line=2)])), baseline_file)
    assert set(load_baseline(baseline_file).values()) == {2}
    again = report_of(("a.md", [finding(line=1), finding(line=5), finding(line=9)]))
    assert filter_new(again, load_baseline(baseline_file)) == 2
    assert [f.line for f in again.files[0].findings] == [9]


def test_real_findings_survive_inserted_lines(checker, tmp_path):
    text = "# Dry needling\n\nDry needling cures migraines and fibromyalgia.\n"
    before = Report(files=[checker.check_text(text, "page.md", "markdown")])
    assert before.findings
    write_baseline(before, tmp_path / "base.json")
    moved = "# Dry needling\n\nA new intro paragraph about our clinic.\n\n" + text.split("\n", 2)[2]
    after = Report(files=[checker.check_text(moved, "page.md", "markdown")])
    assert {f.line for f in after.findings} != {f.line for f in before.findings}
    assert filter_new(after, load_baseline(tmp_path / "base.json")) == len(before.findings)
    assert after.findings == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "invalid JSON at line 1"),
        ("[]", "not a claimcheck baseline"),
        ('{"version": 3, "findings": []}', "expected version 1 or 2, found 3"),
        ('{"version": 1}', "'fingerprints' must be an object"),
        ('{"version": 1, "fingerprints": {"abc": 1}}', "expected a sha256 key"),
        ('{"version": 1, "fingerprints": {"' + "a" * 64 + '": 0}}', "count of at least 1"),
        ('{"version": 2, "findings": {}}', "'findings' must be a list"),
        ('{"version": 2, "findings": [{"fingerprint": "x"}]}', "findings[0]: expected an entry with a sha256"),
    ],
)
def test_bad_baseline_files(tmp_path, content, expected):
    file = tmp_path / "base.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as info:
        load_baseline(file)
    message = str(info.value)
    assert message.startswith(str(file)) and expected in message and "\n" not in message


def test_missing_baseline_and_unwritable_folder(tmp_path):
    with pytest.raises(BaselineError, match="no such baseline file"):
        load_baseline(tmp_path / "missing.json")
    with pytest.raises(BaselineError, match="cannot write"):
        write_baseline(report_of(), tmp_path / "no-such-folder" / "b.json")


def test_version_1_baselines_still_match(tmp_path):
    """A version 1 file held one fingerprint per evidence entry; a finding that now carries two
    entries is still matched by either."""
    v1 = finding(evidence_id="dn.headache.migraine")
    legacy = tmp_path / "old.json"
    legacy.write_text(json.dumps({"version": 1, "fingerprints": {fingerprint("a.md", v1): 1}}), encoding="utf-8")
    merged = finding(evidence_id="dn.fibromyalgia")
    merged.evidence = [
        EvidenceMatch("dn.fibromyalgia", "Fibromyalgia", "low", "mixed", "unsupported", "CC101", ["r"]),
        EvidenceMatch("dn.headache.migraine", "Migraine", "low", "unsupported", "unsupported", "CC101", ["r"]),
    ]
    report = report_of(("a.md", [merged]))
    assert filter_new(report, load_baseline(legacy)) == 1 and report.findings == []


def test_written_with_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_baseline(report_of(("a.md", [finding()])), tmp_path / "b.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o644
