"""Auditing the evidence base: what ``claimcheck evidence validate`` reports (schema errors
with file:line, duplicate ids, weak citations, missing counter-examples, stale entries) and
the per-intervention counts behind the README's evidence table. Loading lives in
claimcheck.knowledge.evidence; this module only reads what it loads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.core.records import VERDICTS
from claimcheck.core.rule_codes import STALE_EVIDENCE
from claimcheck.core.yamlio import SchemaError, load_yaml
from claimcheck.knowledge.citations import is_citing_link
from claimcheck.knowledge.declared import evidence_files, intervention_of, read_declarations
from claimcheck.knowledge.evidence import BASES, EvidenceBase, EvidenceEntry, load_evidence_file


@dataclass
class ValidationReport:
    errors: list[SchemaError]
    warnings: list[str]
    entries: int
    files: int


def validate_paths(
    paths: list[Path], known_concepts: set[str], today: dt.date | None = None, known_cues: set[str] | None = None
) -> ValidationReport:
    """Check evidence files or folders: schema, unknown concept and cue ids, duplicate ids,
    citations, examples, staleness."""
    # A file named directly is loaded even when it is not a regular file, so its error is reported.
    files = [f for p in map(Path, paths) for f in (evidence_files([p]) if p.is_dir() else [p])]
    errors: list[SchemaError] = []
    warnings: list[str] = []
    seen: dict[str, EvidenceEntry] = {}
    count = 0
    known_concepts = set(known_concepts)
    for path in files:  # interventions the files declare are known to every file validated with them
        with contextlib.suppress(SchemaError):  # reported when the file itself is loaded below
            known_concepts.update(c.id for c in read_declarations([path]))
    for path in files:
        try:
            _, entries = load_evidence_file(path, known_concepts, errors, known_cues)
        except SchemaError as exc:
            errors.append(exc)
            continue
        for entry in entries:
            count += 1
            if entry.id in seen:
                other = seen[entry.id]
                errors.append(
                    SchemaError(
                        path, entry.line, "id", f"duplicate evidence id {entry.id!r} (also {other.source}:{other.line})"
                    )
                )
            seen[entry.id] = entry
            if entry.basis == "research" and not any(c.pmid or c.doi for c in entry.citations):
                warnings.append(f"{path}:{entry.line}: {entry.id}: no citation has a PMID or DOI")
            for cit, line in zip(entry.citations, entry.citation_lines, strict=True):
                if cit.url and not is_citing_link(cit.url):
                    warnings.append(
                        f"{path}:{line or entry.line}: {entry.id}: citation link {cit.url} is neither PubMed, "
                        "a DOI nor a regulator's page; keep the reference and move the link to seen_at"
                    )
            if not entry.counter_examples:
                warnings.append(f"{path}:{entry.line}: {entry.id}: no counter_examples")
            if entry.is_stale(today):
                warnings.append(
                    f"{path}:{entry.line}: {STALE_EVIDENCE} {entry.id}: last_reviewed "
                    f"{entry.last_reviewed.isoformat()} is over 24 months ago"
                )
    return ValidationReport(errors=errors, warnings=warnings, entries=count, files=len(files))


@dataclass
class EntryCounts:
    """How many evidence entries one intervention has, by verdict and by basis."""

    intervention: str
    title: str
    entries: int = 0
    by_verdict: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    by_basis: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BASES, 0))

    def add(self, verdict: str, basis: str, n: int = 1) -> None:
        self.entries += n
        self.by_verdict[verdict] += n
        self.by_basis[basis] += n


def count_entries(base: EvidenceBase) -> list[EntryCounts]:
    """Entries per intervention (sorted by id), then a "total" row. The README's evidence
    table is this, rendered by ``evidence_counts_markdown``; a test keeps the two in step."""
    titles: dict[str, str] = {}
    for source in base.files:
        try:
            data = load_yaml(source)
        except SchemaError:
            continue
        if isinstance(data, dict) and isinstance(data.get("intervention"), (str, dict)):
            try:
                name, declaration = intervention_of(data, Path(source))
            except SchemaError:
                continue
            label = declaration.get("label") if declaration else None
            titles[name] = str(data.get("title") or label or name)
    rows: dict[str, EntryCounts] = {}
    total = EntryCounts("total", "Total")
    for entry in base.entries.values():
        name = entry.intervention
        rows.setdefault(name, EntryCounts(name, titles.get(name, name))).add(entry.verdict, entry.basis)
        total.add(entry.verdict, entry.basis)
    return [*(rows[k] for k in sorted(rows)), total]


def evidence_counts_markdown(base: EvidenceBase) -> str:
    """The README table of ``count_entries``: one row per intervention, then the total."""
    lines = [
        "| Intervention | Entries | Supported | Mixed | Unsupported | Basis: regulator | Basis: research |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in count_entries(base):
        total = row.intervention == "total"
        name = f"**{row.title}**" if total else f"{row.title} (`{row.intervention}`)"
        cells = [
            row.entries,
            *(row.by_verdict[v] for v in VERDICTS),
            row.by_basis["regulator"],
            row.by_basis["research"],
        ]
        cells_text = [f"**{c}**" if total else str(c) for c in cells]
        lines.append(f"| {name} | " + " | ".join(cells_text) + " |")
    return "\n".join(lines) + "\n"
