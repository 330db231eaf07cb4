"""The evidence base: one YAML file per intervention in ``rules/evidence/``.

Each entry says what the evidence supports for one claim topic (verdict, certainty,
scope, citations) and which concepts a claim must carry to be about that topic. The
schema is documented in docs/evidence-schema.md and validated here on load.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.core.records import CLAIM_TYPES, VERDICTS, Citation
from claimcheck.core.yamlio import SchemaError, check_keys, line_of, load_yaml, require
from claimcheck.knowledge.declared import evidence_files, intervention_of, parse_declaration
from claimcheck.knowledge.lexicon import bundled_dir

CERTAINTIES = ("high", "moderate", "low", "very low")
BASES = ("research", "regulator")
SCOPE_LIMITS = ("short_term", "adjunct", "surrogate", "no_speed")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.]*$")
PMID_RE = re.compile(r"^\d{5,9}$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
STALE_AFTER_DAYS = 730


@dataclass
class WordingRule:
    cue: str
    verdict: str
    reason: str


@dataclass
class Example:
    text: str
    verdict: str
    line: int = 0


@dataclass
class EvidenceEntry:
    id: str
    intervention: str
    claim_type: str
    topic: str
    verdict: str
    certainty: str
    basis: str
    scope: str
    scope_limits: list[str]
    human_signal: bool
    fallback: bool
    match_all: list[str]
    match_any: list[str]
    summary: str
    accepted_wording: str | None  # None: nothing about this topic can be said (the advice is to remove the claim)
    citations: list[Citation]
    last_reviewed: dt.date
    wording: list[WordingRule] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    counter_examples: list[str] = field(default_factory=list)
    counter_example_lines: list[int] = field(default_factory=list)
    inferred: bool = False  # a regulator position inferred from related guidance (no entry or ruling found)
    source: str = ""
    line: int = 0
    citation_lines: list[int] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return len(self.match_all) + (1 if self.match_any else 0)

    def matches(self, concepts: set[str]) -> bool:
        if not all(c in concepts for c in self.match_all):
            return False
        return not self.match_any or any(c in concepts for c in self.match_any)

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return (today - self.last_reviewed).days > STALE_AFTER_DAYS


def _text(node: dict, key: str, path: Path, where: str) -> str:
    value = require(node, key, str, path, where)
    if not value.strip():
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", "must not be empty")
    return value.strip()


def _choice(node: dict, key: str, choices: tuple[str, ...], path: Path, where: str) -> str:
    value = require(node, key, str, path, where)
    if value not in choices:
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", f"{value!r} is not one of: {', '.join(choices)}")
    return value


def _str_list(node: dict, key: str, path: Path, where: str) -> list[str]:
    """An optional list of strings (missing or empty: []); a SchemaError naming the key for
    anything else, such as a nested list where a concept id belongs."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", f"expected a list, got {type(value).__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise SchemaError(
                path, line_of(value, i), f"{where}.{key}[{i}]", f"expected a string, got {type(item).__name__}"
            )
    return value


def _list(node: dict, key: str, path: Path, where: str) -> list:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", f"expected a list, got {type(value).__name__}")
    return value


def _scalar(node: dict, key: str, path: Path, where: str) -> str | None:
    """An optional id-like value (a PMID may be written as a number): its text, or None."""
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise SchemaError(path, line_of(node, key), f"{where}.{key}", f"expected text, got {type(value).__name__}")
    return str(value).strip()


def _citation(node: object, path: Path, where: str, basis: str) -> Citation:
    if not isinstance(node, dict):
        raise SchemaError(path, None, where, "expected a mapping")
    check_keys(node, {"ref", "pmid", "doi", "url", "seen_at", "design"}, path, where)
    ref = _text(node, "ref", path, where)
    pmid, doi, url = (_scalar(node, key, path, where) for key in ("pmid", "doi", "url"))
    if pmid and not PMID_RE.match(pmid):
        raise SchemaError(path, line_of(node, "pmid"), f"{where}.pmid", f"{pmid!r} is not a PubMed id")
    if doi and not DOI_RE.match(doi):
        raise SchemaError(path, line_of(node, "doi"), f"{where}.doi", f"{doi!r} is not a DOI (10.xxxx/...)")
    seen_at = _scalar(node, "seen_at", path, where)
    for key, value in (("url", url), ("seen_at", seen_at)):
        if value and not value.startswith(("https://", "http://")):
            raise SchemaError(path, line_of(node, key), f"{where}.{key}", "must be an http(s) URL")
    if not (pmid or doi or url or seen_at):
        raise SchemaError(path, line_of(node), where, "citation needs a pmid, a doi, a url or seen_at")
    design = node.get("design")
    if design is not None and not isinstance(design, str):
        got = type(design).__name__
        raise SchemaError(path, line_of(node, "design"), f"{where}.design", f"expected text, got {got}")
    return Citation(ref=ref, pmid=pmid, doi=doi, url=url, design=design, seen_at=seen_at)


ENTRY_KEYS = {
    "id",
    "claim_type",
    "topic",
    "verdict",
    "certainty",
    "basis",
    "scope",
    "scope_limits",
    "human_signal",
    "fallback",
    "match",
    "summary",
    "accepted_wording",
    "citations",
    "last_reviewed",
    "wording",
    "examples",
    "counter_examples",
    "inferred",
}


def _accepted_wording(node: dict, path: Path, where: str) -> str | None:
    """Required on a supported entry; optional otherwise (no wording about the topic is acceptable)."""
    if "accepted_wording" not in node or node["accepted_wording"] is None:
        if node.get("verdict") == "supported":
            raise SchemaError(
                path, line_of(node), f"{where}.accepted_wording", "a supported entry needs its accepted wording"
            )
        return None
    return _text(node, "accepted_wording", path, where)


def _entry(
    node: object,
    path: Path,
    where: str,
    intervention: str,
    known: set[str] | None,
    known_cues: set[str] | None = None,
) -> EvidenceEntry:
    if not isinstance(node, dict):
        raise SchemaError(path, None, where, "expected a mapping")
    check_keys(node, ENTRY_KEYS, path, where)
    eid = _text(node, "id", path, where)
    if not ID_RE.match(eid):
        raise SchemaError(path, line_of(node, "id"), f"{where}.id", "use lower case, digits, dots, underscores")
    basis = _choice(node, "basis", BASES, path, where) if "basis" in node else "research"
    limits = _str_list(node, "scope_limits", path, where)
    for i, tag in enumerate(limits):
        if tag not in SCOPE_LIMITS:
            raise SchemaError(
                path,
                line_of(limits, i),
                f"{where}.scope_limits[{i}]",
                f"{tag!r} is not one of: {', '.join(SCOPE_LIMITS)}",
            )
    match = require(node, "match", dict, path, where)
    check_keys(match, {"all", "any"}, path, f"{where}.match")
    match_all = _str_list(match, "all", path, f"{where}.match")
    match_any = _str_list(match, "any", path, f"{where}.match")
    if not match_all and not match_any:
        raise SchemaError(path, line_of(match), f"{where}.match", "needs 'all' or 'any' concepts")
    if known is not None:
        for key, ids in (("all", match_all), ("any", match_any)):
            for cid in ids:
                if cid not in known:
                    raise SchemaError(
                        path,
                        line_of(match, key),
                        f"{where}.match.{key}",
                        f"unknown concept {cid!r} (not in rules/lexicon)",
                    )
    raw_cites = require(node, "citations", list, path, where)
    if not raw_cites:
        raise SchemaError(path, line_of(node, "citations"), f"{where}.citations", "needs at least one citation")
    citations = [_citation(c, path, f"{where}.citations[{i}]", basis) for i, c in enumerate(raw_cites)]
    reviewed = node.get("last_reviewed")
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError:
            reviewed = None
    if not isinstance(reviewed, dt.date):
        raise SchemaError(
            path, line_of(node, "last_reviewed"), f"{where}.last_reviewed", "needs an ISO date (YYYY-MM-DD)"
        )
    wording = []
    for i, rule in enumerate(_list(node, "wording", path, where)):
        w = f"{where}.wording[{i}]"
        if not isinstance(rule, dict):
            raise SchemaError(path, line_of(node, "wording"), w, "expected a mapping")
        check_keys(rule, {"cue", "verdict", "reason"}, path, w)
        cue = _text(rule, "cue", path, w)
        if known_cues is not None and cue not in known_cues:
            raise SchemaError(path, line_of(rule, "cue"), f"{w}.cue", f"unknown cue {cue!r} (not in rules/cues.yaml)")
        wording.append(
            WordingRule(
                cue=cue,
                verdict=_choice(rule, "verdict", VERDICTS, path, w),
                reason=_text(rule, "reason", path, w),
            )
        )
    examples = []
    raw_examples = _list(node, "examples", path, where)
    for i, ex in enumerate(raw_examples):
        w = f"{where}.examples[{i}]"
        if not isinstance(ex, dict):
            raise SchemaError(path, line_of(raw_examples, i), w, "expected {text, verdict}")
        text, verdict = _text(ex, "text", path, w), _choice(ex, "verdict", VERDICTS, path, w)
        examples.append(Example(text=text, verdict=verdict, line=line_of(ex) or 0))
    if not examples:
        raise SchemaError(path, line_of(node), f"{where}.examples", "needs at least one example sentence")
    counter = _str_list(node, "counter_examples", path, where)
    inferred = node.get("inferred", False)
    if not isinstance(inferred, bool):
        raise SchemaError(path, line_of(node, "inferred"), f"{where}.inferred", "expected true or false")
    return EvidenceEntry(
        id=eid,
        intervention=intervention,
        claim_type=_choice(node, "claim_type", CLAIM_TYPES, path, where),
        topic=_text(node, "topic", path, where),
        verdict=_choice(node, "verdict", VERDICTS, path, where),
        certainty=_choice(node, "certainty", CERTAINTIES, path, where),
        basis=basis,
        scope=_text(node, "scope", path, where),
        scope_limits=list(limits),
        human_signal=bool(node.get("human_signal", True)),
        fallback=bool(node.get("fallback", False)),
        match_all=list(match_all),
        match_any=list(match_any),
        summary=_text(node, "summary", path, where),
        accepted_wording=_accepted_wording(node, path, where),
        citations=citations,
        citation_lines=[line_of(raw_cites, i) or line_of(node, "citations") or 0 for i in range(len(raw_cites))],
        last_reviewed=reviewed,
        wording=wording,
        examples=examples,
        counter_examples=list(counter),
        counter_example_lines=[line_of(counter, i) or 0 for i in range(len(counter))],
        inferred=inferred,
        source=str(path),
        line=line_of(node) or 0,
    )


def load_evidence_file(
    path: Path,
    known_concepts: set[str] | None = None,
    errors: list[SchemaError] | None = None,
    known_cues: set[str] | None = None,
) -> tuple[str, list[EvidenceEntry]]:
    """Load one file. With ``errors``, a bad entry is recorded there and the rest still load
    (for `claimcheck evidence validate`); without it, the first error is raised. With
    ``known_concepts`` and ``known_cues``, every concept and cue an entry names must be one."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise SchemaError(path, None, "", "expected a mapping with 'intervention' and 'entries'")
    check_keys(data, {"intervention", "title", "entries"}, path, "")
    intervention, declaration = intervention_of(data, path)
    if declaration is not None:
        parse_declaration(declaration, path)  # validated here too: `evidence validate` reports it
    if known_concepts is not None and intervention not in known_concepts:
        raise SchemaError(
            path,
            line_of(data, "intervention"),
            "intervention",
            f"unknown intervention {intervention!r} (not in rules/lexicon/interventions.yaml; a file of "
            "your own can declare it: intervention: {id, label, aliases}, see docs/evidence-schema.md)",
        )
    items = require(data, "entries", list, path, "")
    entries = []
    for i, item in enumerate(items):
        try:
            entries.append(_entry(item, path, f"entries[{i}]", intervention, known_concepts, known_cues))
        except SchemaError as exc:
            if errors is None:
                raise
            if exc.line is None:
                exc.line = line_of(items, i)
            errors.append(exc)
    return intervention, entries


@dataclass
class EvidenceBase:
    """The loaded entries by id. Fixed once built: ``match`` looks claims up in an index of
    the entries by (intervention, claim type), made here, instead of scanning every entry
    for every claim."""

    entries: dict[str, EvidenceEntry]
    files: list[str]
    _by_topic: dict[tuple[str, str], list[EvidenceEntry]] = field(init=False, repr=False, compare=False)
    _by_intervention: dict[str, list[EvidenceEntry]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_topic, self._by_intervention = {}, {}
        for entry in self.entries.values():  # in id order of loading: each list keeps it
            self._by_topic.setdefault((entry.intervention, entry.claim_type), []).append(entry)
            self._by_intervention.setdefault(entry.intervention, []).append(entry)

    @classmethod
    def load(
        cls,
        extra_dirs: list[Path] | None = None,
        known_concepts: set[str] | None = None,
        rules_dir: Path | None = None,
        known_cues: set[str] | None = None,
    ) -> EvidenceBase:
        """Load the bundled evidence, then each extra folder (or a file named directly); later
        entries win by id. Ids an entry names must be in ``known_concepts`` and ``known_cues``
        (when given)."""
        bundled = (rules_dir or bundled_dir("rules")) / "evidence"
        dirs = [bundled, *(extra_dirs or [])] if bundled.is_dir() else list(extra_dirs or [])
        entries: dict[str, EvidenceEntry] = {}
        files: list[str] = []
        for folder in dirs:
            folder = Path(folder)
            if not (folder.is_dir() or folder.is_file()):
                raise SchemaError(folder, None, "", "evidence folder not found")
            seen_here: dict[str, EvidenceEntry] = {}
            for path in evidence_files([folder]):
                _, loaded = load_evidence_file(path, known_concepts, known_cues=known_cues)
                files.append(str(path))
                for entry in loaded:
                    if entry.id in seen_here:
                        other = seen_here[entry.id]
                        raise SchemaError(
                            path,
                            entry.line,
                            "id",
                            f"duplicate evidence id {entry.id!r} (also {other.source}:{other.line})",
                        )
                    seen_here[entry.id] = entry
            entries.update(seen_here)
        return cls(entries=entries, files=files)

    def for_intervention(self, intervention: str | None) -> list[EvidenceEntry]:
        return list(self._by_intervention.get(intervention, ()))

    def has_intervention(self, intervention: str | None) -> bool:
        return intervention in self._by_intervention

    def match(self, intervention: str | None, claim_type: str, concepts: set[str]) -> list[EvidenceEntry]:
        """The best entries for a claim: most matched concepts; fallbacks only if alone."""
        candidates = [e for e in self._by_topic.get((intervention, claim_type), ()) if e.matches(concepts)]
        specific = [e for e in candidates if not e.fallback]
        pool = specific or candidates
        if not pool:
            return []
        best = max(e.weight for e in pool)
        return sorted((e for e in pool if e.weight == best), key=lambda e: e.id)
