"""The Checker: wires the stages once and checks documents. This is the public Python API.

    from claimcheck import Checker
    report = Checker().check_text("Dry needling cures migraines.")

A Checker is a pure function of (document, rules, evidence): it keeps no state between
documents, so checking many files is mapping it over them.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from claimcheck.core.records import SEVERITY, Document, EvidenceMatch, FileResult, Finding, Notice, Report
from claimcheck.core.rule_codes import STALE_EVIDENCE
from claimcheck.detect.extract import ClaimExtractor
from claimcheck.ingest.documents import InputError, parse, read_path
from claimcheck.judge.highlights import pick, sentence_words
from claimcheck.judge.required_cues import check_code_cues
from claimcheck.judge.rubric import judge
from claimcheck.judge.suggest import removal_advice
from claimcheck.knowledge.declared import read_declarations, with_declared
from claimcheck.knowledge.evidence import EvidenceBase
from claimcheck.knowledge.lexicon import Lexicon, bundled_dir, load_lexicon
from claimcheck.knowledge.wording_rules import WORDING_FILE, load_wording_rules

# The classifier's cost is mostly per call: sentences of many files are scored together.
BATCH_CHARS = 400_000  # check_files checks its pending files together once they hold this much text
BATCH_FILES = 256  # ... or this many files
SCORE_CHUNK = 2048  # at most this many sentences per model call (bounds its sparse matrices)
PIPE_BATCH = 256  # units per spaCy batch


@dataclass
class _Prepared:
    """A document after spaCy and the rules, waiting for the model's scores."""

    document: Document
    analyses: list


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
        evidence_dirs = [Path(d) for d in evidence_dirs]
        # Interventions that the extra evidence files declare join the lexicon for this Checker.
        self.lexicon: Lexicon = with_declared(load_lexicon(self.rules_dir), read_declarations(evidence_dirs))
        check_code_cues(self.lexicon)  # every cue the code reads by name is in the cue file
        # Loaded once, from this rules folder, and validated now: a broken wording.yaml stops
        # the run before any file.
        self.wording_rules = load_wording_rules(self.rules_dir / WORDING_FILE, self.lexicon)
        self._rule_cues = {rule.id: rule.when.cue for rule in self.wording_rules}
        self.evidence = EvidenceBase.load(
            evidence_dirs,
            known_concepts=set(self.lexicon.concepts),
            rules_dir=self.rules_dir,
            known_cues=set(self.lexicon.cues),
        )
        self.today = today or dt.date.today()
        self._nlp = None
        self.extractor = ClaimExtractor(self.lexicon)
        self.min_confidence = min_confidence
        self._wording_targets: dict[str, frozenset[str]] = {}  # entry id -> concepts its accepted wording names
        self.model = None
        if use_model is not False:
            from claimcheck.detect.classifier import ClaimClassifier

            folder = Path(model_dir) if model_dir else bundled_dir("models")
            if use_model or (folder / "manifest.json").is_file():
                self.model = ClaimClassifier.load(folder)

    @property
    def nlp(self):
        if self._nlp is None:
            from claimcheck.nlp.engine import build_pipeline

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

    def check_paths(self, paths: Iterable[str], url_timeout: float = 10.0) -> Report:
        """Check inputs as the command line reads them (claimcheck.ingest.discovery): files,
        folders (walked for .txt, .text, .md, .markdown, .mdx, .html and .htm files), URLs,
        ``-`` for standard input, ``@FILE`` lists and ``.jsonl`` crawl records. No project
        configuration is read. Inputs that cannot be checked get an error; the rest go on.
        Reports and baselines claimcheck wrote are left out, named or found in a folder, as
        the command line leaves them out."""
        from claimcheck.ingest.discovery import Kind, discover, read_stdin
        from claimcheck.ingest.own_reports import is_report_file
        from claimcheck.ingest.sources import check_sources, check_url

        found = [f for f in discover(paths, is_own_report=is_report_file) if f.kind is not Kind.SKIPPED]
        batched = [f.record if f.record is not None else f.path for f in found if f.kind in (Kind.FILE, Kind.RECORD)]
        checked = check_sources(self, batched)
        report = Report()
        for item in found:
            if item.kind is Kind.ERROR:
                result = FileResult(path=item.path, error=item.error)
            elif item.kind is Kind.URL:
                result = check_url(self, item.path, url_timeout)
            elif item.kind is Kind.STDIN:
                data = read_stdin()
                result = data if isinstance(data, FileResult) else self.check_bytes(data, "<stdin>")
            else:
                result = next(checked)
            report.files.append(result)
        return report

    def check_files(self, paths: Iterable[str]) -> Iterator[FileResult]:
        """Check files in order, yielding each result; the same results as ``check_file``
        on each, but faster for many files: files are taken in batches, and a batch goes
        through spaCy in one ``nlp.pipe`` call and through the classifier in one call per
        2,048 sentences (the classifier's cost is mostly per call). Bad inputs get an error
        result in their place."""
        return self.check_documents(_read_each(paths))

    def check_documents(self, documents: Iterable[Document | FileResult]) -> Iterator[FileResult]:
        """Check documents in order, batched as ``check_files`` batches files (documents are
        taken lazily: a batch at a time); a FileResult (an input that could not be read)
        passes through in its place."""
        pending: list[FileResult | Document] = []
        chars = 0
        for document in documents:
            pending.append(document)
            if isinstance(document, FileResult):
                continue
            chars += sum(len(u.text) for u in document.units)
            if chars >= BATCH_CHARS or len(pending) >= BATCH_FILES:
                yield from self._check_batch(pending)
                pending, chars = [], 0
        yield from self._check_batch(pending)

    def check_bytes(self, data: bytes, path: str = "<stdin>", fmt: str = "text") -> FileResult:
        """Check raw bytes (standard input): decoded as UTF-8, or UTF-16 with a BOM."""
        from claimcheck.ingest.documents import decode

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
        return next(self._check_batch([document]))

    # -- internals ---------------------------------------------------------------------

    def _keep_to_the_claim(self, suggestion: str | None, claim, entry) -> str | None:
        """An entry's accepted wording, unless it names a condition or outcome that neither the
        claim nor the entry is about (a wording for one scope offered for another claim): then
        the advice to remove the claim, with what the evidence covers."""
        if entry is None or suggestion is None or suggestion != entry.accepted_wording:
            return suggestion
        targets = self._wording_targets.get(entry.id)
        if targets is None:
            targets = self._wording_targets[entry.id] = _targets(self.lexicon, self.nlp(suggestion))
        if targets - set(claim.concepts) - set(entry.match_all) - set(entry.match_any):
            return removal_advice(entry)
        return suggestion

    def _check_batch(self, items: list[FileResult | Document]) -> Iterator[FileResult]:
        """Documents through one spaCy pipe (read lazily, document by document), then the rules, the
        classifier and the rubric; error results pass through in their place. A large document
        is checked on its own, in parts (chunking.py), so that memory stays bounded."""
        from claimcheck.pipeline.chunking import check_large, is_large

        if any(isinstance(item, Document) and is_large(item) for item in items):
            small: list[FileResult | Document] = []
            for item in items:
                if isinstance(item, Document) and is_large(item):
                    yield from self._check_batch(small)
                    small = []
                    yield check_large(self, item)
                else:
                    small.append(item)
            yield from self._check_batch(small)
            return
        texts = [u.text for d in items if isinstance(d, Document) for u in d.units]
        parsed = iter(self.nlp.pipe(texts, batch_size=PIPE_BATCH))
        prepared: list[FileResult | _Prepared] = []
        for item in items:
            if isinstance(item, Document):
                docs = list(islice(parsed, len(item.units)))
                prepared.append(_Prepared(item, self.extractor.analyze(item, docs)))
            else:
                prepared.append(item)
        yield from self._finish_all(prepared)

    def _finish_all(self, items: list[FileResult | _Prepared]) -> Iterator[FileResult]:
        """Score the sentences of all prepared documents (a few model calls in all), then
        judge each document's claims; error results pass through in their place."""
        prepared = [p for p in items if isinstance(p, _Prepared)]
        rows = self._score([a for p in prepared for a in p.analyses])
        at = 0
        for item in items:
            if isinstance(item, FileResult):
                yield item
                continue
            n = len(item.analyses)
            probabilities = rows[at : at + n] if rows is not None and n else None
            at += n
            claims = self.extractor.build(item.analyses, probabilities)
            # The words the verdicts may turn on, read while the spaCy spans are alive.
            words = sentence_words(item.analyses, claims, self.lexicon)
            item.analyses = []  # let the spaCy docs go before the next document is judged
            yield self._judge(item.document, claims, words)

    def _score(self, analyses: list) -> list | None:
        """The model's probability rows for analyses, in order (None: no model). Scored in
        chunks: a row depends only on its own sentence, and memory stays bounded."""
        if self.model is None or not analyses:
            return None
        rows: list = []
        for lo in range(0, len(analyses), SCORE_CHUNK):
            chunk = analyses[lo : lo + SCORE_CHUNK]
            rows.extend(self.model.predict_proba([a.sentence.text for a in chunk], [a.features() for a in chunk]))
        return rows

    def _judge(self, document: Document, all_claims: list, words: dict | None = None) -> FileResult:
        """One finding per (claim span, claim type): every matched evidence entry judged by
        the rubric, worst first; the finding's verdict is the worst of theirs."""
        groups: dict[tuple[int, int, str], list] = {}
        for claim in all_claims:
            if claim.confidence >= self.min_confidence:
                groups.setdefault((claim.start, claim.end, claim.claim_type), []).append(claim)
        findings: list[Finding] = []
        stale: dict[str, Notice] = {}
        for group in groups.values():
            judged = []  # (judgement, entry), in the evidence base's order
            seen: set[str | None] = set()
            for claim in group:
                entries = self.evidence.match(claim.intervention, claim.claim_type, set(claim.concepts))
                if not entries and claim.sentence_concepts:
                    # A clause that lost its topic to the split: the sentence's concepts say it.
                    entries = self.evidence.match(claim.intervention, claim.claim_type, set(claim.sentence_concepts))
                has_file = self.evidence.has_intervention(claim.intervention)
                for entry in entries or [None]:
                    key = entry.id if entry else None
                    if key not in seen:
                        seen.add(key)
                        judgement = judge(claim, entry, self.lexicon, has_file, self.wording_rules)
                        judgement.suggestion = self._keep_to_the_claim(judgement.suggestion, claim, entry)
                        judged.append((judgement, entry))
            order = sorted(range(len(judged)), key=lambda i: -SEVERITY[judged[i][0].verdict])
            judged = [judged[i] for i in order]
            finding = self._finding(group[0], judged, (words or {}).get((group[0].start, group[0].end)))
            finding.line, finding.column = document.line_col(finding.claim.start)
            finding.end_line, finding.end_column = document.line_col(finding.claim.end)
            for _, entry in judged:
                if entry is not None and entry.is_stale(self.today) and entry.id not in stale:
                    message = (
                        f"evidence {entry.id} was last reviewed {entry.last_reviewed.isoformat()} (over 24 months ago)"
                    )
                    stale[entry.id] = Notice(STALE_EVIDENCE, message, finding.line, finding.column, entry.id)
            findings.append(finding)
        findings.sort(key=lambda f: (f.claim.start, f.claim.end, f.rule, f.claim.claim_type))
        notices = sorted(stale.values(), key=lambda n: (n.line, n.column, n.message))
        return FileResult(
            path=document.path,
            findings=findings,
            notices=notices,
            source=document.source,
            fmt=document.fmt,
        )

    def _finding(self, claim, judged: list, words) -> Finding:
        """The finding for one claim from its judgements, worst first."""
        first, entry = judged[0]
        matches = [
            EvidenceMatch(
                id=e.id,
                topic=e.topic,
                certainty=e.certainty,
                entry_verdict=e.verdict,
                verdict=j.verdict,
                rule=j.rule,
                # Interned: the same reason text recurs across the findings of a large run.
                reasons=[sys.intern(r) for r in j.reasons],
                suggestion=j.suggestion,
                citations=list(e.citations),
            )
            for j, e in judged
            if e is not None
        ]
        reasons = combined_reasons([j.reasons for j, _ in judged], first.verdict)
        highlights = []
        if words is not None:
            concepts = {c for _, e in judged if e is not None for c in (*e.match_all, *e.match_any)}
            highlights = pick(claim, words.words, concepts, reasons, self.lexicon, self._rule_cues, words.to_source)
        return Finding(
            rule=first.rule,
            claim=replace(claim, qualifiers=claim.qualifiers.reported()),  # as reports (and the cache) keep it
            verdict=first.verdict,
            reasons=[sys.intern(r) for r in reasons],
            suggestion=first.suggestion,
            evidence_id=entry.id if entry else None,
            evidence_topic=entry.topic if entry else None,
            certainty=entry.certainty if entry else None,
            citations=list(entry.citations) if entry else [],
            evidence=matches,
            highlights=highlights,
        )


def combined_reasons(blocks: list[list[str]], verdict: str) -> list[str]:
    """Every rubric step of every judgement (worst first), each wording step once, then the
    verdict. One judgement's reasons are returned as they are."""
    if len(blocks) == 1:
        return list(blocks[0])
    out: list[str] = []
    for block in blocks:
        for reason in block:
            if reason.startswith("verdict: "):
                continue
            if reason not in out or " step(s) down: " in reason:
                out.append(reason)
    out.append(f"verdict: {verdict}")
    return out


def _targets(lexicon: Lexicon, doc) -> frozenset[str]:
    """The condition and outcome concepts a parsed text names."""
    from claimcheck.nlp.engine import CONCEPTS_KEY

    kinds = ("condition", "outcome")
    labels = {s.label_ for s in doc.spans[CONCEPTS_KEY]}
    return frozenset(c for c in labels if c in lexicon.concepts and lexicon.concepts[c].kind in kinds)


def _read_each(paths: Iterable[str]) -> Iterator[Document | FileResult]:
    for path in paths:
        try:
            yield read_path(path)
        except InputError as exc:
            yield FileResult(path=path, error=str(exc))
