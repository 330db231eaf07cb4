"""Shared fixtures: one real Checker (real spaCy) per test session, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def checker():
    """The Checker as shipped: rules, evidence and the trained classifier."""
    from claimcheck import Checker

    return Checker()


@pytest.fixture(scope="session")
def rules_checker():
    """Rules and evidence alone: what the data files promise, independent of the model."""
    from claimcheck import Checker

    return Checker(use_model=False)


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or REPO,
        timeout=300,
    )


@pytest.fixture
def cli():
    return run_cli
