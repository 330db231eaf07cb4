"""Careful file access: atomic writes that replace only regular files, and bounded reads that
never wait on a pipe or read a device.

Why: a report, a cache entry or a baseline is written to a temporary file that is then
renamed over the target, so a reader never sees half of it. A rename replaces whatever the
name pointed at: run as root, ``-o /dev/null`` would turn the null device into a plain
file. So the target must be missing or a regular file (a symbolic link to one is followed,
as a shell's ``>`` would, and the file it points at is replaced). Reads of files that come
from elsewhere (evidence, configuration, baselines, cache entries) open without blocking,
check that they hold a regular file, and stop at a size limit: a FIFO would wait for a
writer for ever, and ``/dev/zero`` never ends.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

NOT_REGULAR = "not a regular file (a device, pipe or socket is never replaced or read)"


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would leave: an existing file keeps its
    own, a new one gets 0o666 less the umask (mkstemp's temporary file is 0o600)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


class FileRefused(OSError):
    """A path that is not a regular file, or a file over its size limit. ``strerror`` is the reason."""


def _refuse(path: str | Path, reason: str) -> FileRefused:
    return FileRefused(errno.EINVAL, reason, str(path))


def write_target(path: str | Path, follow_symlinks: bool = True) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or with ``follow_symlinks`` the
    file a symbolic link points at. FileRefused when that exists and is not a regular file."""
    path = Path(path)
    if follow_symlinks and path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        info = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return path
    except OSError:
        return path  # e.g. a missing folder: the write itself gives the error
    if stat.S_ISREG(info.st_mode) or (not follow_symlinks and stat.S_ISLNK(info.st_mode)):
        return path
    raise _refuse(path, NOT_REGULAR)


def write_atomic(path: str | Path, text: str | Iterable[str], follow_symlinks: bool = True) -> None:
    """Write to a temporary file in the same folder, then rename it over the target. ``text``
    may come in pieces (a large report is written as it is rendered). The target must be
    missing or a regular file (see ``write_target``); without ``follow_symlinks`` a symbolic
    link is replaced itself, never followed (the cache writes this way). The file ends up
    with the permissions the user's umask gives a new file (or those of the file it replaces)."""
    path = write_target(path, follow_symlinks)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent or Path(".")))
    try:
        with contextlib.suppress(OSError):
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                fh.writelines(text)
        write_target(path, follow_symlinks)  # still safe to replace: nothing swapped in meanwhile
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_regular(path: str | Path, max_bytes: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. FileRefused for anything else
    (a FIFO, a device, a socket, a folder, a file over the limit; with ``follow_symlinks``
    False, a symbolic link); other OSErrors as the system gives them. Never blocks on a FIFO
    and never reads more than ``max_bytes + 1`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise _refuse(path, "a symbolic link (not followed)") from None
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, NOT_REGULAR)
        if info.st_size > max_bytes:
            raise _refuse(path, f"too large ({info.st_size:,} bytes; the limit is {max_bytes:,})")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # grew while being read
                raise _refuse(path, f"too large (over {max_bytes:,} bytes; the limit is {max_bytes:,})")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_failure(exc: OSError) -> str:
    """Why a file could not be read, in the words every input error uses."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same existing file (hard and symbolic links included)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
