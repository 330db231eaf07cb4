"""The client side of a Dask run (claimcheck.project.distributed): inputs cut into tasks, at most a
few tasks per worker thread in flight, results handed back in input order.

- Tasks: consecutive inputs that share settings (a configuration), up to ``TASK_MAX``
  inputs and ``TASK_CHARS`` of record text; a small run is cut finer (``SPREAD`` tasks per
  worker thread), so every worker gets some.
- Order and memory: a task's results wait in its slot until every earlier slot has been
  handed on; no more than ``WINDOW_PER_THREAD`` slots per worker thread (plus two) are open
  at once, so the client holds a bounded number of pages however long the run.
- Faults: Dask reruns the tasks of a worker that dies. A task that fails anyway is split
  and its inputs sent one by one; an input that fails alone gets an error result. A worker
  that cannot build the Checker, or cannot load claimcheck at all, stops the run
  (SchedulerError): that is not a page's fault. Leaving early (an exception, Ctrl-C, a
  generator closed) cancels the run's tasks.
"""

from __future__ import annotations

import math
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from claimcheck.core.errors import SchedulerError
from claimcheck.core.records import FileResult
from claimcheck.ingest.sources import Record
from claimcheck.project.dask_worker import (
    Fetch,
    File,
    Item,
    Settings,
    WorkerSetupError,
    _check_task,
    _settings_value,
    different_build,
    worker_build,
)

if TYPE_CHECKING:
    from distributed import Client, Future

TASK_MAX = 64  # inputs per task, at most: about a second of work, far above Dask's per-task cost
TASK_CHARS = 4_000_000  # ... and at most this much record text
SPREAD = 4  # a small run is cut into about this many tasks per worker thread
WINDOW_PER_THREAD = 2  # tasks in flight (or finished, waiting for their turn) per worker thread


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


class Engine:
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
