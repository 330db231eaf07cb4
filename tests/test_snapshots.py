"""Snapshots of every report format, on the five seed articles and on a page with no claims.

Each format is rendered as the command line renders it (the same --min-verdict view) and
compared with a stored copy in tests/data/snapshots/: the no-claims page as plain text, the
seeds compressed with xz (several megabytes of output). A difference fails with the first
lines of a unified diff.

The output follows detection, the rubric and the evidence, so a change there changes the
snapshots on purpose: look at the diff, then rewrite them with

    CLAIMCHECK_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py

The date is fixed (stale-evidence notices depend on it) and the version is written as
<version>, so neither time nor a release moves a snapshot.
"""

from __future__ import annotations

import datetime as dt
import difflib
import lzma
import os
from pathlib import Path

import pytest
from conftest import REPO, SHARED

from claimcheck import __version__
from claimcheck.core.records import Report
from claimcheck.report import FORMATS, render, shown

SNAPSHOTS = REPO / "tests" / "data" / "snapshots"
UPDATE = os.environ.get("CLAIMCHECK_UPDATE_SNAPSHOTS") == "1"
TODAY = dt.date(2025, 6, 1)
NO_CLAIMS = "# Opening hours\n\nWe are open from nine until five on weekdays.\n\n- Parking behind the building\n"


@pytest.fixture(scope="module")
def dated_checker():
    from claimcheck import Checker

    return Checker(today=TODAY)


@pytest.fixture(scope="module")
def seeds(dated_checker) -> Report:
    files = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not files:
        pytest.skip("../shared/seeds is not present")
    return Report(
        files=[dated_checker.check_text(f.read_text(encoding="utf-8"), f"seeds/{f.name}", "text") for f in files]
    )


@pytest.fixture(scope="module")
def no_claims(dated_checker) -> Report:
    report = Report(files=[dated_checker.check_text(NO_CLAIMS, "hours.md", "markdown")])
    assert not report.findings
    return report


def _compare(text: str, path: Path) -> None:
    text = text.replace(__version__, "<version>")
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(lzma.compress(data, preset=9) if path.suffix == ".xz" else data)
        return
    assert path.is_file(), f"no snapshot {path.name}: run CLAIMCHECK_UPDATE_SNAPSHOTS=1 pytest {Path(__file__).name}"
    raw = path.read_bytes()
    expected = (lzma.decompress(raw) if path.suffix == ".xz" else raw).decode("utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), "snapshot", "now", lineterm="", n=1)
        shown_diff = "\n".join(line[:300] for line in list(diff)[:60])
        pytest.fail(f"{path.name} differs from the snapshot:\n{shown_diff}", pytrace=False)


@pytest.mark.parametrize("fmt", FORMATS)
def test_seeds_snapshot(seeds, fmt):
    _compare(render(shown(seeds, fmt), fmt), SNAPSHOTS / f"seeds.{fmt}.xz")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_claims_snapshot(no_claims, fmt):
    _compare(render(shown(no_claims, fmt), fmt), SNAPSHOTS / f"no-claims.{fmt}")
