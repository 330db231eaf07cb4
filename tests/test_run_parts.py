"""The parts of a run, called directly (not through a subprocess) on real files in tmp_path:
cache keys (claimcheck.project.cache_keys), worker processes (parallel), the filters between a
result and the report (filters), and the collector settings that only the command line makes
(claimcheck.core.collector)."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import shutil
from pathlib import Path

import pytest

from claimcheck.core import collector
from claimcheck.knowledge.lexicon import bundled_dir
from claimcheck.project import dask_worker, parallel
from claimcheck.project.baseline import write_baseline
from claimcheck.project.cache_keys import MODEL_FILES, CacheKeys, build_digest
from claimcheck.project.config import Config
from claimcheck.project.filters import apply_baseline, filter_result, on_lines, shown
from claimcheck.project.runner import Run, RunOptions, _new_checker

TODAY = dt.date(2026, 1, 15)
CLAIM = "Acupuncture cures chronic back pain in every patient."
PAGE = f"# Back pain\n\nWe are a friendly clinic.\n\n{CLAIM}\n\nDry needling cures migraines for good.\n"


@pytest.fixture
def model_copy(tmp_path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    for name in MODEL_FILES:
        shutil.copy(bundled_dir("models") / name, folder / name)
    return folder


# -- cache keys ----------------------------------------------------------------------------


def test_build_digest_is_one_implementation_for_the_cache_and_dask():
    assert dask_worker.build_digest(bundled_model=True) == build_digest(bundled_dir("models"))
    assert dask_worker.build_digest(bundled_model=False) == build_digest(None)
    assert build_digest(None) != build_digest(bundled_dir("models"))


def test_build_digest_follows_the_models_files_only(model_copy):
    before = build_digest(model_copy)
    (model_copy / "metrics.json").write_text("{}\n", encoding="utf-8")  # evaluate's output: no effect
    assert build_digest(model_copy) == before
    weights = model_copy / "weights.npz"
    weights.write_bytes(weights.read_bytes() + b"\0")
    assert build_digest(model_copy) != before


def test_a_file_key_follows_bytes_format_date_model_and_evidence(tmp_path):
    for name in ("a.md", "b.md", "a.txt"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.md").write_text(PAGE + "\nMore.\n", encoding="utf-8")
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "extra.yaml").write_text("entries: []\n", encoding="utf-8")
    keys = CacheKeys(TODAY, use_model=False, model_dir=None)

    def key(name: str, ev: tuple[str, ...] = ()) -> str | None:
        return keys.for_file(str(tmp_path / name), ev)

    assert key("a.md") == key("b.md")  # paths are not in the key: a moved page is a hit
    assert len({key("a.md"), key("a.txt"), key("c.md"), key("a.md", (str(evidence),))}) == 4
    assert key("a.md") != CacheKeys(TODAY + dt.timedelta(days=1), False, None).for_file(str(tmp_path / "a.md"), ())
    assert key("a.md") != CacheKeys(TODAY, None, None).for_file(str(tmp_path / "a.md"), ())
    with_evidence = key("a.md", (str(evidence),))
    (evidence / "extra.yaml").write_text("entries: [] # edited\n", encoding="utf-8")
    assert CacheKeys(TODAY, False, None).for_file(str(tmp_path / "a.md"), (str(evidence),)) != with_evidence
    assert key("missing.md") is None and keys.for_file(str(tmp_path), ()) is None  # never cached


# -- worker processes ----------------------------------------------------------------------


def test_tasks_keep_order_and_one_evidence_set_each():
    sources = [(("a",), f"{i}.md") for i in range(10)] + [(("b",), "x.md")] + [(("a",), "y.md")]
    tasks = parallel.plan_tasks(sources, jobs=1)
    assert [s for _, files in tasks for s in files] == [s for _, s in sources]
    assert all(len(files) <= parallel.TASK_FILES for _, files in tasks)
    assert [ev for ev, _ in tasks][-2:] == [("b",), ("a",)]
    many = [(("a",), f"{i}.md") for i in range(500)]
    assert max(len(files) for _, files in parallel.plan_tasks(many, jobs=2)) == parallel.TASK_FILES
    assert max(len(files) for _, files in parallel.plan_tasks(many[:40], jobs=2)) == 5  # 40 // (2 * 4)


def test_auto_jobs_stays_serial_for_small_runs(tmp_path):
    class Item:
        def __init__(self, path: Path) -> None:
            self.path, self.record = str(path), None

    small = [Item(tmp_path / f"{i}.md") for i in range(parallel.AUTO_MIN_FILES)]
    for item in small:
        Path(item.path).write_text(PAGE, encoding="utf-8")
    assert parallel.auto_jobs(small[:-1]) == 1  # too few files
    assert parallel.auto_jobs(small) == 1  # too little text


def test_worker_processes_give_the_results_of_this_process(tmp_path, rules_checker):
    pages = []
    for i in range(6):
        page = tmp_path / f"p{i}.md"
        page.write_text(PAGE.replace("migraines", f"migraines in {i} weeks"), encoding="utf-8")
        pages.append(str(page))
    pages.append(str(tmp_path / "missing.md"))
    new_checker = functools.partial(_new_checker, RunOptions(use_model=False), TODAY)
    tasks = parallel.plan_tasks([((), p) for p in pages], jobs=2)
    done: list[int] = []
    results = list(parallel.check_in_processes(tasks, 2, new_checker, progress=done.append))
    here = list(rules_checker.check_files(pages))
    assert [r.path for r in results] == pages and sum(done) == len(pages)
    assert [[(f.rule, f.line, f.verdict) for f in r.findings] for r in results] == [
        [(f.rule, f.line, f.verdict) for f in r.findings] for r in here
    ]
    assert results[-1].error and results[0].findings


# -- filters -------------------------------------------------------------------------------


@pytest.fixture
def result(tmp_path, rules_checker):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    checked = rules_checker.check_file(str(page))
    assert len({f.line for f in checked.findings}) >= 2, "the page must give findings on two lines"
    return checked


def test_select_ignore_and_min_confidence(result):
    kept = filter_result(result, Config())
    assert [f.rule for f in kept.findings] == [f.rule for f in result.findings]
    assert filter_result(result, Config(ignore=["CC"])).findings == []
    top = max(f.claim.confidence for f in result.findings)
    assert filter_result(result, Config(min_confidence=top + 1e-6)).findings == []


def test_changed_lines_keep_the_findings_that_touch_them(result):
    line = result.findings[0].line
    kept = filter_result(result, Config(), changed={line})
    assert kept.findings and {f.line for f in kept.findings} == {line}
    assert on_lines(result.findings, set()) == []


def test_a_suppression_comment_is_applied_before_select(tmp_path, rules_checker):
    page = tmp_path / "page.md"
    page.write_text(PAGE.replace(CLAIM, f"<!-- claimcheck-disable-next-line -- reviewed -->\n{CLAIM}"), "utf-8")
    checked = rules_checker.check_file(str(page))
    shown_lines = {f.line for f in filter_result(checked, Config()).findings}
    claim_line = PAGE.replace(CLAIM, "\n" + CLAIM).splitlines().index(CLAIM) + 1
    assert claim_line in {f.line for f in checked.findings} and claim_line not in shown_lines


def test_the_baseline_drops_known_findings(tmp_path, result):
    from claimcheck.core.records import Report

    file = tmp_path / "baseline.json"
    count = write_baseline(Report(files=[filter_result(result, Config())]), file, root=tmp_path)
    again = Report(files=[filter_result(result, Config())])
    assert apply_baseline(again, file) == count > 0
    assert again.findings == []


def test_shown_escapes_undecodable_file_names(result):
    result.path = "caf\udce9.md"
    assert shown(result).path == "caf\\xe9.md"


# -- collector settings: the command line's, never the API's --------------------------------


def test_an_api_run_leaves_the_collector_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(collector, "_FROZEN", [])
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    for _ in range(2):
        run = Run(RunOptions(use_model=False, use_cache=False, jobs=1)).execute(["page.md"])
        assert run.report.findings
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen


def test_the_command_lines_run_freezes_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(collector, "_FROZEN", [])
    try:
        Run(RunOptions(use_model=False, use_cache=False, jobs=1, freeze_gc=True)).execute(["page.md"])
        assert gc.get_freeze_count() > 0 and collector.freeze_once() is False
    finally:
        gc.unfreeze()


def test_tune_sets_the_thresholds():
    before = gc.get_threshold()
    try:
        collector.tune()
        assert gc.get_threshold() == collector.THRESHOLDS
    finally:
        gc.set_threshold(*before)
