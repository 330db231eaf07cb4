"""Limits on one source, so that any input under the size cap is checked in bounded memory
or refused with a message that says why -- never read in part without a word.

- MAX_UNITS blocks (paragraphs, headings, list items, table cells) per file. A 12 MB file
  of one-word bullets is a million blocks; each costs spaCy and the rules a few kilobytes
  while it is checked and its findings stay until the report is written, so such a file is
  refused as soon as the count passes the limit (Markdown: estimated before parsing, since
  the Markdown parser holds every token of the file at once).
- MAX_CLAIMS claims per file (see chunking.py, which counts them as a large file is checked).
- MARKDOWN_MAX_NESTING levels of Markdown containers (block quotes, lists). The parser stops
  reading at its nesting limit and drops what is deeper without a word; the limit is set well
  above what pages use (20 levels of ">" read fine), and a page that reaches it is refused,
  naming the line, instead of being checked without that text.

Errors here are ``Refused`` with the reason only; ``documents.parse`` adds the file's name.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

MAX_UNITS = 100_000
MAX_CLAIMS = 100_000
MARKDOWN_MAX_NESTING = 100


class Refused(Exception):
    """A source over one of the limits; ``str()`` is the reason, without the file name."""


_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("claimcheck_units", default=None)


@contextlib.contextmanager
def unit_budget(limit: int = MAX_UNITS) -> Iterator[None]:
    """Count the units made while parsing one source (see ``count_units``)."""
    token = _budget.set([0, limit])
    try:
        yield
    finally:
        _budget.reset(token)


def count_units(n: int) -> None:
    """Record ``n`` more units; Refused once the source has more than its budget."""
    budget = _budget.get()
    if budget is None:
        return
    budget[0] += n
    if budget[0] > budget[1]:
        raise Refused(too_many_units(budget[1]))


def too_many_units(limit: int = MAX_UNITS) -> str:
    return (
        f"more than {limit:,} blocks (paragraphs, headings, list items, table cells); "
        "the limit keeps memory bounded: split the file"
    )


# A line that starts a Markdown block of its own: a list item, heading, quote or table row,
# or any text after a blank line (a new paragraph).
_BLOCK_START = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|>|\|)|(?:\A|\n[ \t]*\n)[ \t]*\S", re.M)


def check_markdown_size(source: str, limit: int = MAX_UNITS) -> None:
    """Refused when a Markdown source clearly has more than ``limit`` blocks, before the parser
    builds its tokens for all of them (an estimate: table rows count once, not per cell)."""
    if source.count("\n") < limit:
        return
    for blocks, _ in enumerate(_BLOCK_START.finditer(source), 1):
        if blocks > limit:
            raise Refused(too_many_units(limit))


def check_markdown_nesting(tokens: list) -> None:
    """Refused when the parser reached its nesting limit (and so dropped what was deeper)."""
    for token in tokens:
        if token.level >= MARKDOWN_MAX_NESTING - 1:
            line = f" at line {token.map[0] + 1}" if token.map else ""
            raise Refused(
                f"Markdown nested too deeply{line} (the limit is {MARKDOWN_MAX_NESTING} levels of quotes and "
                "lists); text that deep would not be read, so the file is not checked"
            )


def bounded(error: type[Exception]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate a parser ``fn(source, path, ...)``: count its units against MAX_UNITS, and turn
    a Refused into ``error(f"{path}: {reason}")``, one line naming the file."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def parse(*args: Any, **kwargs: Any) -> T:
            path = kwargs.get("path", args[1] if len(args) > 1 else "<text>")
            try:
                with unit_budget():
                    return fn(*args, **kwargs)
            except Refused as exc:
                raise error(f"{path}: {exc}") from None

        return parse

    return wrap
