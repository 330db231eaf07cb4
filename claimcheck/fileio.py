"""Atomic file writes: a reader never sees half a report, cache entry or baseline."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would leave: an existing file keeps its
    own, a new one gets 0o666 less the umask (mkstemp's temporary file is 0o600)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | Path, text: str | Iterable[str]) -> None:
    """Write to a temporary file in the same folder, then rename it over the target. ``text``
    may come in pieces (a large report is written as it is rendered). The file ends up with
    the permissions the user's umask gives a new file (or those of the file it replaces)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent or Path(".")))
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                fh.writelines(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
