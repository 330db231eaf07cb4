"""End to end: the real command line in a subprocess, on real files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO

EXAMPLE = str(REPO / "examples" / "clinic-page.md")


def test_version(cli):
    out = cli("--version")
    assert out.returncode == 0
    assert out.stdout.decode().startswith("claimcheck ")


def test_text_output_one_line_per_finding_then_summary(cli):
    out = cli("check", EXAMPLE, "--fail-on", "never")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().strip().splitlines()
    assert "claim finding(s)" in lines[-1] and "supported not listed" in lines[-1]
    finding_lines = lines[:-1]
    assert finding_lines
    for line in finding_lines:
        path, line_no, col, rest = line.split(":", 3)
        assert path.endswith("clinic-page.md") and line_no.isdigit() and col.isdigit()
        assert rest.lstrip().startswith("CC") and "[" in rest


def test_json_contract(cli):
    out = cli("check", EXAMPLE, "--format", "json", "--fail-on", "never")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["schema_version"] == 2
    source = Path(EXAMPLE).read_text(encoding="utf-8")
    (entry,) = report["files"]
    assert entry["path"] == EXAMPLE and entry["error"] is None
    assert entry["findings"]
    for f in entry["findings"]:
        for key in (
            "rule",
            "claim_type",
            "verdict",
            "text",
            "start",
            "end",
            "line",
            "column",
            "end_line",
            "end_column",
            "evidence",
            "reasons",
            "suggestion",
        ):
            assert key in f
        assert f["verdict"] in ("supported", "mixed", "unsupported")
        assert f["claim_type"] in ("efficacy", "mechanism", "safety", "comparative")
        assert source[f["start"] : f["end"]] == f["text"]
        assert f["reasons"] and f["reasons"][-1] == f"verdict: {f['verdict']}"
        for h in f["highlights"]:
            assert f["start"] <= h["start"] < h["end"] <= f["end"] and source[h["start"] : h["end"]] == h["text"]
            assert h["why"]
        severities = [("supported", "mixed", "unsupported").index(e["verdict"]) for e in f["evidence"]]
        assert severities == sorted(severities, reverse=True)
        if f["evidence"]:
            assert f["verdict"] == f["evidence"][0]["verdict"]
    keys = [(f["start"], f["end"], f["claim_type"]) for f in entry["findings"]]
    assert len(keys) == len(set(keys))  # one finding per (claim span, claim type)
    assert report["summary"]["findings"] == len(entry["findings"])


def test_exit_codes_follow_fail_on(cli, tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("Dry needling cures fibromyalgia and migraines forever.\n", encoding="utf-8")
    assert cli("check", str(page)).returncode == 1
    assert cli("check", str(page), "--fail-on", "never").returncode == 0
    clean = tmp_path / "clean.txt"
    clean.write_text("Our clinic opens at nine on weekdays.\n", encoding="utf-8")
    assert cli("check", str(clean), "--fail-on", "any").returncode == 0


def test_stdin(cli):
    out = cli("check", "-", "--format", "json", "--fail-on", "never", stdin=b"Dry needling relieves neck pain.\n")
    assert out.returncode == 0
    report = json.loads(out.stdout)
    assert report["files"][0]["path"] == "<stdin>"
    assert report["files"][0]["findings"]


def test_folder_is_walked_recursively(cli, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.md").write_text("Dry needling eases neck pain.\n", encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text("<p>Cupping boosts immunity.</p>", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_text("Acupuncture cures asthma.\n", encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG\x00\x00")
    out = cli("check", str(tmp_path), "--format", "json", "--fail-on", "never")
    paths = sorted(Path(f["path"]).name for f in json.loads(out.stdout)["files"])
    assert paths == ["a.md", "b.html", "c.txt"]


def test_bad_inputs_are_one_line_errors_and_other_files_still_reported(cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Dry needling relieves neck pain.\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03binary")
    bad_utf8 = tmp_path / "latin1.txt"
    bad_utf8.write_bytes("caf\xe9 cures".encode("latin-1"))
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    missing = tmp_path / "missing.txt"
    out = cli(
        "check", str(good), str(binary), str(bad_utf8), str(empty), str(empty_dir), str(missing), "--format", "json"
    )
    assert out.returncode == 2
    err = out.stderr.decode()
    assert "Traceback" not in err
    err_lines = err.strip().splitlines()
    assert len(err_lines) == 5
    for name in ("binary.txt", "latin1.txt", "empty.md", "nothing", "missing.txt"):
        assert any(name in line for line in err_lines), name
    report = json.loads(out.stdout)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    assert by_name["good.txt"]["error"] is None and by_name["good.txt"]["findings"]
    assert "binary" in by_name["binary.txt"]["error"]
    assert "UTF-8" in by_name["latin1.txt"]["error"]
    assert by_name["empty.md"]["findings"] == []


def test_broken_evidence_yaml_is_a_one_line_error(cli, tmp_path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "broken.yaml").write_text("intervention: dry_needling\nentries:\n  - id: [unclosed\n", encoding="utf-8")
    out = cli("check", EXAMPLE, "--evidence", str(folder))
    assert out.returncode == 2
    err = out.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "broken.yaml:" in err and "Traceback" not in err


def test_unknown_option_is_a_usage_error(cli):
    out = cli("check", EXAMPLE, "--no-such-option")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr.decode()


def test_explain_prints_entry_with_links(cli):
    out = cli("explain", "dn.pain.neck.short_term")
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "https://pubmed.ncbi.nlm.nih.gov/28158962/" in text
    assert "verdict: supported" in text
    missing = cli("explain", "dn.no.such.entry")
    assert missing.returncode == 2 and "no evidence entry" in missing.stderr.decode()


def test_output_file_is_written(cli, tmp_path):
    target = tmp_path / "report.json"
    out = cli("check", EXAMPLE, "--format", "json", "-o", str(target), "--fail-on", "never")
    assert out.returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 2
    assert list(tmp_path.iterdir()) == [target]
