"""A lint run: which inputs, with which configuration, in how many processes, through the cache.

Why a module of its own: the Checker judges one document and knows nothing of projects.
A run adds what a linter user expects around it -- configuration found per file, folders
walked with include/exclude globs, a content cache, N worker processes, suppression
comments, select/ignore, findings on changed lines only, and a baseline -- and the CLI stays
a thin layer that parses options and prints.

Order of the filters, per file: the Checker's raw result (cached) -> suppression comments
(before select/ignore, so a comment for an ignored rule still counts as used) -> rules
enabled for the file -> min-confidence -> changed lines (--diff-base). The baseline is
applied last, over the whole report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.core.escape import surrogates
from claimcheck.core.fileio import same_file
from claimcheck.core.records import FileResult, Report
from claimcheck.ingest.documents import MAX_BYTES, SUFFIX_FORMATS, format_for
from claimcheck.project.config import Config, ConfigResolver, is_included, rule_enabled

if TYPE_CHECKING:  # the pipeline (spaCy, rules, model) is imported only when a file needs checking
    from claimcheck.ingest.sources import Record
    from claimcheck.pipeline.checker import Checker

CACHE_DIR = Path(".claimcheck_cache")

TASK_FILES = 16  # at most this many files per task handed to a --jobs worker
# --jobs 0 (automatic): worker processes only when a run is large enough to repay them.
AUTO_MIN_FILES = 40
AUTO_MIN_BYTES = 400_000
AUTO_MIN_FILES_PER_JOB = 20
AUTO_MAX_JOBS = 8


@dataclass
class RunOptions:
    """Everything a run needs besides the inputs. Paths are as given on the command line."""

    config: Path | None = None  # --config: one file for every input instead of discovery
    overrides: dict[str, Any] = field(default_factory=dict)  # command-line config values
    use_model: bool | None = None
    model_dir: Path | None = None
    stdin_format: str = "text"
    jobs: int = 0  # 0: automatic (auto_jobs)
    use_cache: bool = True
    cache_dir: Path = CACHE_DIR
    diff_base: str | None = None
    baseline: Path | None = None
    today: dt.date | None = None
    url_timeout: float = 10.0  # seconds to wait for a URL
    # This run's report (-o). Left out of the inputs only when it holds a report claimcheck
    # wrote; a page is never overwritten by its own report: it stays an input and
    # OutputError refuses the run (``output``).
    exclude_paths: tuple[Path, ...] = ()
    allow_private_redirects: bool = False  # follow a URL's redirects to loopback/private addresses
    output: Path | None = None  # the report (or baseline) file: it may not also be an input


class OutputError(Exception):
    """The output file is also one of the inputs; the message is one line naming it."""


@dataclass
class RunResult:
    report: Report
    settings: Config  # the configuration of the working directory: fail-on, format
    cache_hits: int = 0
    baseline_matched: int | None = None
    skipped: list[str] = field(default_factory=list)  # named inputs that are claimcheck's own reports


@dataclass
class _Input:
    """One thing to check, in report order."""

    path: str
    config: Config
    error: str | None = None
    url: bool = False
    record: Record | None = None  # a crawl record (its id is the path)


class Run:
    """Resolves inputs and configuration once; ``execute`` checks them and returns the report."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.resolver = ConfigResolver(options.config, **options.overrides)
        self.today = options.today or dt.date.today()
        self._checkers: dict[tuple[str, ...], Checker] = {}
        self.skipped: list[str] = []  # named files left out: claimcheck's own reports

    # -- inputs ------------------------------------------------------------------------

    def settings(self) -> Config:
        """The configuration that applies to the run as a whole (fail-on, format)."""
        return self.resolver.for_path(Path.cwd())

    def inputs(self, args: list[str]) -> list[_Input]:
        """Files to check, in order: named files as given, folders walked (sorted) through the
        include/exclude globs of each file's own configuration, URLs and "-" as they are,
        ``@FILE`` lists and ``.jsonl`` crawl records (claimcheck.ingest.sources) entry by entry."""
        out: list[_Input] = []
        for raw in args:
            out.extend(self.resolve(raw))
        if self.options.diff_base:
            out = self._changed_only(out)
        return out

    def resolve(self, raw: str, listed: bool = False) -> Iterator[_Input]:
        """The inputs one argument stands for, lazily (a crawl is read a record at a time).
        ``listed``: an entry of a list file, which is never "-" or another list."""
        from claimcheck.ingest.documents import InputError
        from claimcheck.ingest.fetch import is_url
        from claimcheck.ingest.sources import is_list_arg, is_records_file, read_list, read_records

        if raw == "-" and not listed:
            yield _Input("-", self.resolver.for_path(Path.cwd()))
        elif is_url(raw):
            yield _Input(raw, self.resolver.for_path(Path.cwd()), url=True)
        elif is_list_arg(raw) and not listed:
            if raw != "@-":
                self.check_output(raw[1:])
            try:
                for entry in read_list(raw[1:]):
                    yield from self.resolve(entry, listed=True)
            except InputError as exc:
                yield _Input(raw, self.resolver.for_path(Path.cwd()), error=str(exc))
        elif is_records_file(raw) and Path(raw).is_file() and self._own_output(Path(raw), None):
            self.skipped.append(raw)  # a jsonl report claimcheck wrote, not crawl records
        elif is_records_file(raw):
            self.check_output(raw)
            config = self.resolver.for_path(Path(raw))
            for record in read_records(raw):
                yield _Input(record.id, config, record=record)
        else:
            yield from self._expand(raw)

    def _expand(self, raw: str) -> Iterator[_Input]:
        p = Path(raw)
        if p.is_dir():
            found = []
            folders: dict[Path, Path] = {}  # each folder resolved once, not each file in it
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if any(part.startswith(".") for part in rel) or not format_for(str(f)) or not f.is_file():
                    continue
                config = self.resolver.for_path(f)
                if f.is_symlink():
                    resolved = None
                else:
                    if f.parent not in folders:
                        folders[f.parent] = _resolved(str(f.parent))
                    resolved = folders[f.parent] / f.name
                if is_included(config, f, resolved=resolved) and not self._own_output(f, resolved):
                    found.append(_Input(str(f), config))
            if not found:
                known = ", ".join(sorted(SUFFIX_FORMATS))
                yield _Input(raw, self.resolver.for_path(p), error=f"{raw}: no files to check here ({known})")
            yield from found
        elif p.is_file() and self._own_output(p, None):
            self.skipped.append(raw)
        elif p.exists() or p.is_symlink():
            yield _Input(raw, self.resolver.for_path(p))
        else:
            yield _Input(raw, self.resolver.for_path(Path.cwd()), error=f"{raw}: no such file or directory")

    def _own_output(self, path: Path, resolved: Path | None) -> bool:
        """A report or baseline claimcheck wrote (this run's -o file, or one with our marker)."""
        from claimcheck.report import is_report_file

        # This run's -o target is left out only as a report claimcheck wrote (is_report_file);
        # holding anything else it stays an input, and _check_output refuses to overwrite it.
        return is_report_file(path)

    def _changed_only(self, items: list[_Input]) -> list[_Input]:
        from claimcheck.project.gitdiff import changed_files

        changed = {p.resolve() for p in changed_files(self.options.diff_base or "", Path.cwd())}
        return [i for i in items if i.error or i.url or i.record or i.path == "-" or _resolved(i.path) in changed]

    # -- checking ----------------------------------------------------------------------

    def checker(self, config: Config) -> Checker:
        key = _evidence_key(config)
        if key not in self._checkers:
            self._checkers[key] = _new_checker(key, self.options, self.today)
        return self._checkers[key]

    def execute(
        self,
        args: list[str],
        progress: Callable[[int], Any] | None = None,
        on_total: Callable[[int], Any] | None = None,
    ) -> RunResult:
        """Check every input. ``on_total(n)`` is told how many inputs there are once they are
        resolved; ``progress(n)`` is called as files finish (n files at a time)."""
        items = self.inputs(args)
        self._check_output(items)
        if on_total:
            on_total(len(items))
        raw: list[FileResult | None] = [None] * len(items)
        keys: list[str | None] = [None] * len(items)
        cache = None
        if self.options.use_cache:
            from claimcheck.project.cache import ResultCache

            cache = ResultCache(self.options.cache_dir)
        todo: list[int] = []
        hits = 0
        for i, item in enumerate(items):
            if item.error:
                raw[i] = FileResult(path=item.path, error=item.error)
            elif item.url:
                raw[i] = self._check_url(item)
            elif item.path == "-" and item.record is None:
                data = read_stdin()
                if isinstance(data, FileResult):
                    raw[i] = data
                else:
                    raw[i] = self.checker(item.config).check_bytes(data, "<stdin>", self.options.stdin_format)
            else:
                if cache is not None and item.record is None:
                    keys[i] = self._cache_key(item)
                    hit = cache.get(keys[i], item.path) if keys[i] else None
                    if hit is not None:
                        raw[i], hits = hit, hits + 1
                        continue
                todo.append(i)
                continue
            if progress:
                progress(1)
        if hits and progress:
            progress(hits)
        for i, result in zip(todo, self._check_files([items[i] for i in todo], progress), strict=True):
            raw[i] = result
            if cache is not None and keys[i] and not result.error:
                cache.put(keys[i], result)
        report = Report(
            files=[_shown(self._filter(item, result)) for item, result in zip(items, raw, strict=True) if result]
        )
        run = RunResult(report=report, settings=self.settings(), cache_hits=hits, skipped=list(self.skipped))
        if self.options.baseline is not None:
            from claimcheck.project.baseline import filter_new, load_baseline

            prints = load_baseline(self.options.baseline)
            run.baseline_matched = filter_new(report, prints, root=self.options.baseline.resolve().parent)
        return run

    def _check_output(self, items: list[_Input]) -> None:
        """Refuse a report file that is also an input: writing it would replace the page."""
        output = self.options.output
        if output is None:
            return
        for item in items:
            self.check_output(item)

    def check_output(self, item: _Input | str) -> None:
        """OutputError when an input (or a list or crawl file, given by name) is the -o file."""
        output = self.options.output
        if output is None:
            return
        if isinstance(item, _Input):
            if item.error or item.url or item.record is not None or item.path == "-":
                return
            item = item.path
        if same_file(item, output):
            raise OutputError(f"{output}: is also an input ({item}); write the report to another file")

    def _check_url(self, item: _Input) -> FileResult:
        from claimcheck.ingest.sources import check_url

        return check_url(
            self.checker(item.config), item.path, self.options.url_timeout, self.options.allow_private_redirects
        )

    def _check_files(self, items: list[_Input], progress: Callable[[int], Any] | None) -> Iterator[FileResult]:
        """Results in input order: in this process, or in ``jobs`` worker processes."""
        jobs = self.options.jobs if self.options.jobs > 0 else auto_jobs(items)
        jobs = max(1, min(jobs, len(items)))
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        if items and (jobs == 1 or method == "fork"):
            # Build the pipelines here (serially, or for forked workers to inherit) and move
            # everything built so far (spaCy's tables, the lexicon, the model's vocabularies:
            # millions of objects) out of the garbage collector's sight: it stops rescanning
            # them while results pile up, and forked workers stop copying their pages by
            # touching them. Spawned workers build their own, so the parent does not.
            for item in items:
                self.checker(item.config).nlp  # noqa: B018
            gc.freeze()
        if jobs == 1:
            # Runs of files that share a configuration go through ``Checker.check_files``,
            # which batches spaCy and the classifier over many files.
            from claimcheck.ingest.sources import check_sources

            for _, run in groupby(items, key=lambda item: _evidence_key(item.config)):
                group = list(run)
                for result in check_sources(self.checker(group[0].config), [_source(item) for item in group]):
                    if progress:
                        progress(1)
                    yield result
            return
        context = multiprocessing.get_context(method)
        # Each task is a few files with one configuration: enough for the worker to batch
        # them, few enough that the workers stay evenly loaded.
        size = max(1, min(TASK_FILES, len(items) // (jobs * 4)))
        tasks: list[tuple[tuple[str, ...], list[str | Record]]] = []
        for item in items:
            evidence = _evidence_key(item.config)
            if not tasks or tasks[-1][0] != evidence or len(tasks[-1][1]) >= size:
                tasks.append((evidence, []))
            tasks[-1][1].append(_source(item))
        if method == "fork":
            # Workers forked from here inherit the ready Checkers (spaCy, rules, model) and
            # start at once; with "spawn" each builds its own on its first task.
            _WORKER.update(checkers=dict(self._checkers))
        inherit = method == "fork"
        with context.Pool(jobs, initializer=_worker_init, initargs=(self.options, self.today, inherit)) as pool:
            for results in pool.imap(_worker_check, tasks, chunksize=1):
                if progress:
                    progress(len(results))
                yield from results

    def _cache_key(self, item: _Input) -> str | None:
        """sha256 of the file's bytes and of everything that judged them; None: don't cache."""
        from claimcheck.project.cache import ResultCache

        try:
            p = Path(item.path)
            if not p.is_file() or p.stat().st_size > MAX_BYTES:
                return None
            data = p.read_bytes()
        except OSError:
            return None
        return ResultCache(self.options.cache_dir).key(data, self._settings_key(item.config, format_for(item.path)))

    def _settings_key(self, config: Config, fmt: str | None) -> str:
        from claimcheck.knowledge.lexicon import bundled_dir
        from claimcheck.project.cache import digest_files, settings_key

        if not hasattr(self, "_digests"):
            self._digests: dict[tuple[str, ...], str] = {}
            rules = bundled_dir("rules")
            checker_model = self._model_folder()
            # The code too, not only the version: an edited rubric must not serve old verdicts.
            code = sorted(Path(__file__).resolve().parents[1].rglob("*.py"))
            self._base_digest = digest_files([*code, rules] + ([checker_model] if checker_model else []))
        evidence = _evidence_key(config)
        if evidence not in self._digests:
            self._digests[evidence] = digest_files([Path(p) for p in evidence])
        return settings_key(
            fmt=fmt,
            today=self.today.isoformat(),  # stale-evidence notices depend on the date
            model=self.options.use_model,
            base=self._base_digest,
            evidence=self._digests[evidence],
        )

    def _model_folder(self) -> Path | None:
        from claimcheck.knowledge.lexicon import bundled_dir

        if self.options.use_model is False:
            return None
        return Path(self.options.model_dir) if self.options.model_dir else bundled_dir("models")

    # -- filters -----------------------------------------------------------------------

    def _filter(self, item: _Input, result: FileResult) -> FileResult:
        if result.error:
            return result
        config = item.config
        findings, notices = list(result.findings), list(result.notices)
        if result.source is not None and "claimcheck-" in result.source:
            from claimcheck.project.suppressions import apply_suppressions

            findings, comment_notices = apply_suppressions(result.path, result.source, findings, result.fmt)
            notices = sorted([*notices, *comment_notices], key=lambda n: (n.line, n.column, n.rule))
        findings = [
            f
            for f in findings
            if rule_enabled(config, f.rule, result.path) and f.claim.confidence >= config.min_confidence
        ]
        notices = [n for n in notices if rule_enabled(config, n.rule, result.path)]
        if self.options.diff_base and not item.url and item.record is None and item.path != "-":
            from claimcheck.project.gitdiff import changed_lines

            lines = changed_lines(self.options.diff_base, _resolved(item.path), Path.cwd())
            findings = [f for f in findings if any(n in lines for n in range(f.line, (f.end_line or f.line) + 1))]
        return FileResult(
            path=result.path, findings=findings, notices=notices, source=result.source, fmt=result.fmt, url=result.url
        )


def _source(item: _Input) -> str | Record:
    """What a worker checks for an input: its path, or the crawl record itself."""
    return item.record if item.record is not None else item.path


def read_stdin() -> bytes | FileResult:
    """Standard input, capped like a file (never read whole): its bytes, or an error result."""
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES:,}"
        return FileResult(path="<stdin>", error=f"<stdin>: input too large (over {limit} bytes; the limit is {limit})")
    return data


def _shown(result: FileResult) -> FileResult:
    """A result as reported: a file name that is not UTF-8 (and any message quoting it) has its
    undecodable bytes shown as \\xNN, since no report format can carry them raw."""
    result.path = surrogates(result.path)
    if result.error:
        result.error = surrogates(result.error)
    for notice in result.notices:
        notice.message = surrogates(notice.message)
    return result


def _evidence_key(config: Config) -> tuple[str, ...]:
    """Files whose configurations name the same evidence folders share one Checker."""
    return tuple(str(p) for p in config.evidence)


def _resolved(path: str) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))


def _new_checker(evidence: tuple[str, ...], options: RunOptions, today: dt.date) -> Checker:
    from claimcheck.pipeline.checker import Checker

    return Checker(
        evidence_dirs=[Path(p) for p in evidence],
        today=today,
        use_model=options.use_model,
        model_dir=options.model_dir,
    )


# -- worker processes: each builds its Checkers once and checks many files ------------------

_WORKER: dict[str, Any] = {}


def _worker_init(options: RunOptions, today: dt.date, inherit: bool = False) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    checkers = _WORKER.get("checkers", {}) if inherit else {}
    _WORKER.clear()
    _WORKER.update(options=options, today=today, checkers=checkers)


def auto_jobs(items: list) -> int:
    """How many processes ``--jobs 0`` (the default) uses: one per available core, at most
    ``AUTO_MAX_JOBS``, and only for runs large enough to repay starting them (at least
    ``AUTO_MIN_FILES`` files and ``AUTO_MIN_BYTES`` of text); otherwise one."""
    if len(items) < AUTO_MIN_FILES:
        return 1
    total = 0
    for item in items:
        record = getattr(item, "record", None)
        if record is not None:
            total += len(record.text or "")
            continue
        with contextlib.suppress(OSError):
            total += os.stat(item.path).st_size
    if total < AUTO_MIN_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, AUTO_MAX_JOBS, len(items) // AUTO_MIN_FILES_PER_JOB))


def _worker_check(task: tuple[tuple[str, ...], list[str | Record]]) -> list[FileResult]:
    from claimcheck.ingest.sources import check_sources

    evidence, sources = task
    checkers = _WORKER["checkers"]
    if evidence not in checkers:
        checkers[evidence] = _new_checker(evidence, _WORKER["options"], _WORKER["today"])
    return list(check_sources(checkers[evidence], sources))
