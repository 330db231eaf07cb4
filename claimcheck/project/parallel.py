"""--jobs: checking a run's files in worker processes.

Why a module of its own: a process pool has its own concerns -- how many workers repay their
start (``auto_jobs``), how files are cut into tasks (``plan_tasks``), what a worker builds
once (its Checkers, and the process's collector settings: ``worker_init``) -- none of which
change what a file's result is. Results come back in input order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from claimcheck.core import collector
from claimcheck.core.records import FileResult

if TYPE_CHECKING:
    from claimcheck.ingest.sources import Source
    from claimcheck.pipeline.checker import Checker

TASK_FILES = 16  # at most this many files per task handed to a worker
# --jobs 0 (automatic): worker processes only when a run is large enough to repay them.
AUTO_MIN_FILES = 40
AUTO_MIN_BYTES = 400_000
AUTO_MIN_FILES_PER_JOB = 20
AUTO_MAX_JOBS = 8

EvidenceKey = tuple[str, ...]  # the evidence folders of a configuration: one Checker each
Task = tuple[EvidenceKey, list["Source"]]
NewChecker = Callable[[EvidenceKey], "Checker"]


def start_method() -> str:
    """fork where there is one (workers inherit the parent's ready Checkers), else spawn."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def auto_jobs(items: list) -> int:
    """How many processes ``--jobs 0`` (the default) uses: one per available core, at most
    ``AUTO_MAX_JOBS``, and only for runs large enough to repay starting them (at least
    ``AUTO_MIN_FILES`` files and ``AUTO_MIN_BYTES`` of text); otherwise one. ``items`` have
    a ``path`` and, for crawl records, a ``record``."""
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


def plan_tasks(sources: list[tuple[EvidenceKey, Source]], jobs: int) -> list[Task]:
    """Consecutive sources cut into tasks of one evidence set each: enough files for a worker
    to batch them, few enough that the workers stay evenly loaded."""
    size = max(1, min(TASK_FILES, len(sources) // (jobs * 4)))
    tasks: list[Task] = []
    for evidence, source in sources:
        if not tasks or tasks[-1][0] != evidence or len(tasks[-1][1]) >= size:
            tasks.append((evidence, []))
        tasks[-1][1].append(source)
    return tasks


def check_in_processes(
    tasks: list[Task],
    jobs: int,
    new_checker: NewChecker,
    ready: dict[EvidenceKey, Checker] | None = None,
    progress: Callable[[int], Any] | None = None,
) -> Iterator[FileResult]:
    """Each task's results, in task order, from ``jobs`` worker processes. ``new_checker``
    builds a worker's Checker for an evidence set (it must pickle where workers are spawned);
    ``ready``: Checkers built here, which forked workers inherit and start with."""
    method = start_method()
    inherit = method == "fork"
    if inherit:
        _WORKER.update(checkers=dict(ready or {}))
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=worker_init, initargs=(new_checker, inherit)) as pool:
        for results in pool.imap(worker_check, tasks, chunksize=1):
            if progress:
                progress(len(results))
            yield from results


# -- in the worker processes: each builds its Checkers once and checks many files ------------

_WORKER: dict[str, Any] = {}


def worker_init(new_checker: NewChecker, inherit: bool = False) -> None:
    """A worker process starts: Ctrl-C is the parent's to handle (it stops the pool), the
    collector runs as in the command line's process, and forked Checkers are kept."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collector.tune()
    checkers = _WORKER.get("checkers", {}) if inherit else {}
    if checkers:
        collector.freeze_once()  # inherited pipelines: never rescanned, their pages never copied
    _WORKER.clear()
    _WORKER.update(new_checker=new_checker, checkers=checkers)


def worker_check(task: Task) -> list[FileResult]:
    """One task's results, with this process's Checker for the task's evidence set."""
    from claimcheck.ingest.sources import check_sources

    evidence, sources = task
    checkers = _WORKER["checkers"]
    if evidence not in checkers:
        checkers[evidence] = _WORKER["new_checker"](evidence)
        checkers[evidence].nlp  # noqa: B018 - built before the first batch, then frozen
        collector.freeze_once()
    return list(check_sources(checkers[evidence], sources))
