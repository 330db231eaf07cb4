"""A lint run: which inputs, with which configuration, in how many processes, through the cache.

Why a module of its own: the Checker judges one document and knows nothing of projects.
A run adds what a linter user expects around it -- configuration found per file, folders
walked with include/exclude globs, a content cache, N worker processes, suppression
comments, select/ignore, findings on changed lines only, and a baseline -- and the CLI stays
a thin layer that parses options and prints.

The parts live in their own modules: which inputs (claimcheck.ingest.discovery), cache keys
(cache_keys), worker processes (parallel) and the filters between a result and the report
(filters); this module puts them in order.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.core import collector
from claimcheck.core.fileio import same_file
from claimcheck.core.records import FileResult, Report
from claimcheck.ingest.discovery import Input, Kind, discover, read_stdin, resolved_path
from claimcheck.ingest.own_reports import is_report_file
from claimcheck.project.config import Config, ConfigResolver, is_included
from claimcheck.project.filters import apply_baseline, filter_result, shown
from claimcheck.project.parallel import auto_jobs, check_in_processes, plan_tasks, start_method

if TYPE_CHECKING:  # the pipeline (spaCy, rules, model) is imported only when a file needs checking
    from claimcheck.ingest.sources import Record
    from claimcheck.pipeline.checker import Checker
    from claimcheck.project.cache_keys import CacheKeys

CACHE_DIR = Path(".claimcheck_cache")


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
    # Freeze the collector once the pipelines are built (claimcheck.core.collector): for the
    # command line, which owns its process; never for an API caller's process.
    freeze_gc: bool = False


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
        self._keys: CacheKeys | None = None

    # -- inputs ------------------------------------------------------------------------

    def settings(self) -> Config:
        """The configuration that applies to the run as a whole (fail-on, format)."""
        return self.resolver.for_path(Path.cwd())

    def inputs(self, args: list[str]) -> list[_Input]:
        """Files to check, in order (claimcheck.ingest.discovery), each with its own
        configuration; a folder's files through that configuration's include/exclude globs."""
        out: list[_Input] = []
        for raw in args:
            out.extend(self.resolve(raw))
        if self.options.diff_base:
            out = self._changed_only(out)
        return out

    def resolve(self, raw: str) -> Iterator[_Input]:
        """The inputs one argument stands for, lazily (a crawl is read a record at a time).
        Named reports claimcheck wrote are left out and listed in ``skipped``."""
        for found in discover([raw], keep=self._included, is_own_report=is_report_file, on_open=self.check_output):
            if found.kind is Kind.SKIPPED:
                self.skipped.append(found.path)
            else:
                yield self._input(found)

    def _input(self, found: Input) -> _Input:
        config = self.resolver.for_path(found.where if found.where is not None else Path.cwd())
        return _Input(found.path, config, error=found.error, url=found.kind is Kind.URL, record=found.record)

    def _included(self, path: Path, resolved: Path | None) -> bool:
        return is_included(self.resolver.for_path(path), path, resolved=resolved)

    def _changed_only(self, items: list[_Input]) -> list[_Input]:
        from claimcheck.project.gitdiff import changed_files

        changed = {p.resolve() for p in changed_files(self.options.diff_base or "", Path.cwd())}
        return [i for i in items if i.error or i.url or i.record or i.path == "-" or resolved_path(i.path) in changed]

    # -- checking ----------------------------------------------------------------------

    def checker(self, config: Config) -> Checker:
        key = _evidence_key(config)
        if key not in self._checkers:
            self._checkers[key] = _new_checker(self.options, self.today, key)
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
            if item.error or item.url or (item.path == "-" and item.record is None):
                raw[i] = self._check_one(item)
                if progress:
                    progress(1)
                continue
            if cache is not None and item.record is None:
                keys[i] = self.cache_keys().for_file(item.path, _evidence_key(item.config))
                hit = cache.get(keys[i], item.path) if keys[i] else None
                if hit is not None:
                    raw[i], hits = hit, hits + 1
                    continue
            todo.append(i)
        if hits and progress:
            progress(hits)
        for i, result in zip(todo, self._check_files([items[i] for i in todo], progress), strict=True):
            raw[i] = result
            if cache is not None and keys[i] and not result.error:
                cache.put(keys[i], result)
        report = Report(
            files=[shown(self._filter(item, result)) for item, result in zip(items, raw, strict=True) if result]
        )
        run = RunResult(report=report, settings=self.settings(), cache_hits=hits, skipped=list(self.skipped))
        if self.options.baseline is not None:
            run.baseline_matched = apply_baseline(report, self.options.baseline)
        return run

    def cache_keys(self) -> CacheKeys:
        if self._keys is None:
            from claimcheck.project.cache_keys import CacheKeys

            self._keys = CacheKeys(self.today, self.options.use_model, self.options.model_dir)
        return self._keys

    def _check_one(self, item: _Input) -> FileResult:
        """An input checked on its own, never cached: an error, a URL or standard input."""
        if item.error:
            return FileResult(path=item.path, error=item.error)
        if item.url:
            from claimcheck.ingest.sources import check_url

            checker = self.checker(item.config)
            return check_url(checker, item.path, self.options.url_timeout, self.options.allow_private_redirects)
        data = read_stdin()
        if isinstance(data, FileResult):
            return data
        return self.checker(item.config).check_bytes(data, "<stdin>", self.options.stdin_format)

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

    def _check_files(self, items: list[_Input], progress: Callable[[int], Any] | None) -> Iterator[FileResult]:
        """Results in input order: in this process, or in ``jobs`` worker processes
        (claimcheck.project.parallel)."""
        jobs = self.options.jobs if self.options.jobs > 0 else auto_jobs(items)
        jobs = max(1, min(jobs, len(items)))
        if items and (jobs == 1 or start_method() == "fork"):
            # Build the pipelines here (serially, or for forked workers to inherit); the
            # command line then freezes them out of the collector's sight (core.collector).
            for item in items:
                self.checker(item.config).nlp  # noqa: B018
            if self.options.freeze_gc:
                collector.freeze_once()
        if jobs == 1:
            yield from self._check_here(items, progress)
            return
        tasks = plan_tasks([(_evidence_key(item.config), _source(item)) for item in items], jobs)
        new_checker = functools.partial(_new_checker, self.options, self.today)
        yield from check_in_processes(tasks, jobs, new_checker, self._checkers, progress)

    def _check_here(self, items: list[_Input], progress: Callable[[int], Any] | None) -> Iterator[FileResult]:
        """Runs of files that share a configuration go through ``check_sources``, which
        batches spaCy and the classifier over many files."""
        from claimcheck.ingest.sources import check_sources

        for _, run in groupby(items, key=lambda item: _evidence_key(item.config)):
            group = list(run)
            for result in check_sources(self.checker(group[0].config), [_source(item) for item in group]):
                if progress:
                    progress(1)
                yield result

    # -- filters (claimcheck.project.filters) --------------------------------------------

    def _filter(self, item: _Input, result: FileResult) -> FileResult:
        changed = None
        if self.options.diff_base and not result.error and not item.url and item.record is None and item.path != "-":
            from claimcheck.project.gitdiff import changed_lines

            changed = changed_lines(self.options.diff_base, resolved_path(item.path), Path.cwd())
        return filter_result(result, item.config, changed)


def _source(item: _Input) -> str | Record:
    """What a worker checks for an input: its path, or the crawl record itself."""
    return item.record if item.record is not None else item.path


def _evidence_key(config: Config) -> tuple[str, ...]:
    """Files whose configurations name the same evidence folders share one Checker."""
    return tuple(str(p) for p in config.evidence)


def _new_checker(options: RunOptions, today: dt.date, evidence: tuple[str, ...]) -> Checker:
    from claimcheck.pipeline.checker import Checker

    return Checker(
        evidence_dirs=[Path(p) for p in evidence],
        today=today,
        use_model=options.use_model,
        model_dir=options.model_dir,
    )
