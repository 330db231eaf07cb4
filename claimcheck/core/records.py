"""Plain data passed between the pipeline stages.

Document -> (spaCy Doc) -> Claim -> Finding -> FileResult/Report. Each stage reads the
previous stage's records and never reaches back, so any stage can be tested alone.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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
    map every character of it back to the source. When the text holds characters that hide
    words from a matcher (zero-width spaces, look-alike letters: normalise.py), ``text`` is the
    normalised text to match, ``written`` the text as written and ``written_at`` the index in
    ``written`` of each character of ``text``.
    """

    kind: str  # "paragraph" | "heading" | "list_item" | "line" | "meta"
    pieces: list[Piece]
    text: str = ""
    leadin: str | None = None  # text of the "effective for:" line this list item sits under
    level: int = 0  # heading level (1 for h1 or "#"); 0 for other units
    role: str | None = None  # for "meta" units: "title", "description", "alt" or "label"
    written: str | None = None
    written_at: list[int] | None = field(default=None, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _ordered: bool = field(default=True, repr=False)  # pieces in source order (not so in reversed text)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = "".join(p.text for p in self.pieces)
        starts, pos = [], 0
        for piece in self.pieces:
            starts.append(pos)
            pos += len(piece.text)
        self._starts = starts
        if self.written is not None:
            self._ordered = all(a.src_start <= b.src_start for a, b in itertools.pairwise(self.pieces))

    def as_written(self, start: int, end: int) -> str:
        """The written characters behind a [start, end) range of ``text``, invisible ones included."""
        if self.written is None or self.written_at is None:
            return self.text[start:end]
        at = self.written_at[start : max(end, start + 1)]
        return self.written[min(at) : max(at) + 1] if at else ""

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``text`` to a range of the source."""
        if not self.pieces:
            return 0, 0
        end = max(end, start + 1)
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        j = max(bisect.bisect_right(self._starts, end - 1) - 1, 0)
        if not self._ordered:  # text shown in another order than written: the source span around it all
            inside = self.pieces[i : j + 1]
            return min(p.src_start for p in inside), max(p.src_end for p in inside)
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


def _reported(name: str) -> property:
    return property(lambda self: self.words.get(name, []), doc=f"The words of the {name!r} cue (read only).")


class Qualifiers:
    """How a claim is worded: the words of each cue (rules/cues.yaml) found in the claim's
    own sentence, by cue id, in the order the matcher found them; ``q.get(cue_id)`` reads any
    cue. The qualifiers a report shows are read-only attributes (``q.hedge``), declared below
    in the order the JSON report lists them. Every other cue is kept too and read by the
    rubric, but not reported: adding a cue to rules/cues.yaml does not change the report format.
    """

    __slots__ = ("words",)

    hedge = _reported("hedge")
    absolute = _reported("absolute")
    mechanism_overstatement = _reported("mechanism_overstatement")
    magnitude = _reported("magnitude")
    speed = _reported("speed")
    durability = _reported("durability")
    short_term = _reported("short_term")
    population = _reported("population")
    testimonial = _reported("testimonial")
    research_appeal = _reported("research_appeal")
    risk_figure = _reported("risk_figure")
    safety_minimizer = _reported("safety_minimizer")
    avoidable_with_training = _reported("avoidable_with_training")
    limitation = _reported("limitation")
    equivalence = _reported("equivalence")
    tradition = _reported("tradition")
    natural = _reported("natural")
    disclaimer = _reported("disclaimer")
    success_figure = _reported("success_figure")
    body_figure = _reported("body_figure")

    def __init__(self, words: dict[str, list[str]] | None = None, **named: list[str]) -> None:
        self.words: dict[str, list[str]] = {k: list(v) for k, v in {**(words or {}), **named}.items() if v}

    def get(self, cue_id: str) -> list[str]:
        """The words of a cue in the claim (empty when it has none). Read only."""
        return self.words.get(cue_id, [])

    def add(self, cue_id: str, word: str) -> None:
        """Record a cue's word once, in the order it is met."""
        bucket = self.words.setdefault(cue_id, [])
        if word not in bucket:
            bucket.append(word)

    def present(self) -> dict[str, list[str]]:
        """The reported qualifiers the claim has, in report order."""
        return {name: value for name in QUALIFIER_FIELDS if (value := self.words.get(name))}

    def reported(self) -> Qualifiers:
        """Only what a report shows (and a cached result keeps): a finding's claim carries
        this, so a result is the same whether it was checked now or read from the cache."""
        return Qualifiers(self.present())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Qualifiers) and self.words == other.words

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaced

    def __repr__(self) -> str:
        return f"Qualifiers({self.words!r})"


# The reported qualifiers, in report order (the JSON report's ``qualifiers`` keys).
QUALIFIER_FIELDS: tuple[str, ...] = tuple(k for k, v in vars(Qualifiers).items() if isinstance(v, property))
# The cue ids this module reads by name (checked against rules/cues.yaml at load).
REQUIRED_CUES = frozenset(QUALIFIER_FIELDS)


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
    # Concepts of the whole sentence when the claim is one clause of several: evidence is
    # looked up by them when the clause's own concepts match no entry.
    sentence_concepts: list[str] | None = None


@dataclass
class Citation:
    ref: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    design: str | None = None
    # Where the reference was read when that place is not the source itself (a copy on a
    # file-sharing site, a blog): kept for the record, never shown as the citation's link.
    seen_at: str | None = None

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
            "seen_at": self.seen_at,
        }


@dataclass(slots=True)
class Highlight:
    """Words inside a claim that the verdict turns on: ``source[start:end]`` is ``text``.

    ``why`` names what they are: certainty, magnitude, speed, duration, population, figure,
    hedge, condition, mechanism, safety, comparator, natural, research, testimonial, ...
    """

    start: int
    end: int
    why: str
    text: str


@dataclass(slots=True)
class EvidenceMatch:
    """One evidence entry a claim matched, and what the rubric made of the claim against it."""

    id: str
    topic: str
    certainty: str
    entry_verdict: str  # the entry's own verdict, before the wording moved it
    verdict: str  # the rubric's verdict for this claim against this entry
    rule: str
    reasons: list[str]
    suggestion: str | None = None
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Finding:
    """One claim of one type at one span: the combined verdict (the worst of its matched
    evidence entries'), every rubric step, the entries worst first and the words at fault.

    ``evidence_id``, ``evidence_topic``, ``certainty`` and ``citations`` describe the worst
    entry (the first of ``evidence``); a finding with no entry on file has none."""

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
    evidence: list[EvidenceMatch] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)

    @property
    def matched(self) -> list[EvidenceMatch]:
        """Every matched entry, worst first. A finding made by hand with only ``evidence_id``
        set has that one entry, judged as the finding is."""
        if self.evidence or not self.evidence_id:
            return self.evidence
        entry = EvidenceMatch(
            id=self.evidence_id,
            topic=self.evidence_topic or "",
            certainty=self.certainty or "",
            entry_verdict=self.verdict,
            verdict=self.verdict,
            rule=self.rule,
            reasons=self.reasons,
            suggestion=self.suggestion,
            citations=self.citations,
        )
        return [entry]

    @property
    def evidence_ids(self) -> list[str]:
        """Every matched entry's id, worst first."""
        return [e.id for e in self.matched]

    @property
    def message(self) -> str:
        """One line for terminals and editors: every wording step, short, then the evidence
        entries with what the wording made of each ("dn.x (mixed -> unsupported)")."""
        steps = [r for r in short_reasons(self.reasons) if not r.startswith("evidence ") and " step(s) down: " not in r]
        matched = self.matched
        if matched:
            shown = [
                e.id + (f" ({e.entry_verdict} -> {e.verdict})" if e.entry_verdict != e.verdict else f" ({e.verdict})")
                for e in matched
            ]
            steps.append("evidence " + ", ".join(shown))
        return "; ".join(steps) or f"verdict: {self.verdict}"


_TAG = re.compile(r"\s\[[a-z0-9_]+\]")


def short_reason(reason: str) -> str | None:
    """A rubric step cut to what it says about this claim; None for the closing verdict line
    and for the how-to-fix line of a claim with no evidence (its first line says it).

    A wording rule writes "label (words): explanation [rule_id]", plus " -> verdict" when it
    decides the verdict: kept as "label (words) [rule_id] -> verdict". An evidence line keeps
    its id, verdict and certainty (the scope is in the evidence entry). Other steps are kept."""
    if reason.startswith("verdict: "):
        return None
    if reason.startswith("evidence ") and "; scope: " in reason:
        head = reason.split("; scope: ", 1)[0]
        ident, _, rest = head.partition(" (")
        return f"{ident}: {rest.rsplit('): ', 1)[-1]}" if "): " in rest else head
    tag = _TAG.search(reason)
    if not tag:
        return reason
    after = reason[tag.end() :]
    if after.startswith(";"):
        return None
    label = reason[: tag.start()].split(": ", 1)[0]
    return f"{label} {tag.group(0).strip()}{after.rstrip()}"


def short_reasons(reasons: list[str]) -> list[str]:
    """The steps of ``reasons`` as ``short_reason`` writes them, repeats dropped."""
    out: list[str] = []
    for reason in reasons:
        short = short_reason(reason)
        if short and short not in out:
            out.append(short)
    return out


@dataclass(slots=True)
class Notice:
    """A finding about something other than a claim: a suppression comment (CC902-CC904),
    stale evidence (CC901). 1-based line and column of what it is about; a stale-evidence
    notice carries the entry's id, so reports need not read it back out of the message."""

    rule: str
    message: str
    line: int = 1
    column: int = 1
    evidence_id: str | None = None

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.rule} {self.message}"


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    notices: list[Notice] = field(default_factory=list)
    source: str | None = None  # the decoded source, for reports that show the page itself
    fmt: str | None = None  # "text" | "markdown" | "html"
    url: str | None = None  # a crawl record's URL (its id is the path)


@dataclass
class Report:
    """The results of one run, file by file, in input order."""

    files: list[FileResult] = field(default_factory=list)
    # Findings left out of this view by --min-verdict, by verdict (the run itself has them).
    hidden: dict[str, int] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.files if r.error]


def worst(findings: Iterable[Finding]) -> int:
    """The severity of the worst verdict among findings (-1 when there are none)."""
    return max((SEVERITY[f.verdict] for f in findings), default=-1)
