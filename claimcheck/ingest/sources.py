"""Inputs at scale: list files (``@FILE``) and JSON Lines of crawled pages.

Why a module of its own: an agency scanning thousands of sites, or a regulator sweeping a
crawl, does not name pages on the command line. They have a list of paths and URLs, or
the crawler's output, one JSON object per page. Both runners read them through here: the
local one (``claimcheck check``, ``--jobs``) and the Dask one (``--scheduler``), so a crawl
checked on a cluster gives the same report as on one machine.

- ``@FILE``: one input per line (a file, a folder, a URL or a ``.jsonl`` file, as on the
  command line); blank lines and lines starting with ``#`` are skipped; ``@-`` reads the
  list from standard input.
- ``*.jsonl`` / ``*.ndjson``: crawl records, one JSON object per line:
  ``{"id": "...", "url": "https://...", "format": "html", "text": "<html>..."}``. ``id``
  (a string or a number) and ``text`` are required; ``url`` is optional; ``format`` is
  ``text`` (the default), ``markdown`` or ``html``; other keys are ignored. Findings are
  reported with the id as their ``path`` and the record's ``url``. A bad line is an error
  for that record only, named by file and line; the file is read a line at a time, so a
  crawl of any size is never held in memory.
"""

from __future__ import annotations

import stat
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from claimcheck.core import fastjson
from claimcheck.core.fileio import read_failure
from claimcheck.core.records import Document, FileResult
from claimcheck.ingest.documents import MAX_BYTES, InputError, parse, read_path

if TYPE_CHECKING:
    from claimcheck.pipeline.checker import Checker

RECORD_SUFFIXES = (".jsonl", ".ndjson")
RECORD_FORMATS = ("text", "markdown", "html")
MAX_RECORD_BYTES = MAX_BYTES  # a record's line, JSON and all: the size cap of a file
_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Record:
    """One crawled page. ``id`` is the name findings are reported against (their ``path``);
    a record that could not be read has ``error`` set (and ``id`` is its file:line when the
    line had no usable id)."""

    id: str
    url: str | None
    fmt: str
    text: str | None
    where: str  # file:line, for messages
    error: str | None = None


Source = str | Record  # what a worker checks: a file's path, or a record with its text


def is_list_arg(arg: str) -> bool:
    """``@FILE``: a list of inputs, one a line."""
    return arg.startswith("@") and len(arg) > 1


def is_records_file(arg: str) -> bool:
    """A ``.jsonl``/``.ndjson`` argument (not a folder): crawl records."""
    return Path(arg).suffix.lower() in RECORD_SUFFIXES and not Path(arg).is_dir()


def _open(path: str, what: str) -> BinaryIO:
    """Open a regular file for reading; InputError with one line naming it otherwise."""
    try:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            raise InputError(f"{path}: not a regular file")
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: {read_failure(exc)} ({what})") from None


def read_list(path: str) -> Iterator[str]:
    """The entries of a list file, a line at a time (surrounding whitespace stripped; blank
    lines and ``#`` comments skipped); ``-`` is standard input. InputError, naming the file
    and line, for a file that cannot be read or a line that is not UTF-8 text."""
    fh = sys.stdin.buffer if path == "-" else _open(path, "list of inputs")
    name = "<stdin>" if path == "-" else path
    try:
        for n, raw in enumerate(fh, 1):
            if b"\x00" in raw:
                raise InputError(f"{name}: binary file (contains NUL bytes), not a list of inputs")
            try:
                line = raw.removeprefix(_BOM if n == 1 else b"").decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}:{n}: invalid UTF-8 at byte {exc.start}") from None
            if line and not line.startswith("#"):
                yield line
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def read_records(path: str) -> Iterator[Record]:
    """The records of a JSON Lines file, in order, a line at a time. A file that cannot be
    read is one bad record named by the file; a bad line is one bad record."""
    try:
        fh = _open(path, "crawl records")
    except InputError as exc:
        yield Record(id=path, url=None, fmt="text", text=None, where=path, error=str(exc))
        return
    count = 0
    with fh:
        for n, line in enumerate(iter(lambda: fh.readline(MAX_RECORD_BYTES + 1), b""), 1):
            if len(line) > MAX_RECORD_BYTES:
                size = len(line)
                while not line.endswith(b"\n") and (line := fh.readline(1 << 20)):
                    size += len(line)  # the rest of the line is skipped, never held
                where = f"{path}:{n}"
                message = f"{where}: record too large ({size:,} bytes; the limit is {MAX_RECORD_BYTES:,})"
                count += 1
                yield Record(id=where, url=None, fmt="text", text=None, where=where, error=message)
                continue
            if line.strip():
                count += 1
                yield _record(line.removeprefix(_BOM) if n == 1 else line, f"{path}:{n}")
    if not count:
        yield Record(id=path, url=None, fmt="text", text=None, where=path, error=f"{path}: no records in this file")


def _record(line: bytes, where: str) -> Record:
    def bad(message: str, rid: str | None = None) -> Record:
        return Record(id=rid or where, url=None, fmt="text", text=None, where=where, error=f"{where}: {message}")

    try:
        data = fastjson.loads(line)
    except ValueError as exc:
        return bad(f"invalid JSON ({' '.join(str(exc).split())})")
    if not isinstance(data, dict):
        return bad("a record must be a JSON object")
    rid = data.get("id")
    if isinstance(rid, bool) or not isinstance(rid, str | int) or str(rid) == "":
        return bad('record has no "id" (a string or a number)')
    rid = str(rid)
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in rid):
        return bad(f"record id {rid!r} contains control characters")
    url, fmt, text = data.get("url"), data.get("format", "text"), data.get("text")
    if url is not None and not isinstance(url, str):
        return bad(f'record {rid}: "url" must be a string', rid)
    if fmt not in RECORD_FORMATS:
        return bad(f'record {rid}: "format" must be one of {", ".join(RECORD_FORMATS)} (got {fmt!r})', rid)
    if not isinstance(text, str):
        return bad(f'record {rid}: "text" is {"missing" if text is None else "not a string"}', rid)
    record = Record(id=rid, url=url, fmt=fmt, text=text, where=where)
    if not text.strip():
        record.error = f"{where}: record {rid}: text is empty"
    return record


# -- checking ------------------------------------------------------------------------------


def name_of(source: Source) -> str:
    """The path a source's result is reported under."""
    return source.id if isinstance(source, Record) else source


def load(source: Source) -> Document:
    """A file read and parsed, or a record's text parsed; InputError when it cannot be."""
    if isinstance(source, Record):
        if source.error is not None or source.text is None:
            raise InputError(source.error or f"{source.where}: no text")
        return parse(source.text, source.id, source.fmt)
    return read_path(source)


def _documents(sources: Sequence[Source]) -> Iterator[Document | FileResult]:
    for source in sources:
        try:
            yield load(source)
        except InputError as exc:
            yield FileResult(path=name_of(source), error=str(exc))


def check_sources(checker: Checker, sources: Sequence[Source]) -> Iterator[FileResult]:
    """Check files and records in order, batched (``Checker.check_documents``); a record's
    result carries its URL. Bad inputs get an error result in their place."""
    for source, result in zip(sources, checker.check_documents(_documents(sources)), strict=True):
        if isinstance(source, Record):
            result.url = source.url
        yield result


def check_url(checker: Checker, url: str, timeout: float, allow_private: bool = False) -> FileResult:
    """Fetch a page and check it; a page that cannot be fetched is an error result.
    ``allow_private``: follow redirects to loopback and private addresses."""
    from claimcheck.ingest.fetch import fetch

    try:
        page = fetch(url, timeout=timeout, allow_private=allow_private)
    except InputError as exc:
        return FileResult(path=url, error=str(exc))
    except Exception as exc:  # a server can answer in ways nobody foresaw: that URL fails, not the run
        return FileResult(path=url, error=f"{url}: cannot fetch ({type(exc).__name__}: {exc})")
    return checker.check_text(page.text, url, page.fmt)
