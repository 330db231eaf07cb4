"""claimcheck: a linter for health claims in marketing copy, with evidence-backed verdicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimcheck.core.version import __version__

__all__ = ["Checker", "__version__"]

if TYPE_CHECKING:
    from claimcheck.pipeline.checker import Checker


def __getattr__(name: str):
    # Import the pipeline (and so spaCy) only when it is used: `claimcheck --version` stays fast.
    if name == "Checker":
        from claimcheck.pipeline.checker import Checker

        return Checker
    raise AttributeError(name)
