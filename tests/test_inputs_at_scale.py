"""Inputs at scale, on one machine: @FILE lists, JSON Lines crawl records, the JSON Lines
report, and what --scheduler says when Dask is not installed. Real CLI runs in subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli as claimcheck

CLAIMS = (
    "# Our treatments\n\n"
    "Cupping therapy cures arthritis for good.\n\n"
    "Acupuncture is completely safe with no side effects.\n\n"
    "Book your first session online today.\n"
)
HTML = (
    "<html><head><title>Cupping</title></head><body><nav>Home</nav><h1>Cupping</h1>"
    "<p>Cupping therapy cures arthritis for good.</p></body></html>"
)


def write_records(path: Path, rows: list) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def crawl(tmp_path: Path) -> Path:
    return write_records(
        tmp_path / "crawl.jsonl",
        [
            {"id": "clinic-1/cupping", "url": "https://clinic-1.example/cupping", "format": "html", "text": HTML},
            {"id": 42, "url": "https://clinic-2.example/", "format": "markdown", "text": CLAIMS},
            {"id": "empty", "url": "https://clinic-3.example/", "text": "   "},
            "{not json",
            "",
            {"id": "no-text", "url": "https://clinic-4.example/"},
            {"text": "Cupping cures everything."},
            {"id": "pdf", "format": "pdf", "text": "x"},
            {"id": "plain", "text": "Acupuncture is completely safe with no side effects."},
        ],
    )


def test_crawl_records_are_reported_by_id_and_url_and_bad_lines_are_errors_of_their_own(tmp_path):
    crawl(tmp_path)
    out = claimcheck("check", "crawl.jsonl", "-f", "json", "--no-cache", cwd=tmp_path)
    assert out.returncode == 2
    files = json.loads(out.stdout)["files"]
    assert [f["path"] for f in files] == [
        "clinic-1/cupping", "42", "empty", "crawl.jsonl:4", "no-text", "crawl.jsonl:7", "pdf", "plain",
    ]  # fmt: skip
    by_id = {f["path"]: f for f in files}
    page = by_id["clinic-1/cupping"]
    assert page["url"] == "https://clinic-1.example/cupping" and page["error"] is None
    finding = page["findings"][0]
    assert HTML[finding["start"] : finding["end"]] == "Cupping therapy cures arthritis for good."
    assert finding["verdict"] == "unsupported"
    assert {f["claim_type"] for f in by_id["42"]["findings"]} >= {"efficacy", "safety"}
    assert by_id["plain"]["findings"] and "url" not in by_id["plain"]  # no URL given: none reported
    errors = {f["path"]: f["error"] for f in files if f["error"]}
    assert errors == {
        "empty": "crawl.jsonl:3: record empty: text is empty",
        "crawl.jsonl:4": errors["crawl.jsonl:4"],
        "no-text": 'crawl.jsonl:6: record no-text: "text" is missing',
        "crawl.jsonl:7": 'crawl.jsonl:7: record has no "id" (a string or a number)',
        "pdf": "crawl.jsonl:8: record pdf: \"format\" must be one of text, markdown, html (got 'pdf')",
    }
    assert errors["crawl.jsonl:4"].startswith("crawl.jsonl:4: invalid JSON (")
    assert by_id["empty"]["url"] == "https://clinic-3.example/"  # an error still names its page's URL
    # One line on standard error per bad record, each naming file and line.
    lines = out.stderr.decode().splitlines()
    assert len(lines) == 5 and all(line.startswith("claimcheck: error: crawl.jsonl:") for line in lines)
    # The other formats name the record by its id.
    concise = claimcheck("check", "crawl.jsonl", "-f", "concise", "--no-cache", cwd=tmp_path).stdout.decode()
    assert "clinic-1/cupping:1:" in concise and "\n42:3:1: " in concise


def test_crawl_records_through_worker_processes_match_a_serial_run(tmp_path):
    rows = [
        {"id": f"page-{i}", "url": f"https://a.example/{i}", "format": "markdown", "text": f"{CLAIMS}\nPage {i}.\n"}
        for i in range(30)
    ]
    records = write_records(tmp_path / "pages.ndjson", rows)
    serial = claimcheck("check", str(records), "-f", "json", "--no-cache", "--jobs", "1")
    parallel = claimcheck("check", str(records), "-f", "json", "--no-cache", "--jobs", "2")
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert [f["path"] for f in json.loads(serial.stdout)["files"]] == [f"page-{i}" for i in range(30)]


def test_a_list_file_names_inputs_one_a_line(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.md").write_text(CLAIMS, encoding="utf-8")
    (tmp_path / "site" / "b.txt").write_text("Acupuncture is completely safe with no side effects.\n", encoding="utf-8")
    crawl(tmp_path)
    listing = tmp_path / "inputs.txt"
    listing.write_text("# pages to check\nsite/a.md\n\n  site  \ncrawl.jsonl\nmissing.md\n", encoding="utf-8")
    out = claimcheck("check", "@inputs.txt", "-f", "json", "--no-cache", cwd=tmp_path)
    paths = [f["path"] for f in json.loads(out.stdout)["files"]]
    assert paths[:3] == ["site/a.md", "site/a.md", "site/b.txt"]
    assert paths[3] == "clinic-1/cupping" and paths[-1] == "missing.md"
    assert out.returncode == 2 and "missing.md: no such file or directory" in out.stderr.decode()
    # The same list from standard input.
    piped = claimcheck("check", "@-", "-f", "json", "--no-cache", cwd=tmp_path, stdin=listing.read_bytes())
    assert piped.stdout == out.stdout
    # A list that cannot be read is a one-line error naming it; the other inputs are still reported.
    bad = claimcheck("check", "@nope.txt", "site/a.md", "-f", "json", "--no-cache", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.decode() == "claimcheck: error: nope.txt: no such file or directory (list of inputs)\n"
    assert [f["path"] for f in json.loads(bad.stdout)["files"]] == ["@nope.txt", "site/a.md"]


def test_jsonl_report_is_one_line_per_input_as_in_the_json_report(tmp_path):
    records = crawl(tmp_path)
    page = tmp_path / "page.md"
    page.write_text(CLAIMS, encoding="utf-8")
    as_json = claimcheck("check", str(page), str(records), "-f", "json", "--no-cache", cwd=tmp_path)
    as_jsonl = claimcheck("check", str(page), str(records), "-f", "jsonl", "--no-cache", cwd=tmp_path)
    assert as_json.returncode == as_jsonl.returncode == 2
    assert as_jsonl.stderr == as_json.stderr
    lines = as_jsonl.stdout.decode().splitlines()
    assert [json.loads(line) for line in lines] == json.loads(as_json.stdout)["files"]


def test_scheduler_without_dask_says_what_to_install(tmp_path):
    """Dask is an extra: without it --scheduler is one line naming the extra, exit 2."""
    shadow = tmp_path / "shadow"
    for name in ("dask", "distributed"):
        (shadow / name).mkdir(parents=True)
        (shadow / name / "__init__.py").write_text(f"raise ImportError('no module named {name}')\n")
    page = tmp_path / "page.md"
    page.write_text(CLAIMS, encoding="utf-8")
    out = claimcheck("check", str(page), "--scheduler", "local:2", env={"PYTHONPATH": str(shadow)})
    assert out.returncode == 2 and out.stdout == b""
    assert out.stderr.decode() == (
        'claimcheck: error: --scheduler needs Dask, which is not installed: pip install "claimcheck[dask]"\n'
    )
    # The core never needs it.
    plain = claimcheck("check", str(page), "-f", "concise", "--no-cache", env={"PYTHONPATH": str(shadow)})
    assert plain.returncode == 1 and b"CC1" in plain.stdout


def test_bad_scheduler_values_are_one_line_errors(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(CLAIMS, encoding="utf-8")
    for args, expect in (
        (("--scheduler", "local:0"), "local needs at least 1 worker"),
        (("--scheduler", "not an address"), "expected a Dask scheduler address"),
        (("--scheduler", "local:2", "--jobs", "2"), "--jobs and --scheduler"),
    ):
        out = claimcheck("check", str(page), *args)
        err = out.stderr.decode()
        assert out.returncode == 2 and err.count("\n") == 1 and expect in err, err
