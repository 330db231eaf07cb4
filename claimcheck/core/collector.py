"""Process-level garbage-collector settings, for the processes claimcheck owns.

Why a module of its own: these settings belong to a process, not to a run. The command line
(``claimcheck.cli.app.main``), the ``--jobs`` worker processes and the ``local:N`` Dask
workers apply them where the process starts; the Python API never does, since its caller
owns the process and may run many checks in it.

- ``tune``: a run makes many short-lived objects (spaCy docs, spans) while its results
  accumulate; collecting the youngest generation every 50,000 allocations instead of 700
  spends far less time in the collector for the same memory.
- ``freeze_once``: once the pipelines are built, everything built so far (spaCy's tables,
  the lexicon, the model's vocabularies: millions of objects) leaves the collector's sight:
  it stops rescanning them while results pile up, and forked workers stop copying their
  memory pages by touching them. Once per process: a second freeze would also pin whatever
  garbage had built up since.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)
_FROZEN: list[bool] = []  # one entry once this process has frozen


def tune() -> None:
    """Collect the youngest generation every 50,000 allocations (see the module doc)."""
    gc.set_threshold(*THRESHOLDS)


def freeze_once() -> bool:
    """Move every object tracked so far to the permanent generation, the first time only;
    True when this call froze."""
    if _FROZEN:
        return False
    gc.freeze()
    _FROZEN.append(True)
    return True
