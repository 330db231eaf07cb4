"""Check on a Dask cluster: ``claimcheck check PATHS --scheduler tcp://HOST:8786`` (or
``--scheduler local:N``), and from Python::

    from dask.distributed import Client
    from claimcheck.distributed import check

    with Client("tcp://scheduler:8786") as client:
        for result in check(["crawl.jsonl"], client):
            ...

Why Dask: a Checker is a pure function of (document, rules, evidence, model), so checking
more pages than one machine can is mapping it over them on a cluster the user already runs.
Dask schedules, moves data and reruns lost work; claimcheck only cuts the run into tasks
and puts the results back in order. ``pip install "claimcheck[dask]"`` adds it; nothing
else in claimcheck imports it.

How a run goes:

- The client (the machine running claimcheck) resolves the inputs as a local run does,
  lazily: folders, ``@FILE`` lists, ``.jsonl`` crawl records (claimcheck.sources), URLs.
  Consecutive inputs that share a configuration are grouped into tasks of up to
  ``TASK_MAX`` inputs (fewer for a small run, so every worker gets some).
- Files are read by the workers, at their absolute path: workers must see the client's
  files at the same paths (a shared filesystem). URLs are fetched by the workers. Crawl
  records and standard input are sent by the client.
- Each worker process builds its Checker once per settings and keeps it (a per-process
  cache, ``_worker_checker``), never per task. The settings travel once per run as a task
  of their own: the evidence folders' and a custom model folder's files, the date, the
  options. A worker checks first that it runs the same claimcheck (code, rules, bundled
  model) as the client; otherwise the run stops with one line saying so.
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
import math
import os
import re
import sys
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.dask_worker import (
    Fetch,
    File,
    Item,
    Settings,
    Stdin,
    WorkerSetupError,
    _check_task,
    _settings_value,
    different_build,
    make_settings,
    worker_build,
)
from claimcheck.errors import SchedulerError
from claimcheck.records import FileResult, Report
from claimcheck.runner import Run, RunOptions, RunResult, _evidence_key, _Input
from claimcheck.sources import Record, is_list_arg, is_records_file

if TYPE_CHECKING:
    from distributed import Client, Future

    from claimcheck.config import Config

INSTALL_HINT = 'pip install "claimcheck[dask]"'
TASK_MAX = 64  # inputs per task, at most: about a second of work, far above Dask's per-task cost
TASK_CHARS = 4_000_000  # ... and at most this much record text
SPREAD = 4  # a small run is cut into about this many tasks per worker thread
WINDOW_PER_THREAD = 2  # tasks in flight (or finished, waiting for their turn) per worker thread
MESSAGE_LOG = 16  # message batches each Dask connection of the command line keeps (Dask's default: 1,000)


# -- on the client: tasks in a bounded window, results in input order ------------------------


@dataclass
class _Slot:
    """One task's inputs and their results, in input order."""

    tags: list[Any]
    results: list[FileResult | None]
    missing: int


def _name(item: Item) -> str:
    if isinstance(item, File):
        return item.path
    if isinstance(item, Record):
        return item.id
    if isinstance(item, Fetch):
        return item.url
    return "<stdin>"


def _killed(exc: BaseException | None) -> bool:
    return type(exc).__name__ == "KilledWorker"


def _describe(exc: BaseException | None) -> str:
    if _killed(exc):
        return "the workers checking it died (too large? see the workers' logs)"
    return " ".join(f"{type(exc).__name__}: {exc}".split())


class _Engine:
    """Submits tasks to the cluster and hands their results back in input order."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.run_id = uuid.uuid4().hex[:12]
        self.count = 0
        self.settings: dict[str, Future] = {}
        self.futures: dict[Future, tuple[_Slot, int, Settings, list[Item]]] = {}
        from distributed import as_completed

        self.done = as_completed()

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def _preflight(self, settings: Settings) -> None:
        """Every worker there now can load claimcheck and runs this machine's build (one that
        joins later is checked at its first task): otherwise one line, before any page."""
        bundled = settings.model is None and settings.use_model is not False
        try:
            builds = self.client.run(worker_build, bundled)
        except Exception as exc:
            raise SchedulerError(
                f"the workers cannot run claimcheck ({_describe(exc)}); install the same claimcheck on them "
                "(docs/distributed.md)"
            ) from None
        for address, build in sorted(builds.items()):
            if build != settings.build:
                raise SchedulerError(different_build(f"worker {address}"))

    def _submit(self, slot: _Slot, offset: int, settings: Settings, items: list[Item]) -> None:
        if settings.key not in self.settings:
            self._preflight(settings)
            # A task, not scattered data: if the workers holding it die, Dask recomputes it.
            self.settings[settings.key] = self.client.submit(
                _settings_value, settings, key=f"claimcheck-settings-{self.run_id}-{settings.key[:16]}"
            )
        self.count += 1
        future = self.client.submit(
            _check_task, self.settings[settings.key], items, key=f"claimcheck-check-{self.run_id}-{self.count}"
        )
        self.futures[future] = (slot, offset, settings, items)
        self.done.add(future)

    def _collect(self, future: Future) -> None:
        slot, offset, settings, items = self.futures.pop(future)
        if future.status not in ("finished", "error"):
            raise SchedulerError("the cluster cancelled this run's tasks (was the scheduler restarted or lost?)")
        try:
            results = future.result()
        except WorkerSetupError as exc:
            raise SchedulerError(str(exc)) from None
        except Exception as exc:
            setup = self.settings.get(settings.key)
            if isinstance(exc, ImportError) or (setup is not None and setup.status == "error"):
                # Not this page: the workers cannot even load claimcheck (or its settings).
                cause = exc if setup is None or setup.status != "error" else setup.exception()
                detail = "the workers given claimcheck's first task died" if _killed(cause) else _describe(cause)
                raise SchedulerError(
                    f"the workers cannot run claimcheck ({detail}); install the same claimcheck on them "
                    "(docs/distributed.md)"
                ) from None
            if len(items) > 1:  # check them one by one: only the input at fault gets the error
                for i, item in enumerate(items):
                    self._submit(slot, offset + i, settings, [item])
                return
            name = _name(items[0])
            results = [FileResult(path=name, error=f"{name}: could not be checked ({_describe(exc)})")]
        for i, result in enumerate(results):
            slot.results[offset + i] = result
        slot.missing -= len(results)

    def results(
        self,
        work: Iterator[tuple[Any, Settings | None, Item | FileResult]],
        progress: Callable[[int], Any] | None = None,
    ) -> Iterator[tuple[Any, FileResult]]:
        """(tag, result) for each (tag, settings, item) of work, in order. An item that is
        already a FileResult (an input error found on the client) passes through in place."""
        threads = self.threads()
        ahead = list(islice(work, TASK_MAX * threads * SPREAD))
        size = TASK_MAX if len(ahead) == TASK_MAX * threads * SPREAD else math.ceil(len(ahead) / (threads * SPREAD))
        groups = _group(chain(iter(ahead), work), max(1, size))  # the list is let go once consumed
        del ahead
        queue: deque[_Slot] = deque()
        exhausted, submitted = False, 0
        try:
            while True:
                while not exhausted and len(queue) < WINDOW_PER_THREAD * threads + 2:
                    group = next(groups, None)
                    if group is None:
                        exhausted = True
                        break
                    settings, tags, items = group
                    slot = _Slot(tags, [None] * len(items), len(items))
                    if settings is None:
                        slot.results, slot.missing = list(items), 0  # type: ignore[arg-type]
                    else:
                        self._submit(slot, 0, settings, items)  # type: ignore[arg-type]
                        submitted += 1
                        if submitted % 64 == 0:
                            threads = self.threads()  # workers come and go
                    queue.append(slot)
                if not queue:
                    return
                if queue[0].missing == 0:
                    slot = queue.popleft()
                    if progress:
                        progress(len(slot.results))
                    yield from zip(slot.tags, slot.results, strict=True)  # type: ignore[misc]
                    continue
                self._collect(next(self.done))
        finally:
            outstanding = [*self.futures, *self.settings.values()]
            self.futures.clear()
            self.settings.clear()
            if outstanding:
                with suppress(Exception):
                    self.client.cancel(outstanding)


def _group(
    work: Iterator[tuple[Any, Settings | None, Item | FileResult]], size: int
) -> Iterator[tuple[Settings | None, list[Any], list[Item | FileResult]]]:
    """Consecutive work with the same settings, up to ``size`` items (and TASK_CHARS of text)."""
    settings: Settings | None = None
    tags: list[Any] = []
    items: list[Item | FileResult] = []
    chars = 0
    for tag, these, item in work:
        key = None if these is None else these.key
        if items and (key != (None if settings is None else settings.key) or len(items) >= size or chars >= TASK_CHARS):
            yield settings, tags, items
            tags, items, chars = [], [], 0
        settings = these
        tags.append(tag)
        items.append(item)
        if isinstance(item, Record) and isinstance(item.text, str):
            chars += len(item.text)
    if items:
        yield settings, tags, items


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
            preload=["claimcheck.dask_worker"],
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
                yield item, self.settings_for(item.config), Stdin(sys.stdin.buffer.read())
            else:
                yield item, self.settings_for(item.config), File(item.path, os.path.abspath(item.path))

    def stream(
        self,
        args: list[str],
        progress: Callable[[int], Any] | None = None,
        on_total: Callable[[int], Any] | None = None,
    ) -> Iterator[FileResult]:
        """Each input's result, filtered as a local run filters it (suppressions, select and
        ignore, min-confidence, changed lines; not the baseline), in input order, as it arrives."""
        if self.options.diff_base or (on_total and not any(is_list_arg(a) or is_records_file(a) for a in args)):
            items: Iterable[_Input] = self.inputs(args)  # a known number of inputs (no crawl to stream)
            if on_total:
                on_total(len(items))  # type: ignore[arg-type]
        else:
            items = (item for raw in args for item in self.resolve(raw))
        with connect(self.scheduler) as client:
            for item, result in _Engine(client).results(self.work(items), progress):
                yield self._filter(item, result)

    def execute(
        self,
        args: list[str],
        progress: Callable[[int], Any] | None = None,
        on_total: Callable[[int], Any] | None = None,
    ) -> RunResult:
        run = RunResult(report=Report(files=list(self.stream(args, progress, on_total))), settings=self.settings())
        if self.options.baseline is not None:
            from claimcheck.baseline import filter_new, load_baseline

            prints = load_baseline(self.options.baseline)
            run.baseline_matched = filter_new(run.report, prints, root=self.options.baseline.resolve().parent)
        return run


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
    from claimcheck.pipeline import Checker

    evidence = list(evidence)
    Checker(evidence_dirs=evidence, use_model=use_model, model_dir=model_dir, today=today)  # errors raise here
    settings = make_settings(evidence, use_model, model_dir, today, min_confidence, url_timeout)
    work = ((None, s, item) for s, item in _api_items(inputs, settings))
    for _, result in _Engine(client).results(work, progress):
        yield result


def _api_items(inputs: Iterable[str | Record], settings: Settings, listed: bool = False) -> Iterator[tuple]:
    from claimcheck.documents import InputError
    from claimcheck.fetch import is_url
    from claimcheck.pipeline import expand_paths
    from claimcheck.sources import read_list, read_records

    for raw in inputs:
        if isinstance(raw, Record):
            yield settings, raw
        elif raw == "-" and not listed:
            yield settings, Stdin(sys.stdin.buffer.read())
        elif is_url(raw):
            yield settings, Fetch(raw)
        elif is_list_arg(raw) and not listed:
            try:
                yield from _api_items(read_list(raw[1:]), settings, listed=True)
            except InputError as exc:
                yield None, FileResult(path=raw, error=str(exc))
        elif is_records_file(raw):
            for record in read_records(raw):
                yield settings, record
        else:
            for path, error in expand_paths([raw]):
                if error:
                    yield None, FileResult(path=path, error=error)
                else:
                    yield settings, File(path, os.path.abspath(path))
