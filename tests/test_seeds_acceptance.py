"""The acceptance bar on the five seed articles, when ../shared is present (skipped otherwise)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import SHARED

pytestmark = pytest.mark.skipif(
    not (SHARED / "acceptance" / "score.py").is_file() or not (SHARED / "seeds").is_dir(),
    reason="../shared/acceptance and ../shared/seeds are not present",
)


def test_seeds_meet_the_acceptance_bar(cli, tmp_path):
    out = cli("check", str(SHARED / "seeds"), "--format", "json")
    assert out.returncode == 1, out.stderr  # the seeds hold unsupported claims
    report = tmp_path / "seeds.json"
    report.write_bytes(out.stdout)
    score = subprocess.run(
        [
            sys.executable,
            str(SHARED / "acceptance" / "score.py"),
            str(report),
            "--min-recall",
            "0.90",
            "--min-precision",
            "0.85",
            "--min-type-recall",
            "0.80",
            "--min-verdict-acc",
            "0.80",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert score.returncode == 0, score.stdout + score.stderr
