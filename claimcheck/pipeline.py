"""The Checker: wires the stages once and checks documents. This is the public Python API.

    from claimcheck import Checker
    report = Checker().check_text("Dry needling cures migraines.")

A Checker is a pure function of (document, rules, evidence): it keeps no state between
documents, so checking many files is mapping it over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.documents import SUFFIX_FORMATS, InputError, parse, read_path
from claimcheck.evidence import EvidenceBase
from claimcheck.extract import ClaimExtractor
from claimcheck.records import SEVERITY, Document, FileResult, Finding
from claimcheck.rubric import judge
from claimcheck.rules import Lexicon, bundled_dir, load_lexicon

STALE_RULE = "CC901"


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.files if r.error]


class Checker:
    """Loads rules, evidence and the spaCy pipeline once; checks text and files."""

    def __init__(
        self,
        evidence_dirs: Iterable[str | Path] = (),
        rules_dir: str | Path | None = None,
        today: dt.date | None = None,
        use_model: bool | None = None,
        model_dir: str | Path | None = None,
        min_confidence: float = 0.0,
    ) -> None:
        """use_model: None uses the shipped classifier when present; True requires it
        (a missing or tampered model raises ModelError); False uses the rules alone."""
        self.rules_dir = Path(rules_dir) if rules_dir else bundled_dir("rules")
        self.lexicon: Lexicon = load_lexicon(self.rules_dir)
        self.evidence = EvidenceBase.load(
            [Path(d) for d in evidence_dirs],
            known_concepts=set(self.lexicon.concepts),
            rules_dir=self.rules_dir,
        )
        self.today = today or dt.date.today()
        self._nlp = None
        self.extractor = ClaimExtractor(self.lexicon)
        self.min_confidence = min_confidence
        self.model = None
        if use_model is not False:
            from claimcheck.classifier import ClaimClassifier

            folder = Path(model_dir) if model_dir else bundled_dir("models")
            if use_model or (folder / "manifest.json").is_file():
                self.model = ClaimClassifier.load(folder)

    @property
    def nlp(self):
        if self._nlp is None:
            from claimcheck.nlp import build_pipeline

            self._nlp = build_pipeline(self.lexicon)
        return self._nlp

    # -- public API --------------------------------------------------------------------

    def check_text(self, text: str, path: str = "<text>", fmt: str = "text") -> FileResult:
        """Check a string. An empty text gives a result with no findings."""
        try:
            document = parse(text, path, fmt)
        except InputError as exc:
            if not text.strip():
                return FileResult(path=path)
            return FileResult(path=path, error=str(exc))
        return self.check_document(document)

    def check_paths(self, paths: Iterable[str]) -> Report:
        """Check files and folders; unreadable inputs get an error and the rest go on."""
        report = Report()
        for path, error in expand_paths(paths):
            if error:
                report.files.append(FileResult(path=path, error=error))
                continue
            report.files.append(self.check_file(path))
        return report

    def check_bytes(self, data: bytes, path: str = "<stdin>", fmt: str = "text") -> FileResult:
        """Check raw bytes (standard input): decoded as UTF-8, or UTF-16 with a BOM."""
        from claimcheck.documents import decode

        try:
            document = parse(decode(data, path), path, fmt)
        except InputError as exc:
            return FileResult(path=path, error=str(exc))
        return self.check_document(document)

    def check_file(self, path: str) -> FileResult:
        try:
            document = read_path(path)
        except InputError as exc:
            return FileResult(path=path, error=str(exc))
        return self.check_document(document)

    def check_document(self, document: Document) -> FileResult:
        docs = list(self.nlp.pipe(u.text for u in document.units))
        scorer = self.model.predict_proba if self.model is not None else None
        claims = [c for c in self.extractor.extract(document, docs, scorer) if c.confidence >= self.min_confidence]
        findings: list[Finding] = []
        notices: list[str] = []
        for claim in claims:
            entries = self.evidence.match(claim.intervention, claim.claim_type, set(claim.concepts))
            has_file = self.evidence.has_intervention(claim.intervention)
            for entry in entries or [None]:
                judgement = judge(claim, entry, self.lexicon, has_file)
                finding = Finding(
                    rule=judgement.rule,
                    claim=claim,
                    verdict=judgement.verdict,
                    reasons=judgement.reasons,
                    suggestion=judgement.suggestion,
                    evidence_id=entry.id if entry else None,
                    evidence_topic=entry.topic if entry else None,
                    certainty=entry.certainty if entry else None,
                    citations=list(entry.citations) if entry else [],
                )
                finding.line, finding.column = document.line_col(claim.start)
                finding.end_line, finding.end_column = document.line_col(claim.end)
                if entry is not None and entry.is_stale(self.today):
                    notices.append(
                        f"{STALE_RULE} evidence {entry.id} was last reviewed "
                        f"{entry.last_reviewed.isoformat()} (over 24 months ago)"
                    )
                findings.append(finding)
        findings.sort(key=lambda f: (f.claim.start, f.claim.end, f.rule, f.evidence_id or ""))
        return FileResult(
            path=document.path,
            findings=findings,
            notices=sorted(set(notices)),
            source=document.source,
            fmt=document.fmt,
        )


def expand_paths(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Yield (path, error) for every file to check; folders are walked for known suffixes."""
    for raw in paths:
        if raw == "-":
            yield raw, None
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                str(f)
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SUFFIX_FORMATS
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                yield raw, f"{raw}: no .txt, .md or .html files in this folder"
            for f in found:
                yield f, None
        elif p.exists() or p.is_symlink():
            yield raw, None
        else:
            yield raw, f"{raw}: no such file or directory"


def worst(findings: Iterable[Finding]) -> int:
    return max((SEVERITY[f.verdict] for f in findings), default=-1)
