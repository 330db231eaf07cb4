"""Report files and what is shown, through the real command line: files written with the
user's umask, -o saying what it wrote, claimcheck's own reports never checked as pages,
--min-verdict (and its config key) hiding supported findings outside json and html, and the
notice codes documented by `claimcheck rule`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = (
    "# Dry needling\n\n"
    "Dry needling is clinically proven to cure migraines and fibromyalgia.\n\n"
    "Dry needling can reduce neck pain in the short term compared with sham needling.\n"
)


def claimcheck(*args: str, cwd: Path, umask: int | None = None) -> subprocess.CompletedProcess:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        capture_output=True,
        cwd=cwd,
        timeout=300,
        preexec_fn=set_umask,  # only the umask, before exec
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "page.md").write_text(PAGE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_reports_and_baselines_follow_the_umask(site, umask, mode):
    out = claimcheck("check", "content", "-f", "json", "-o", "report.json", "--no-cache", cwd=site, umask=umask)
    assert out.returncode == 1, out.stderr.decode()
    assert stat.S_IMODE((site / "report.json").stat().st_mode) == mode
    out = claimcheck("baseline", "write", "baseline.json", "content", "--no-cache", cwd=site, umask=umask)
    assert out.returncode == 0, out.stderr.decode()
    assert stat.S_IMODE((site / "baseline.json").stat().st_mode) == mode


def test_an_existing_report_keeps_its_mode(site):
    target = site / "report.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    claimcheck("check", "content", "-f", "html", "-o", "report.html", "--no-cache", cwd=site, umask=0o022)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text().startswith("<!DOCTYPE html>")


def test_output_option_says_in_one_line_what_it_wrote(site):
    out = claimcheck("check", "content", "-f", "html", "-o", "review.html", "--no-cache", cwd=site)
    assert out.stdout == b""
    err = out.stderr.decode()
    assert err.count("\n") == 1
    assert err.startswith("claimcheck: wrote review.html (html report: ") and "claim finding(s) in 1 file(s)" in err


@pytest.mark.parametrize("fmt", ["html", "markdown", "text", "concise", "full", "github"])
def test_own_reports_are_never_checked(site, fmt):
    name = {"html": "review.html", "markdown": "review.md"}.get(fmt, "review.txt")
    first = claimcheck("check", "content", "-f", fmt, "-o", name, "--no-cache", cwd=site)
    assert first.returncode == 1 and (site / name).is_file()
    # The report holds the claims, yet a later run of the folder does not read it ...
    again = claimcheck("check", ".", "-f", "json", "--no-cache", cwd=site)
    files = [Path(f["path"]).name for f in json.loads(again.stdout)["files"]]
    assert files == ["page.md"], files
    # ... and naming it says why it is left out.
    named = claimcheck("check", name, "-f", "json", "--no-cache", cwd=site)
    assert json.loads(named.stdout)["files"] == []
    assert f"claimcheck: skipped {name}: a report or baseline written by claimcheck" in named.stderr.decode()


def test_the_output_file_of_this_run_is_not_an_input(site):
    # A page never becomes its own report: an -o target that holds page copy (not a report
    # claimcheck wrote) is an input, so the run is refused and the page left as it was.
    notes = site / "content" / "notes.txt"
    notes.write_text("Dry needling cures back pain.\n", encoding="utf-8")
    out = claimcheck("check", "content", "-f", "json", "-o", "content/notes.txt", "--no-cache", cwd=site)
    assert out.returncode == 2 and "is also an input" in out.stderr.decode()
    assert notes.read_text(encoding="utf-8") == "Dry needling cures back pain.\n"
    # A report claimcheck wrote there before is left out instead, and replaced.
    notes.unlink()
    first = claimcheck("check", "content", "-f", "text", "-o", "content/notes.txt", "--no-cache", cwd=site)
    assert first.returncode == 1
    again = claimcheck("check", "content", "-f", "text", "-o", "content/notes.txt", "--no-cache", cwd=site)
    assert again.returncode == 1, again.stderr
    assert "page.md" in notes.read_text(encoding="utf-8") and "notes.txt" not in notes.read_text(encoding="utf-8")


def test_min_verdict_hides_supported_in_terminal_formats_only(site):
    concise = claimcheck("check", "content", "-f", "concise", "--no-cache", cwd=site).stdout.decode()
    assert "[unsupported]" in concise and "[supported]" not in concise
    every = claimcheck("check", "content", "-f", "concise", "--min-verdict", "supported", "--no-cache", cwd=site)
    assert "[supported]" in every.stdout.decode()
    text = claimcheck("check", "content", "--no-cache", cwd=site).stdout.decode().splitlines()[-1]
    assert "supported not listed: --min-verdict supported lists every finding" in text
    github = claimcheck("check", "content", "-f", "github", "--no-cache", cwd=site).stdout.decode()
    assert "::notice file=" not in github and "::error file=" in github
    data = json.loads(claimcheck("check", "content", "-f", "json", "--no-cache", cwd=site).stdout)
    assert {f["verdict"] for f in data["files"][0]["findings"]} == {"supported", "unsupported"}
    html = claimcheck("check", "content", "-f", "html", "--no-cache", cwd=site).stdout.decode()
    assert 'data-verdict="supported"' in html
    # The config key does the same, and the command line beats it.
    (site / "claimcheck.toml").write_text('min-verdict = "supported"\n', encoding="utf-8")
    assert "[supported]" in claimcheck("check", "content", "-f", "concise", "--no-cache", cwd=site).stdout.decode()
    only = claimcheck("check", "content", "-f", "concise", "--min-verdict", "unsupported", "--no-cache", cwd=site)
    assert "[mixed]" not in only.stdout.decode() and "[supported]" not in only.stdout.decode()
    # Exit codes still follow --fail-on over every finding.
    assert claimcheck("check", "content", "--fail-on", "any", "--min-verdict", "unsupported", cwd=site).returncode == 1


@pytest.mark.parametrize("code", ["CC902", "CC903", "CC904"])
def test_notice_codes_are_documented(site, code):
    out = claimcheck("rule", code.lower(), cwd=site)
    assert out.returncode == 0 and out.stdout.decode().startswith(f"# {code} ")
    assert code in claimcheck("rule", cwd=site).stdout.decode()
