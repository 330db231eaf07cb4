"""Check on a Dask cluster: ``claimcheck check PATHS --scheduler tcp://HOST:8786`` (or
``--scheduler local:N``), and from Python::

    from dask.distributed import Client
    from claimcheck.project.distributed import check

    with Client("tcp://scheduler:8786") as client:
        for result in check(["crawl.jsonl"], client):
            ...

Why Dask: a Checker is a pure function of (document, rules, evidence, model), so checking
more pages than one machine can is mapping it over them on a cluster the user already runs.
Dask schedules, moves data and reruns lost work; claimcheck only cuts the run into tasks
and puts the results back in order. ``pip install "claimcheck[dask]"`` adds it; nothing
else in claimcheck imports it.

Three modules: this one (the command line's ``DaskRun``, the Python API, connecting),
claimcheck.project.dask_engine (tasks in a bounded window, results in order, faults) and
claimcheck.project.dask_worker (what travels to the workers and the task they run). How a run goes:

- The client (the machine running claimcheck) resolves the inputs as a local run does,
  lazily: folders, ``@FILE`` lists, ``.jsonl`` crawl records (claimcheck.ingest.sources), URLs.
  Consecutive inputs that share a configuration are grouped into tasks of up to
  ``TASK_MAX`` inputs (fewer for a small run, so every worker gets some).
- Files are read by the workers, at their absolute path: workers must see the client's
  files at the same paths (a shared filesystem). URLs are fetched by the workers. Crawl
  records and standard input are sent by the client.
- Each worker process builds its Checker once per settings and keeps it (a per-process
  cache, ``_worker_checker``), never per task. The settings travel once per run as a task
  of their own: the evidence folders' and a custom model folder's files, the date, the
  options. Before the first task every worker is asked for its build (version, code,
  rules, bundled model), and a worker that joins later checks it at its first task: a
  worker that differs, or cannot load claimcheck, stops the run with one line.
- At most ``WINDOW_PER_THREAD`` tasks per worker thread are in flight; results come back
  as they finish and are handed on in input order, so the client's memory stays flat
  however many pages there are.
- Faults: Dask reruns the tasks of a worker that dies. A task that fails anyway (it raised,
  or its workers kept dying) is split and its inputs checked one by one, so only the input
  at fault gets an error. Ctrl-C (KeyboardInterrupt) cancels every task of the run.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.core.errors import SchedulerError
from claimcheck.core.records import FileResult, Report
from claimcheck.ingest.discovery import read_stdin
from claimcheck.ingest.sources import Record, is_list_arg, is_records_file
from claimcheck.project.dask_engine import Engine
from claimcheck.project.dask_worker import Fetch, File, Item, Settings, Stdin, make_settings
from claimcheck.project.filters import apply_baseline, shown
from claimcheck.project.runner import Run, RunOptions, RunResult, _evidence_key, _Input

if TYPE_CHECKING:
    from distributed import Client

    from claimcheck.project.config import Config

INSTALL_HINT = 'pip install "claimcheck[dask]"'
MESSAGE_LOG = 16  # message batches each Dask connection of the command line keeps (Dask's default: 1,000)


# -- connecting ---------------------------------------------------------------------------

_LOCAL = re.compile(r"local(?::(\d+))?")


def parse_scheduler(spec: str) -> str | int:
    """``local:N`` (N worker processes here; ``local``: one per core) -> N; a Dask address
    (``tcp://host:8786``, ``tls://...``, ``host:8786``) -> itself; else SchedulerError."""
    m = _LOCAL.fullmatch(spec.strip())
    if m:
        n = int(m.group(1)) if m.group(1) else _cores()
        if n < 1:
            raise SchedulerError(f"--scheduler {spec}: local needs at least 1 worker")
        return n
    if re.fullmatch(r"(?:[a-z][a-z0-9+.-]*://)?[^\s/:]+(?::\d+)?/?|[a-z]+://\S+", spec.strip()):
        return spec.strip()
    raise SchedulerError(f"--scheduler {spec}: expected a Dask scheduler address (tcp://HOST:8786) or local:N")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def require_dask() -> None:
    """SchedulerError (one line, with what to install) when Dask is not installed."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise SchedulerError(f"--scheduler needs Dask, which is not installed: {INSTALL_HINT}") from None


@contextmanager
def connect(spec: str | int, quiet: bool = True) -> Iterator[Client]:
    """A client of the scheduler at ``spec`` (an address), or of a new LocalCluster of ``spec``
    worker processes (one thread each: checking is Python-bound), closed on the way out.
    ``quiet``: Dask logs nothing below CRITICAL (the command line prints its own errors)."""
    require_dask()
    import dask

    if quiet:
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
    # Each of Dask's connections keeps its last `low-level-log-length` (1,000) message batches
    # for debugging: here, the pages of as many tasks. A few are enough.
    with dask.config.set({"distributed.admin.low-level-log-length": MESSAGE_LOG}), _connect(spec, quiet) as client:
        yield client


@contextmanager
def _connect(spec: str | int, quiet: bool) -> Iterator[Client]:
    import dask
    from distributed import Client, LocalCluster

    if not isinstance(spec, int):
        try:
            client = Client(spec)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"--scheduler {spec}: cannot connect ({' '.join(str(exc).split())})") from None
        try:
            yield client
        finally:
            with _no_interrupts():
                client.close()
        return
    # Ctrl-C at a terminal reaches the whole process group. Workers started while it is
    # ignored keep ignoring it (and restarted ones ignore it from their preload), so only
    # this process acts on it: it cancels the run and closes the cluster, uninterrupted.
    # The workers' statistical profiler (a sample of every thread's stack every 10 ms) only
    # feeds the dashboard, which this cluster does not have.
    with _no_interrupts(), dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(
            n_workers=spec,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,  # no dashboard; its HTTP server on any free port, not 8787
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.CRITICAL if quiet else logging.WARNING,
            preload=["claimcheck.project.dask_worker"],
        )
        try:
            client = Client(cluster)
        except BaseException:
            cluster.close()
            raise
    try:
        yield client
    finally:
        with _no_interrupts():
            client.close()
            cluster.close()


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """SIGINT ignored for the block (main thread only; a Ctrl-C in it is lost)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# -- the command line: a Run whose files are checked on the cluster --------------------------


class DaskRun(Run):
    """A Run (configuration, inputs, filters, baseline: the same as a local run) whose inputs
    are checked on a Dask cluster. The result cache is not used."""

    def __init__(self, options: RunOptions, scheduler: str) -> None:
        if options.jobs:
            raise SchedulerError("--jobs and --scheduler: give one (--scheduler runs on the cluster's workers)")
        super().__init__(options)
        self.scheduler = parse_scheduler(scheduler)
        require_dask()
        self._settings: dict[tuple[str, ...], Settings] = {}

    def settings_for(self, config: Config) -> Settings:
        key = _evidence_key(config)
        if key not in self._settings:
            self.checker(config)  # built here without spaCy: broken evidence stops the run as locally
            self._settings[key] = make_settings(
                evidence=key,
                use_model=self.options.use_model,
                model_dir=self.options.model_dir,
                today=self.today,
                url_timeout=self.options.url_timeout,
                stdin_format=self.options.stdin_format,
                allow_private_redirects=self.options.allow_private_redirects,
            )
        return self._settings[key]

    def work(self, items: Iterable[_Input]) -> Iterator[tuple[_Input, Settings | None, Item | FileResult]]:
        for item in items:
            if item.error:
                yield item, None, FileResult(path=item.path, error=item.error)
            elif item.url:
                yield item, self.settings_for(item.config), Fetch(item.path)
            elif item.record is not None:
                yield item, self.settings_for(item.config), item.record
            elif item.path == "-":
                data = read_stdin()
                yield item, self.settings_for(item.config), data if isinstance(data, FileResult) else Stdin(data)
            else:
                yield item, self.settings_for(item.config), File(item.path, os.path.abspath(item.path))

    def stream(
        self,
        args: list[str],
        progress: Callable[[int], Any] | None = None,
        on_total: Callable[[int], Any] | None = None,
    ) -> Iterator[FileResult]:
        """Each input's result, filtered as a local run filters it (suppressions, select and
        ignore, min-confidence, changed lines; not the baseline) and shown as it shows it (file
        names that are not UTF-8), in input order, as it arrives. An input that is also the -o
        file stops the run (OutputError) before any page when the inputs are listed up front,
        else when it is reached (a streamed report is written to a temporary file, left out)."""
        if self.options.diff_base or (on_total and not any(is_list_arg(a) or is_records_file(a) for a in args)):
            items: Iterable[_Input] = self.inputs(args)  # a known number of inputs (no crawl to stream)
            self._check_output(items)  # type: ignore[arg-type]
            if on_total:
                on_total(len(items))  # type: ignore[arg-type]
        else:
            items = (item for raw in args for item in self.resolve(raw))
        with connect(self.scheduler) as client:
            for item, result in Engine(client).results(self.work(self._checked(items)), progress):
                yield shown(self._filter(item, result))

    def _checked(self, items: Iterable[_Input]) -> Iterator[_Input]:
        for item in items:
            self.check_output(item)
            yield item

    def execute(
        self,
        args: list[str],
        progress: Callable[[int], Any] | None = None,
        on_total: Callable[[int], Any] | None = None,
    ) -> RunResult:
        files = list(self.stream(args, progress, on_total))
        run = RunResult(report=Report(files=files), settings=self.settings(), skipped=list(self.skipped))
        if self.options.baseline is not None:
            run.baseline_matched = apply_baseline(run.report, self.options.baseline)
        return run


@dataclass
class Streamed:
    """What ``write_jsonl`` wrote: for the exit code and the messages."""

    files: int = 0
    errors: int = 0
    worst: int = -1  # records.SEVERITY of the worst finding written (-1: none)
    by_verdict: Counter[str] = field(default_factory=Counter)
    baseline_matched: int | None = None

    @property
    def findings(self) -> int:
        return sum(self.by_verdict.values())

    def counts_line(self) -> str:
        """As report.markdown.counts_line says it of a whole report."""
        counts = ", ".join(f"{self.by_verdict[v]} {v}" for v in ("unsupported", "mixed", "supported"))
        errors = f", {self.errors} file(s) with errors" if self.errors else ""
        return f"{self.findings} claim finding(s) in {self.files - self.errors} file(s): {counts}{errors}"


def write_jsonl(run: DaskRun, args: list[str], output: Path | None, on_error: Callable[[str], Any] = print) -> Streamed:
    """``--scheduler`` with ``--format jsonl``: each input's line is written as its result
    arrives, in input order, and nothing is kept, so memory stays flat however many pages
    there are. ``output``: a temporary file beside it, renamed at the end (an interrupted
    run leaves none); None: standard output. The baseline is applied as results pass
    (baseline.filter_result); ``on_error`` gets each input's error line as it comes."""
    from claimcheck.core.fileio import write_atomic
    from claimcheck.core.records import worst
    from claimcheck.project.baseline import filter_result, load_baseline
    from claimcheck.report.json_report import jsonl_line

    baseline = run.options.baseline
    remaining = Counter(load_baseline(baseline)) if baseline is not None else None
    root = baseline.resolve().parent if baseline is not None else None
    seen = Streamed(baseline_matched=0 if baseline is not None else None)

    def lines() -> Iterator[str]:
        for result in run.stream(args):
            if remaining is not None:
                seen.baseline_matched = (seen.baseline_matched or 0) + filter_result(result, remaining, root)
            seen.files += 1
            if result.error:
                on_error(result.error)
                seen.errors += 1
            seen.worst = max(seen.worst, worst(result.findings))
            seen.by_verdict.update(f.verdict for f in result.findings)
            yield jsonl_line(result)

    if output is not None:
        write_atomic(output, lines())
    else:
        sys.stdout.writelines(lines())
    return seen


def stream_report(
    run: DaskRun,
    args: list[str],
    output: Path | None,
    *,
    fail_level: int,
    error: Callable[[str], Any],
    note: Callable[[str], Any],
) -> int:
    """The command line's ``--scheduler`` with ``--format jsonl`` (``write_jsonl``) and its
    messages, as a local run gives them; returns the exit code. ``fail_level``: the SEVERITY
    at which findings fail the run; ``error``/``note``: one line each to standard error
    (escaped there, as every message quoting a file name or URL is)."""
    try:
        streamed = write_jsonl(run, args, output, on_error=error)
    except OSError as exc:
        error(f"{output}: cannot write ({exc.strerror or exc})")
        return 2
    for skipped in run.skipped:
        note(f"claimcheck: skipped {skipped}: a report or baseline written by claimcheck")
    if streamed.baseline_matched is not None:
        note(
            f"claimcheck: baseline {run.options.baseline}: {streamed.baseline_matched} known finding(s) matched, "
            f"{streamed.findings} new"
        )
    if output is not None:
        note(f"claimcheck: wrote {output} (jsonl report: {streamed.counts_line()})")
    if streamed.errors:
        return 2
    return 1 if streamed.worst >= fail_level else 0


# -- the Python API --------------------------------------------------------------------------


def check(
    inputs: Iterable[str | Record],
    client: Client,
    *,
    evidence: Iterable[str | Path] = (),
    use_model: bool | None = None,
    model_dir: str | Path | None = None,
    today: dt.date | None = None,
    min_confidence: float = 0.0,
    url_timeout: float = 10.0,
    progress: Callable[[int], Any] | None = None,
) -> Iterator[FileResult]:
    """Check inputs on the cluster behind ``client``: for each input, what
    ``Checker(evidence, ...)`` gives for it on this machine, in input order, as results arrive.

    inputs: paths of files and folders (walked as ``Checker.check_paths`` walks them), URLs,
    ``.jsonl`` crawl files, ``@FILE`` lists, or ``Record`` objects. No configuration files
    are read (as with ``Checker``). Broken evidence raises SchemaError at the first result.
    Closing the generator early cancels the run's remaining tasks."""
    from claimcheck.pipeline.checker import Checker

    evidence = list(evidence)
    Checker(evidence_dirs=evidence, use_model=use_model, model_dir=model_dir, today=today)  # errors raise here
    settings = make_settings(evidence, use_model, model_dir, today, min_confidence, url_timeout)
    work = ((None, s, item) for s, item in _api_items(inputs, settings))
    for _, result in Engine(client).results(work, progress):
        yield result


def _api_items(inputs: Iterable[str | Record], settings: Settings) -> Iterator[tuple]:
    """(settings, item) to check, or (None, error result), for each input in order: strings
    as ``claimcheck.ingest.discovery`` reads them (as ``Checker.check_paths`` does)."""
    from claimcheck.ingest.discovery import Kind, discover
    from claimcheck.ingest.own_reports import is_report_file

    for raw in inputs:
        if isinstance(raw, Record):
            yield settings, raw
            continue
        for found in discover([raw], is_own_report=is_report_file):
            if found.kind is Kind.SKIPPED:
                continue  # a report or baseline claimcheck wrote, as Checker.check_paths leaves out
            if found.kind is Kind.ERROR:
                yield None, FileResult(path=found.path, error=found.error)
            elif found.kind is Kind.STDIN:
                data = read_stdin()
                yield (None, data) if isinstance(data, FileResult) else (settings, Stdin(data))
            elif found.kind is Kind.URL:
                yield settings, Fetch(found.path)
            elif found.kind is Kind.RECORD:
                yield settings, found.record
            else:
                yield settings, File(found.path, os.path.abspath(found.path))
