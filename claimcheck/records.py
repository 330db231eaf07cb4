"""Plain data passed between the pipeline stages.

Document -> (spaCy Doc) -> Claim -> Finding -> FileResult/Report. Each stage reads the
previous stage's records and never reaches back, so any stage can be tested alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from itertools import accumulate
from typing import Literal

ClaimType = Literal["efficacy", "mechanism", "safety", "comparative"]
Verdict = Literal["supported", "mixed", "unsupported"]

CLAIM_TYPES: tuple[str, ...] = ("efficacy", "mechanism", "safety", "comparative")
VERDICTS: tuple[str, ...] = ("supported", "mixed", "unsupported")
SEVERITY = {"supported": 0, "mixed": 1, "unsupported": 2}


def line_starts(source: str) -> list[int]:
    """Offset of the first character of every line (0, then one past each newline)."""
    return [0, *accumulate(len(line) + 1 for line in source.split("\n")[:-1])]


@dataclass(frozen=True)
class Piece:
    """A run of unit text and the source characters it came from.

    Verbatim pieces have ``len(text) == src_end - src_start``; a decoded entity such as
    ``&amp;`` is one piece whose single character maps to the whole entity.
    """

    text: str
    src_start: int
    src_end: int


@dataclass
class Unit:
    """A block the source itself sets apart: a paragraph, heading, list item or line.

    ``text`` is what the reader sees (markup, bullets and list numbers removed); ``pieces``
    map every character of it back to the source.
    """

    kind: str  # "paragraph" | "heading" | "list_item" | "line"
    pieces: list[Piece]
    text: str = ""
    leadin: str | None = None  # text of the "effective for:" line this list item sits under
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = "".join(p.text for p in self.pieces)
        starts, pos = [], 0
        for piece in self.pieces:
            starts.append(pos)
            pos += len(piece.text)
        self._starts = starts

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``text`` to a range of the source."""
        if not self.pieces:
            return 0, 0
        end = max(end, start + 1)
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        j = max(bisect.bisect_right(self._starts, end - 1) - 1, 0)
        first, last = self.pieces[i], self.pieces[j]
        verbatim_first = len(first.text) == first.src_end - first.src_start
        verbatim_last = len(last.text) == last.src_end - last.src_start
        src_start = first.src_start + (start - self._starts[i] if verbatim_first else 0)
        src_end = last.src_start + (end - self._starts[j]) if verbatim_last else last.src_end
        return src_start, src_end


@dataclass
class Document:
    """A decoded source and the units to check in it."""

    path: str
    source: str
    fmt: str  # "text" | "markdown" | "html"
    units: list[Unit]
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a source offset."""
        if not self._line_starts:
            self._line_starts = line_starts(self.source)
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1


@dataclass(slots=True)  # one per claim: no per-instance __dict__
class Qualifiers:
    """How a claim is worded, read in the claim's own sentence."""

    hedge: list[str] = field(default_factory=list)
    absolute: list[str] = field(default_factory=list)
    mechanism_overstatement: list[str] = field(default_factory=list)
    magnitude: list[str] = field(default_factory=list)
    speed: list[str] = field(default_factory=list)
    durability: list[str] = field(default_factory=list)
    short_term: list[str] = field(default_factory=list)
    population: list[str] = field(default_factory=list)
    testimonial: list[str] = field(default_factory=list)
    research_appeal: list[str] = field(default_factory=list)
    risk_figure: list[str] = field(default_factory=list)
    safety_minimizer: list[str] = field(default_factory=list)
    avoidable_with_training: list[str] = field(default_factory=list)
    limitation: list[str] = field(default_factory=list)
    equivalence: list[str] = field(default_factory=list)
    tradition: list[str] = field(default_factory=list)
    natural: list[str] = field(default_factory=list)
    disclaimer: list[str] = field(default_factory=list)

    def present(self) -> dict[str, list[str]]:
        return {name: value for name in QUALIFIER_FIELDS if (value := getattr(self, name))}


QUALIFIER_FIELDS = tuple(f.name for f in fields(Qualifiers))


@dataclass(slots=True)
class Claim:
    """One claim of one type, located in the source."""

    claim_type: str
    text: str
    start: int
    end: int
    intervention: str | None
    intervention_label: str | None
    concepts: list[str]
    qualifiers: Qualifiers
    in_list: bool = False
    confidence: float = 1.0
    explicit_subject: bool = True


@dataclass
class Citation:
    ref: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    design: str | None = None

    @property
    def link(self) -> str | None:
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    def to_json(self) -> dict:
        return {
            "ref": self.ref,
            "pmid": self.pmid,
            "doi": self.doi,
            "url": self.link,
            "design": self.design,
        }


@dataclass(slots=True)
class Finding:
    """A claim with its verdict, the reasons for it and the evidence behind it."""

    rule: str
    claim: Claim
    verdict: str
    reasons: list[str]
    suggestion: str | None
    evidence_id: str | None = None
    evidence_topic: str | None = None
    certainty: str | None = None
    citations: list[Citation] = field(default_factory=list)
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1

    @property
    def message(self) -> str:
        """One line for terminals: what decided the verdict."""
        if not self.evidence_id:
            return self.reasons[0]
        steps = [r for r in self.reasons if not r.startswith(("verdict:", "evidence "))]
        return steps[0] if steps else f"{self.evidence_topic}: {self.certainty} certainty evidence"


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    notices: list[str] = field(default_factory=list)
    source: str | None = None  # the decoded source, for reports that show the page itself
    fmt: str | None = None  # "text" | "markdown" | "html"
    url: str | None = None  # a crawl record's URL (its id is the path)


@dataclass
class Report:
    """The results of one run, file by file, in input order."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.files if r.error]


def worst(findings: Iterable[Finding]) -> int:
    """The severity of the worst verdict among findings (-1 when there are none)."""
    return max((SEVERITY[f.verdict] for f in findings), default=-1)
