"""Which inputs a run checks: one discovery for the command line, the Python API and Dask.

Why a module of its own: ``claimcheck check site/``, ``Checker().check_paths(["site/"])``
and ``claimcheck.project.distributed.check`` must agree on what ``site/`` stands for; when
each walked folders its own way, a folder of ``.mdx`` pages was checked by one and refused
by another. Every argument goes through ``discover``:

- ``-``: standard input (``read_stdin``), not inside a list file.
- ``http://`` or ``https://``: a URL, fetched when checked.
- ``@FILE``: a list of inputs, one a line, each entry read as if it were an argument (but
  never ``-`` or another list); ``@-`` reads the list from standard input
  (claimcheck.ingest.sources).
- ``*.jsonl`` / ``*.ndjson`` (not a folder): crawl records, one input per record.
- A folder: walked recursively in sorted order for files with a checked suffix
  (``CHECKED_SUFFIXES``: .txt and .text as text, .md, .markdown and .mdx as Markdown,
  .html and .htm as HTML). Names starting with ``.`` below the folder (hidden files and
  folders) are skipped; a symlink to a file is followed, one to a folder is not entered. A
  folder with nothing to check is an error naming it and the suffixes.
- A file named directly: checked whatever its suffix (as text unless the suffix says more).
- Anything else: an error, ``PATH: no such file or directory``.

The caller adds what only it knows: ``keep`` filters the files a walk finds (the command
line's include/exclude globs), ``is_own_report`` says whether a file is a report claimcheck
wrote (left out of walks; ``SKIPPED`` when named), and ``on_open`` is told of each list or
crawl file before it is read (the command line refuses one that is also its ``-o`` file).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from claimcheck.core.records import FileResult
from claimcheck.ingest.documents import MAX_BYTES, SUFFIX_FORMATS, InputError, format_for
from claimcheck.ingest.sources import Record, is_list_arg, is_records_file, read_list, read_records

CHECKED_SUFFIXES: tuple[str, ...] = tuple(SUFFIX_FORMATS)  # the suffixes a folder walk picks up


class Kind(StrEnum):
    FILE = "file"
    STDIN = "stdin"
    URL = "url"
    RECORD = "record"
    ERROR = "error"  # an input that cannot be checked: ``error`` says why
    SKIPPED = "skipped"  # a named file that is a report claimcheck wrote


@dataclass(slots=True)
class Input:
    """One thing to check, in report order. ``path``: the file as found or given, the URL,
    the record's id, or the argument an error is about. ``where``: the path whose project
    configuration applies (None: the working directory's)."""

    kind: Kind
    path: str
    error: str | None = None
    record: Record | None = None
    where: Path | None = None


Keep = Callable[[Path, Path | None], bool]  # (file found, its resolved path or None) -> check it?


def discover(
    args: Iterable[str],
    *,
    keep: Keep | None = None,
    is_own_report: Callable[[Path], bool] | None = None,
    on_open: Callable[[str], Any] | None = None,
) -> Iterator[Input]:
    """The inputs the arguments stand for, in order, lazily (a crawl is read a record at a time)."""
    for raw in args:
        yield from _resolve(raw, keep, is_own_report, on_open, listed=False)


def _resolve(
    raw: str,
    keep: Keep | None,
    is_own_report: Callable[[Path], bool] | None,
    on_open: Callable[[str], Any] | None,
    listed: bool,
) -> Iterator[Input]:
    """The inputs of one argument; ``listed``: an entry of a list file."""
    from claimcheck.ingest.fetch import is_url  # urllib and ssl only once an argument is read

    own = is_own_report or _never
    if raw == "-" and not listed:
        yield Input(Kind.STDIN, "-")
    elif is_url(raw):
        yield Input(Kind.URL, raw)
    elif is_list_arg(raw) and not listed:
        if on_open is not None and raw != "@-":
            on_open(raw[1:])
        try:
            for entry in read_list(raw[1:]):
                yield from _resolve(entry, keep, is_own_report, on_open, listed=True)
        except InputError as exc:
            yield Input(Kind.ERROR, raw, error=str(exc))
    elif is_records_file(raw) and Path(raw).is_file() and own(Path(raw)):
        yield Input(Kind.SKIPPED, raw)  # a jsonl report claimcheck wrote, not crawl records
    elif is_records_file(raw):
        if on_open is not None:
            on_open(raw)
        for record in read_records(raw):
            yield Input(Kind.RECORD, record.id, record=record, where=Path(raw))
    else:
        yield from _path(raw, keep, own)


def _path(raw: str, keep: Keep | None, own: Callable[[Path], bool]) -> Iterator[Input]:
    p = Path(raw)
    if p.is_dir():
        found = [Input(Kind.FILE, str(f), where=f) for f in walk(p, keep, own)]
        if not found:
            known = ", ".join(sorted(CHECKED_SUFFIXES))
            yield Input(Kind.ERROR, raw, error=f"{raw}: no files to check here ({known})", where=p)
        yield from found
    elif p.is_file() and own(p):
        yield Input(Kind.SKIPPED, raw)
    elif p.exists() or p.is_symlink():
        yield Input(Kind.FILE, raw, where=p)
    else:
        yield Input(Kind.ERROR, raw, error=f"{raw}: no such file or directory")


def walk(folder: Path, keep: Keep | None = None, is_own_report: Callable[[Path], bool] | None = None) -> list[Path]:
    """The files a folder stands for, sorted: checked suffixes, no hidden names below it,
    those ``keep`` accepts (given each file and, unless it is a symlink, its resolved path),
    and no report claimcheck wrote."""
    own = is_own_report or _never
    out = []
    folders: dict[Path, Path] = {}  # each folder resolved once, not each file in it
    for f in sorted(folder.rglob("*")):
        rel = f.relative_to(folder).parts
        if any(part.startswith(".") for part in rel) or not format_for(str(f)) or not f.is_file():
            continue
        if keep is not None:
            if f.is_symlink():
                resolved = None
            else:
                if f.parent not in folders:
                    folders[f.parent] = resolved_path(str(f.parent))
                resolved = folders[f.parent] / f.name
            if not keep(f, resolved):
                continue
        if not own(f):
            out.append(f)
    return out


def resolved_path(path: str) -> Path:
    """The absolute path with links resolved; as given, made absolute, for a symlink loop."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))


def read_stdin() -> bytes | FileResult:
    """Standard input, capped like a file (never read whole): its bytes, or an error result."""
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES:,}"
        return FileResult(path="<stdin>", error=f"<stdin>: input too large (over {limit} bytes; the limit is {limit})")
    return data


def _never(path: Path) -> bool:
    return False
