"""The worker side of a Dask run (claimcheck.project.distributed): what travels to the workers and
the task they run.

- ``Settings``: everything a worker needs to build the same Checker as the client. It
  travels once per run (as a task of its own, so Dask recomputes it if the workers holding
  it die) and carries the files of the extra evidence folders and of a custom model folder,
  so the workers need nothing but claimcheck itself.
- ``_check_task``: one task, many inputs, checked in order and batched (spaCy and the
  model over many pages at once). An input that cannot be read is an error result.
- ``_worker_checker``: each worker process builds its Checker at its first task and keeps it
  (a per-process cache keyed by the settings), never one per task. Before building, it
  checks that this process runs the same claimcheck as the client (``build_digest``:
  version, code, rules, bundled model); a worker that differs stops the run with one line.

This module imports nothing from Dask at import time: ``local:N`` workers preload it
(``dask_setup``) and any worker imports it to run a task.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import tempfile
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.core import collector
from claimcheck.core.records import FileResult
from claimcheck.ingest.sources import Record, check_sources, check_url

if TYPE_CHECKING:
    from claimcheck.pipeline.checker import Checker

KEEP_CHECKERS = 2  # Checkers a worker process keeps (one per settings), least recently used dropped


class WorkerSetupError(Exception):
    """A worker cannot build the Checker the client asked for: the whole run stops."""


# -- what travels to the workers -----------------------------------------------------------

Folder = tuple[str, tuple[tuple[str, bytes], ...]]  # (path on the client, ((file name, bytes), ...))


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to build the same Checker as the client."""

    build: str  # build_digest() on the client: the workers must match it
    evidence: tuple[Folder, ...]  # extra evidence folders with their *.yaml files
    model: Folder | None  # a custom model folder with its files (None: the bundled one)
    use_model: bool | None
    today: str
    min_confidence: float = 0.0
    url_timeout: float = 10.0
    stdin_format: str = "text"
    allow_private_redirects: bool = False  # follow a URL's redirects to loopback/private addresses
    key: str = field(default="", compare=False)  # sha256 of all of the above


@dataclass(frozen=True)
class File:
    """A file to read on the worker: the path as given (for the report) and absolute."""

    path: str
    absolute: str


@dataclass(frozen=True)
class Fetch:
    url: str


@dataclass(frozen=True)
class Stdin:
    data: bytes


Item = File | Record | Fetch | Stdin


def _folder(path: str | Path, pattern: str) -> Folder:
    folder = Path(path)
    if folder.is_file():  # an evidence file named directly travels as a folder of one
        return str(path), ((f"{folder.stem}.yaml", folder.read_bytes()),)
    files = sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []
    return str(path), tuple((p.name, p.read_bytes()) for p in files)


def make_settings(
    evidence: Iterable[str | Path] = (),
    use_model: bool | None = None,
    model_dir: str | Path | None = None,
    today: dt.date | None = None,
    min_confidence: float = 0.0,
    url_timeout: float = 10.0,
    stdin_format: str = "text",
    allow_private_redirects: bool = False,
) -> Settings:
    """Settings for a run: the folders' files are read here, on the client."""
    evidence_folders = tuple(_folder(p, "*.yaml") for p in evidence)
    model = _folder(model_dir, "*") if model_dir is not None and use_model is not False else None
    settings = Settings(
        build=build_digest(bundled_model=model is None and use_model is not False),
        evidence=evidence_folders,
        model=model,
        use_model=use_model,
        today=(today or dt.date.today()).isoformat(),
        min_confidence=min_confidence,
        url_timeout=url_timeout,
        stdin_format=stdin_format,
        allow_private_redirects=allow_private_redirects,
    )
    h = hashlib.sha256(repr(settings).encode("utf-8"))
    return Settings(**{**settings.__dict__, "key": h.hexdigest()})


_BUILD_DIGESTS: dict[bool, str] = {}


def build_digest(bundled_model: bool = True) -> str:
    """This machine's build (claimcheck.project.cache_keys.build_digest), with the bundled
    model or without one; computed once per process."""
    if bundled_model not in _BUILD_DIGESTS:
        from claimcheck.knowledge.lexicon import bundled_dir
        from claimcheck.project.cache_keys import build_digest as digest

        _BUILD_DIGESTS[bundled_model] = digest(bundled_dir("models") if bundled_model else None)
    return _BUILD_DIGESTS[bundled_model]


def different_build(worker: str) -> str:
    return (
        f"{worker} runs a different claimcheck (its code, rules or model differ from this machine's); "
        "install the same claimcheck on the workers (docs/distributed.md)"
    )


# -- on the workers ------------------------------------------------------------------------


def worker_build(bundled_model: bool) -> str:
    """This process's build_digest: the client asks every worker with ``client.run`` before a run."""
    return build_digest(bundled_model=bundled_model)


_LOCK = threading.Lock()  # one task at a time per process: a Checker is not shared between threads
_CHECKERS: OrderedDict[str, Checker] = OrderedDict()
# For monitoring (and the tests), by settings key: Checkers built and tasks run in this process.
BUILDS: Counter[str] = Counter()
TASKS: Counter[str] = Counter()


def counters() -> dict[str, dict[str, int]]:
    """This process's counters: ``client.run(counters)`` asks every worker."""
    return {"builds": dict(BUILDS), "tasks": dict(TASKS)}


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return f"worker {get_worker().address}"
    except (ImportError, ValueError):
        return f"process {os.getpid()}"


def _worker_checker(settings: Settings) -> Checker:
    """This process's Checker for settings: built at its first task, then reused."""
    checker = _CHECKERS.get(settings.key)
    if checker is not None:
        _CHECKERS.move_to_end(settings.key)
        return checker
    if build_digest(bundled_model=settings.model is None and settings.use_model is not False) != settings.build:
        raise WorkerSetupError(different_build(_worker_name()))
    from claimcheck.core.errors import ModelError
    from claimcheck.core.yamlio import SchemaError
    from claimcheck.pipeline.checker import Checker

    with tempfile.TemporaryDirectory(prefix="claimcheck-settings-") as tmp:
        folders = [_materialize(folder, Path(tmp) / f"evidence{i}") for i, folder in enumerate(settings.evidence)]
        model_dir = _materialize(settings.model, Path(tmp) / "model") if settings.model else None
        try:
            checker = Checker(
                evidence_dirs=folders,
                today=dt.date.fromisoformat(settings.today),
                use_model=settings.use_model,
                model_dir=model_dir,
                min_confidence=settings.min_confidence,
            )
        except (SchemaError, ModelError) as exc:
            raise WorkerSetupError(f"{_worker_name()}: {exc}") from None
    checker.nlp  # noqa: B018 - spaCy is built now, once per process, not inside the first batch
    collector.freeze_once()  # as the CLI does, once per worker process (claimcheck.core.collector)
    _CHECKERS[settings.key] = checker
    BUILDS[settings.key] += 1
    while len(_CHECKERS) > KEEP_CHECKERS:
        _CHECKERS.popitem(last=False)
    return checker


def _materialize(folder: Folder, where: Path) -> Path:
    where.mkdir(parents=True)
    for name, data in folder[1]:
        (where / name).write_bytes(data)
    return where


def _settings_value(settings: Settings) -> Settings:
    return settings


def _check_task(settings: Settings, items: list[Item]) -> list[FileResult]:
    """A task: its inputs' results in order (files and records batched through spaCy and the
    model together). An input that cannot be read is an error result, not a failed task."""
    with _LOCK:
        checker = _worker_checker(settings)
        TASKS[settings.key] += 1
        out: list[FileResult] = []
        batch: list[File | Record] = []
        for item in [*items, None]:
            if isinstance(item, File | Record):
                batch.append(item)
                continue
            if batch:
                sources = [b.absolute if isinstance(b, File) else b for b in batch]
                for source, result in zip(batch, check_sources(checker, sources), strict=True):
                    if isinstance(source, File) and source.absolute != source.path:
                        _rename(result, source.absolute, source.path)
                    out.append(result)
                batch = []
            if isinstance(item, Fetch):
                out.append(check_url(checker, item.url, settings.url_timeout, settings.allow_private_redirects))
            elif isinstance(item, Stdin):
                out.append(checker.check_bytes(item.data, "<stdin>", settings.stdin_format))
        return out


def _rename(result: FileResult, absolute: str, path: str) -> None:
    """Report a file read at its absolute path under the path as given, as a local run does."""
    result.path = path
    if result.error and result.error.startswith(absolute + ":"):
        result.error = path + result.error[len(absolute) :]


def dask_setup(worker: Any) -> None:
    """Preload hook of the ``local:N`` workers (processes of claimcheck's own run, never a
    user's cluster): Ctrl-C reaches the whole process group, and only the client should act
    on it (it cancels the run and closes the cluster); and the garbage collector runs as in
    the command line's own process (``claimcheck.core.collector.tune``): far less often while
    a run's many short-lived objects come and go."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    collector.tune()
