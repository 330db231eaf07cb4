"""Shared fixtures: one real Checker (real spaCy) per test session, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _cache_key(tmp_path_factory):
    """The cache's signing key for this test session (CLI subprocesses inherit it): tests never
    read or create the user's own key in ~/.cache."""
    import os

    previous = os.environ.get("CLAIMCHECK_CACHE_KEY")
    os.environ["CLAIMCHECK_CACHE_KEY"] = str(tmp_path_factory.mktemp("cache-key") / "cache-key")
    yield
    if previous is None:
        os.environ.pop("CLAIMCHECK_CACHE_KEY", None)
    else:
        os.environ["CLAIMCHECK_CACHE_KEY"] = previous


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


def run_cli(
    *args: str | bytes,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would. ``env``: variables to set
    on top of this process's; ``timeout``: the hang guard (never a benchmark)."""
    import os

    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or REPO,
        env={**os.environ, **env} if env else None,
        timeout=timeout,
    )


def one_line_error(out: subprocess.CompletedProcess, *names: str) -> str:
    """The run's one line of standard error, after checking it failed with exit 2, no
    traceback, and a message naming each of ``names``."""
    err = out.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert out.returncode == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for name in names:
        assert name in lines[0], err
    return lines[0]


@pytest.fixture
def cli():
    return run_cli
