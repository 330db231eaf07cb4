"""The linter workflow through the real command line: formats, rule docs, configuration,
suppressions, baseline, --diff-base, --jobs, the cache, the progress bar and URLs."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO
from conftest import run_cli as claimcheck

from claimcheck.report import FORMATS

EXAMPLE = REPO / "examples" / "clinic-page.md"
CLAIMS = (
    "# Our treatments\n\n"
    "Cupping therapy cures arthritis for good.\n\n"
    "Acupuncture is completely safe with no side effects.\n\n"
    "Book your first session online today.\n"
)
NO_CLAIMS = "# Opening hours\n\nWe are open from nine until five on weekdays. Parking is behind the building.\n"


def findings_of(out: subprocess.CompletedProcess) -> list[dict]:
    assert out.returncode in (0, 1), out.stderr.decode()
    return [f for file in json.loads(out.stdout)["files"] for f in file["findings"]]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_on_a_page_with_claims_and_on_one_without(fmt, tmp_path):
    empty = write(tmp_path / "hours.md", NO_CLAIMS)
    with_claims = claimcheck("check", str(EXAMPLE), "-f", fmt, "--no-cache")
    without = claimcheck("check", str(empty), "-f", fmt, "--no-cache")
    assert with_claims.returncode == 1, with_claims.stderr.decode()
    assert without.returncode == 0, without.stderr.decode()
    assert with_claims.stderr == b"" and without.stderr == b""
    page, nothing = with_claims.stdout.decode(), without.stdout.decode()
    assert "clinically proven" in page
    assert "clinically proven" not in nothing
    if fmt in ("json", "sarif"):
        json.loads(page), json.loads(nothing)
    if fmt == "html":
        assert page.startswith("<!DOCTYPE html>") and nothing.startswith("<!DOCTYPE html>")
    if fmt == "concise":
        assert nothing == ""
    if fmt == "github":
        assert page.startswith("::error file=") and nothing == ""


def test_output_file_and_github_step_summary(tmp_path):
    summary = tmp_path / "summary.md"
    out = claimcheck(
        "check", str(EXAMPLE), "-f", "github", "-o", str(tmp_path / "annotations.txt"), "--no-cache",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert out.returncode == 1 and out.stdout == b""
    assert (tmp_path / "annotations.txt").read_text().startswith("::error ")
    assert "| Verdict |" in summary.read_text() and "unsupported" in summary.read_text()


def test_default_format_is_text_when_not_a_terminal(tmp_path):
    out = claimcheck("check", str(EXAMPLE), "--no-cache")
    assert "claim finding(s) in 1 file(s)" in out.stdout.decode().splitlines()[-1]
    assert "\x1b[" not in out.stdout.decode()


def test_rule_command_prints_the_doc_page():
    out = claimcheck("rule", "cc103")
    text = out.stdout.decode()
    assert out.returncode == 0
    for heading in ("# CC103", "## What it flags", "## Why it matters", "## Example", "## References"):
        assert heading in text
    listing = claimcheck("rule").stdout.decode()
    assert all(code in listing for code in ("CC101", "CC201", "CC301", "CC401", "CC901"))
    unknown = claimcheck("rule", "CC999")
    assert unknown.returncode == 2 and unknown.stderr.decode().count("\n") == 1 and "CC999" in unknown.stderr.decode()


# -- configuration -------------------------------------------------------------------------


def test_config_file_selects_rules_and_sets_fail_on(tmp_path):
    write(tmp_path / "claimcheck.toml", 'ignore = ["CC3"]\nfail-on = "never"\nformat = "json"\n')
    page = write(tmp_path / "content" / "page.md", CLAIMS)
    out = claimcheck("check", str(page), "--no-cache", cwd=tmp_path)
    rules = {f["rule"] for f in findings_of(out)}
    assert out.returncode == 0  # fail-on = never, from the file
    assert rules and not any(r.startswith("CC3") for r in rules)
    # the command line beats the file
    out = claimcheck("check", str(page), "--no-cache", "--fail-on", "unsupported", "--ignore", "CC1", cwd=tmp_path)
    rules = {f["rule"] for f in findings_of(out)}
    assert (
        out.returncode == 1 and not any(r.startswith("CC1") for r in rules) and any(r.startswith("CC3") for r in rules)
    )
    shown = claimcheck("config", str(page), cwd=tmp_path).stdout.decode()
    assert 'ignore = ["CC3"]  (from claimcheck.toml:ignore)' in shown
    assert "min-confidence = 0.0  (from default)" in shown


def test_closest_config_wins_and_per_file_ignores_and_excludes(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.claimcheck]\nformat = "json"\nexclude = ["drafts"]\n'
          'per-file-ignores = { "site/legacy/*.md" = ["CC1"] }\n')  # fmt: skip
    write(tmp_path / "site" / "a.md", CLAIMS)
    write(tmp_path / "site" / "drafts" / "b.md", CLAIMS)
    write(tmp_path / "site" / "legacy" / "c.md", CLAIMS)
    write(tmp_path / "site" / "blog" / "claimcheck.toml", 'select = ["CC3"]\nformat = "json"\n')
    write(tmp_path / "site" / "blog" / "d.md", CLAIMS)
    out = claimcheck("check", "site", "--no-cache", cwd=tmp_path)
    by_file: dict[str, set[str]] = {}
    for file in json.loads(out.stdout)["files"]:
        by_file[Path(file["path"]).as_posix()] = {f["rule"][:3] for f in file["findings"]}
    assert set(by_file) == {"site/a.md", "site/legacy/c.md", "site/blog/d.md"}
    assert by_file["site/a.md"] == {"CC1", "CC3"}
    assert "CC1" not in by_file["site/legacy/c.md"] and "CC3" in by_file["site/legacy/c.md"]
    assert by_file["site/blog/d.md"] == {"CC3"}


def test_unknown_config_key_is_a_one_line_error_naming_file_and_key(tmp_path):
    write(tmp_path / "claimcheck.toml", 'fail_on = "mixed"\nshout = true\n')
    page = write(tmp_path / "page.md", CLAIMS)
    out = claimcheck("check", str(page), cwd=tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 2 and err.count("\n") == 1 and "claimcheck.toml" in err and "shout" in err


# -- suppressions --------------------------------------------------------------------------


def test_suppression_comments_through_the_cli(tmp_path):
    page = write(
        tmp_path / "page.md",
        "<!-- claimcheck-disable-next-line CC101 -- reviewed with the clinic lead, 2026-11 -->\n"
        "Cupping therapy cures arthritis for good.\n\n"
        "<!-- claimcheck-disable-next-line CC301 -->\n"
        "Acupuncture is completely safe with no side effects.\n\n"
        "<!-- claimcheck-disable-next-line CC401 -- nothing to suppress here -->\n"
        "Book your first session online today.\n",
    )
    out = claimcheck("check", str(page), "-f", "json", "--no-cache")
    data = json.loads(out.stdout)
    rules = [f["rule"] for f in data["files"][0]["findings"]]
    notices = {n["rule"]: (n["line"], n["column"]) for n in data["files"][0]["notices"]}
    assert "CC101" not in rules  # suppressed with a reason
    assert "CC301" not in rules  # suppressed, but the missing reason is reported
    assert notices["CC902"] == (4, 1) and notices["CC903"] == (7, 1)
    concise = claimcheck("check", str(page), "-f", "concise", "--no-cache").stdout.decode()
    assert f"{page}:4:1: CC902 [notice] claimcheck-disable-next-line CC301: suppression without a reason" in concise
    sarif = json.loads(claimcheck("check", str(page), "-f", "sarif", "--no-cache").stdout)
    regions = {r["ruleId"]: r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]}
    assert regions["CC902"] == {"startLine": 4, "startColumn": 1}
    assert regions["CC903"] == {"startLine": 7, "startColumn": 1}


# -- baseline ------------------------------------------------------------------------------


def test_baseline_reports_only_new_findings(tmp_path):
    page = write(tmp_path / "page.md", CLAIMS)
    wrote = claimcheck("baseline", "write", "baseline.json", "page.md", "--no-cache", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr.decode()
    baseline = json.loads((tmp_path / "baseline.json").read_text())
    assert baseline["version"] == 2 and baseline["generator"].startswith("claimcheck ")
    # Readable: each entry names the path, line, rule and claim beside its fingerprint.
    first = baseline["findings"][0]
    assert first["path"] == "page.md" and first["line"] >= 1 and first["rule"].startswith("CC")
    assert first["text"] in CLAIMS.replace("\n", " ") and len(first["fingerprint"]) == 64
    same = claimcheck("check", "page.md", "-f", "json", "--baseline", "baseline.json", "--no-cache", cwd=tmp_path)
    assert same.returncode == 0 and findings_of(same) == []
    assert "matched" in same.stderr.decode()
    # lines move and a new claim arrives: only the new one is reported
    page.write_text("# New intro\n\nDry needling flushes toxins out of the muscle.\n\n" + CLAIMS, encoding="utf-8")
    new = claimcheck("check", "page.md", "-f", "json", "--baseline", "baseline.json", "--no-cache", cwd=tmp_path)
    texts = {f["text"] for f in findings_of(new)}
    assert new.returncode == 1 and texts == {"Dry needling flushes toxins out of the muscle."}


# -- changed lines -------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})  # fmt: skip


def test_diff_base_checks_changed_files_and_lines_only(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    write(tmp_path / "changed.md", CLAIMS)
    write(tmp_path / "untouched.md", CLAIMS)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "content")
    (tmp_path / "changed.md").write_text(
        CLAIMS + "\nDry needling flushes toxins out of the muscle.\n", encoding="utf-8"
    )
    out = claimcheck("check", ".", "-f", "json", "--diff-base", "HEAD", "--no-cache", cwd=tmp_path)
    data = json.loads(out.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["changed.md"]
    lines = {f["line"] for f in data["files"][0]["findings"]}
    assert lines == {9}
    bad = claimcheck("check", ".", "--diff-base", "no-such-ref", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.decode().count("\n") == 1 and "no-such-ref" in bad.stderr.decode()


# -- jobs, cache and progress --------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> Path:
    for i in range(6):
        write(tmp_path / "site" / f"page{i}.md", CLAIMS if i % 2 else NO_CLAIMS + CLAIMS.replace("arthritis", "gout"))
    return tmp_path / "site"


def test_jobs_output_is_identical_to_a_serial_run(site, tmp_path):
    serial = claimcheck("check", str(site), "-f", "json", "--no-cache", "--jobs", "1")
    parallel = claimcheck("check", str(site), "-f", "json", "--no-cache", "--jobs", "3")
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout and len(json.loads(serial.stdout)["files"]) == 6


def test_automatic_jobs_on_a_large_run_match_a_serial_run(tmp_path):
    """The default --jobs 0 uses worker processes for a large run (forked with the pipeline
    already built); the report must be byte-identical to --jobs 1."""
    from claimcheck.project.parallel import AUTO_MIN_BYTES, AUTO_MIN_FILES, auto_jobs

    big = tmp_path / "big"
    big.mkdir()
    filler = "Our reception team will help you book a first appointment that suits you. " * 150
    for i in range(AUTO_MIN_FILES + 5):
        (big / f"p{i:02d}.md").write_text(f"# Page {i}\n\n{CLAIMS}\n\n{filler}\n", encoding="utf-8")
    items = [type("Item", (), {"path": str(p)})() for p in sorted(big.iterdir())]
    assert sum(os.stat(i.path).st_size for i in items) >= AUTO_MIN_BYTES
    assert auto_jobs(items[: AUTO_MIN_FILES - 1]) == 1  # too few files: one process
    serial = claimcheck("check", str(big), "-f", "json", "--no-cache", "--jobs", "1")
    automatic = claimcheck("check", str(big), "-f", "json", "--no-cache")
    assert serial.returncode == automatic.returncode == 1
    assert serial.stdout == automatic.stdout and len(json.loads(serial.stdout)["files"]) == AUTO_MIN_FILES + 5


def test_cache_is_reused_and_keyed_by_content(site, tmp_path):
    cache = tmp_path / "cache"
    first = claimcheck("check", str(site), "-f", "json", "--cache-dir", str(cache))
    entries = sorted(p.name for p in cache.glob("*.json"))
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(entries) == 2  # six files, two distinct contents
    second = claimcheck("check", str(site), "-f", "json", "--cache-dir", str(cache))
    assert second.stdout == first.stdout
    assert sorted(p.name for p in cache.glob("*.json")) == entries
    (site / "page0.md").write_text(CLAIMS + "\nIt also boosts your immune system.\n", encoding="utf-8")
    claimcheck("check", str(site), "-f", "json", "--cache-dir", str(cache))
    assert len(list(cache.glob("*.json"))) == 3
    none = tmp_path / "unused"
    claimcheck("check", str(site), "-f", "json", "--cache-dir", str(none), "--no-cache")
    assert not none.exists()


def _run_with_terminal_stderr(*args: str) -> str:
    """Run the CLI with standard error on a pseudo-terminal; return what it drew there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=follower
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.communicate(timeout=300)
    os.close(leader)
    return seen.decode(errors="replace")


def test_progress_bar_only_on_a_terminal_and_never_in_machine_formats(site):
    drawn = _run_with_terminal_stderr("check", str(site), "--no-cache", "-f", "text")
    assert "checking" in drawn
    assert "checking" not in _run_with_terminal_stderr("check", str(site), "--no-cache", "-f", "json")
    assert "checking" not in _run_with_terminal_stderr("check", str(site), "--no-cache", "--no-progress")
    piped = claimcheck("check", str(site), "--no-cache", "-f", "text")
    assert b"checking" not in piped.stderr


# -- URLs ----------------------------------------------------------------------------------

PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Clinic</title></head>\n<body>\n"
    "<nav><a href='/'>Home</a></nav>\n<main>\n<h1>Cupping</h1>\n"
    "<p>Cupping therapy cures arthritis for good.</p>\n</main>\n</body></html>\n"
)


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/cupping.html":
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_is_fetched_and_located_in_the_html(server, tmp_path):
    local = write(tmp_path / "local.md", CLAIMS)
    url = f"{server}/cupping.html"
    out = claimcheck("check", url, f"{server}/missing.html", str(local), "-f", "json", "--no-cache")
    assert out.returncode == 2
    err = out.stderr.decode()
    assert err.count("\n") == 1 and "missing.html" in err and "404" in err
    files = {f["path"]: f for f in json.loads(out.stdout)["files"]}
    assert files[str(local)]["findings"]  # the other inputs are still reported
    (finding,) = [f for f in files[url]["findings"] if f["rule"].startswith("CC1")]
    assert finding["line"] == PAGE.splitlines().index("<p>Cupping therapy cures arthritis for good.</p>") + 1
    assert finding["verdict"] == "unsupported"


# -- the documented GitHub Actions workflow ------------------------------------------------


def test_documented_github_workflow_commands_run(tmp_path):
    """Every `claimcheck` step of docs/github-actions.md, run in a repository like a pull request's."""
    import re

    import yaml

    doc = (REPO / "docs" / "github-actions.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(re.search(r"```yaml\n(.*?)```", doc, re.S).group(1))
    steps = [s for s in workflow["jobs"]["claims"]["steps"] if "claimcheck check" in s.get("run", "")]
    assert steps, "the workflow has no claimcheck step"
    repo = tmp_path / "site"
    _git(tmp_path, "init", "-q", "-b", "main", str(repo))
    write(repo / "content" / "old.md", NO_CLAIMS)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "checkout", "-q", "-b", "feature")
    write(repo / "content" / "new.md", CLAIMS)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "new page")
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "CONTENT": "content/",
        "BASE": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    codes = {}
    for step in steps:
        out = subprocess.run(["bash", "-c", step["run"]], cwd=repo, env=env, capture_output=True, timeout=300)
        assert out.returncode in (0, 1), (step["name"], out.stderr.decode())
        codes[step["name"]] = (out.returncode, out.stdout.decode())
    gate_code, annotations = codes["Check changed content"]
    assert gate_code == 1 and annotations.startswith("::error file=content/new.md,line=3")
    assert "content/new.md" in summary.read_text(encoding="utf-8")
    sarif = json.loads((repo / "claimcheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
