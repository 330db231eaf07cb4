"""Exceptions that the command line catches before anything heavy is imported.

``ModelError`` and ``CorpusError`` live here rather than in ``claimcheck.detect.classifier`` and
``claimcheck.training.corpus`` so that catching them imports neither numpy nor the rules: a run
answered from the cache never loads the model.
"""

from __future__ import annotations


class ModelError(Exception):
    """A model that is missing, tampered with or does not match this claimcheck."""


class CorpusError(Exception):
    """A corpus line that breaks the schema; the message names file and line."""


class SchedulerError(Exception):
    """--scheduler cannot be used: no Dask, a bad address, a worker that differs (one line)."""


class MissingExtra(Exception):
    """A command needs an optional dependency that is not installed; the message says what
    to install."""
