"""Exceptions that the command line catches before anything heavy is imported.

``ModelError`` lives here rather than in ``claimcheck.classifier`` so that catching it
does not import numpy: a run answered from the cache never loads the model.
"""

from __future__ import annotations


class ModelError(Exception):
    """A model that is missing, tampered with or does not match this claimcheck."""
