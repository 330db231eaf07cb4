"""Checking on a Dask cluster: real LocalClusters of worker processes (two workers, small
inputs), through the real command line (--scheduler) and through claimcheck.project.distributed.check.
The whole module is skipped, not failed, when Dask is not installed (pip install
"claimcheck[dask]"; the test extra installs it)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from conftest import run_cli as claimcheck

pytest.importorskip("distributed")

from distributed import Client, LocalCluster

from claimcheck.core.errors import SchedulerError
from claimcheck.core.records import Report
from claimcheck.ingest.sources import Record, check_sources, read_records
from claimcheck.project import dask_worker
from claimcheck.project.distributed import check
from claimcheck.report.json_report import render_json

pytestmark = pytest.mark.distributed

CLAIMS = (
    "# Our treatments\n\n"
    "Cupping therapy cures arthritis for good.\n\n"
    "Acupuncture is completely safe with no side effects.\n\n"
    "Many clients find cupping helps them feel calm.\n\n"
    "Book your first session online today.\n"
)
QUIET = {"dashboard_address": None, "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}  # no port 8787
FILLER = "Our reception team will help you book a first appointment that suits you. " * 40


def make_site(root: Path, pages: int, filler: str = "") -> Path:
    site = root / "site"
    site.mkdir(parents=True)
    for i in range(pages):
        text = CLAIMS.replace("arthritis", "gout") if i % 3 else CLAIMS
        (site / f"page{i:03d}.md").write_text(f"{text}\nPage {i}.\n\n{filler}\n", encoding="utf-8")
    return site


def make_crawl(root: Path) -> Path:
    rows = [
        {"id": "c-1", "url": "https://c.example/1", "format": "html", "text": f"<h1>Cupping</h1><p>{CLAIMS}</p>"},
        {"id": "c-2", "url": "https://c.example/2", "format": "markdown", "text": CLAIMS},
        {"id": "c-3", "url": "https://c.example/3", "text": ""},
    ]
    path = root / "crawl.jsonl"
    path.write_text("\n".join([*map(json.dumps, rows), "{broken"]) + "\n", encoding="utf-8")
    return path


def stale_evidence(root: Path) -> Path:
    """An extra evidence folder: the bundled cupping file, last reviewed long ago, so each
    page that cites it gets a stale-evidence notice (CC901) only if the workers have it."""
    folder = root / "my-evidence"
    folder.mkdir()
    text = (REPO / "rules" / "evidence" / "cupping.yaml").read_text(encoding="utf-8")
    (folder / "cupping.yaml").write_text(text.replace("last_reviewed: 2026-11-22", "last_reviewed: 2020-01-01"))
    return folder


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **QUIET) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_local_cluster_report_is_byte_identical_to_a_local_run(tmp_path):
    """--scheduler local:N: files, a folder, crawl records, a bad page and extra evidence
    give the same report, the same errors and the same exit code as a run on this machine."""
    make_site(tmp_path, 8)
    (tmp_path / "site" / "binary.md").write_bytes(b"\x00\x01 not text")
    make_crawl(tmp_path)
    stale_evidence(tmp_path)
    args = ("check", "site", "crawl.jsonl", "missing.md", "--evidence", "my-evidence", "-f", "json")
    local = claimcheck(*args, "--jobs", "1", "--no-cache", cwd=tmp_path)
    dask = claimcheck(*args, "--scheduler", "local:2", cwd=tmp_path)
    assert local.returncode == dask.returncode == 2
    assert dask.stderr == local.stderr  # one line per bad input, nothing from Dask
    assert dask.stdout == local.stdout
    files = json.loads(dask.stdout)["files"]
    assert len(files) == 9 + 4 + 1
    assert any(
        n["rule"] == "CC901" and n["message"].startswith("evidence cup.wellbeing ") for f in files for n in f["notices"]
    )
    assert {f["path"]: f["error"] for f in files if f["error"]} == {
        "site/binary.md": "site/binary.md: binary file (contains NUL bytes), not text",
        "c-3": "crawl.jsonl:3: record c-3: text is empty",
        "crawl.jsonl:4": files[-2]["error"],
        "missing.md": "missing.md: no such file or directory",
    }


def test_tcp_scheduler_streams_jsonl_and_each_worker_builds_its_checker_once(client, tmp_path):
    make_site(tmp_path, 40)
    address = client.scheduler.address
    before = client.run(dask_worker.counters)
    local = claimcheck("check", "site", "-f", "jsonl", "--jobs", "1", "--no-cache", "-o", "local.jsonl", cwd=tmp_path)
    dask = claimcheck("check", "site", "-f", "jsonl", "--scheduler", address, "-o", "dask.jsonl", cwd=tmp_path)
    assert local.returncode == dask.returncode == 1
    assert dask.stderr == local.stderr.replace(b"local.jsonl", b"dask.jsonl")  # "wrote ...", nothing from Dask
    assert dask.stderr.startswith(b"claimcheck: wrote dask.jsonl (jsonl report: ") and dask.stderr.count(b"\n") == 1
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert len((tmp_path / "dask.jsonl").read_text().splitlines()) == 40
    again = claimcheck("check", "site", "-f", "jsonl", "--scheduler", address, cwd=tmp_path)
    assert again.stdout == (tmp_path / "local.jsonl").read_bytes()
    # Both runs were cut into many tasks; each worker process built one Checker, at its first.
    after = client.run(dask_worker.counters)
    assert set(after) == set(before) and len(after) == 2
    tasks = sum(sum(c["tasks"].values()) for c in after.values()) - sum(
        sum(c["tasks"].values()) for c in before.values()
    )
    assert tasks >= 2 * 8
    for counters in after.values():
        assert counters["builds"] and set(counters["builds"].values()) == {1}


def test_python_api_gives_the_checkers_results_in_order(client, checker, tmp_path):
    site = make_site(tmp_path, 12)
    crawl = make_crawl(tmp_path)
    records = [Record(f"r{i}", f"https://r.example/{i}", "markdown", CLAIMS, where="-") for i in range(5)]
    got = list(check([str(site), *records, str(crawl)], client))
    expected = [
        *checker.check_paths([str(site)]).files,
        *check_sources(checker, records),
        *check_sources(checker, list(read_records(str(crawl)))),
    ]
    assert render_json(Report(files=got)) == render_json(Report(files=expected))
    assert [r.url for r in got[12:17]] == [f"https://r.example/{i}" for i in range(5)]


def test_a_page_that_breaks_the_checker_is_an_error_for_that_page_only(client, checker):
    """A task that fails is split: the other pages of the task are checked as usual."""
    good = [Record(id=f"ok{i}", url=None, fmt="text", text=f"{CLAIMS}\n{i}\n", where="-") for i in range(31)]
    broken = Record(id="broken", url="https://b.example/", fmt="text", text=123, where="-")  # type: ignore[arg-type]
    got = list(check([*good[:9], broken, *good[9:]], client))  # 32 pages: tasks of 4
    assert [r.path for r in got] == [*(f"ok{i}" for i in range(9)), "broken", *(f"ok{i}" for i in range(9, 31))]
    assert got[9].error == "broken: could not be checked (AttributeError: 'int' object has no attribute 'strip')"
    expected = render_json(Report(files=list(check_sources(checker, good))))
    assert render_json(Report(files=got[:9] + got[10:])) == expected


def test_closing_the_results_early_cancels_the_runs_tasks(client, tmp_path):
    site = make_site(tmp_path, 60, FILLER)
    results = check([str(site)], client)
    next(results)
    results.close()

    def ours(dask_scheduler) -> list[str]:
        return [str(key) for key in dask_scheduler.tasks if str(key).startswith("claimcheck-")]

    deadline = time.monotonic() + 60
    while client.run_on_scheduler(ours) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.run_on_scheduler(ours) == []


def test_evidence_travels_with_the_settings_and_a_different_worker_build_is_refused(client, tmp_path, monkeypatch):
    folder = stale_evidence(tmp_path)
    settings = dask_worker.make_settings(evidence=[folder])
    shutil.rmtree(folder)  # the workers get the files from the settings, not from this path
    page = Record(id="calm", url=None, fmt="text", text="Many clients find cupping helps them feel calm.", where="-")
    [result] = client.submit(dask_worker._check_task, settings, [page]).result()
    assert [(n.rule, n.message) for n in result.notices] == [
        ("CC901", "evidence cup.wellbeing was last reviewed 2020-01-01 (over 24 months ago)")
    ]
    # A client whose claimcheck differs from the workers' (here: it says so) stops with one line:
    # before the run, when it asks every worker, and at a worker's first task (one that joined later).
    monkeypatch.setattr(dask_worker, "build_digest", lambda bundled_model=True: "0" * 64)
    with pytest.raises(SchedulerError, match=r"^worker tcp://\S+ runs a different claimcheck"):
        list(check([page], client))
    other = dask_worker.make_settings()
    with pytest.raises(dask_worker.WorkerSetupError, match=r"^worker tcp://\S+ runs a different claimcheck"):
        client.submit(dask_worker._check_task, other, [page]).result()


NO_CLAIMCHECK = """
import sys


class NoClaimcheck:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "claimcheck":
            raise ImportError("claimcheck is not installed here")


sys.meta_path.insert(0, NoClaimcheck())
"""


def test_workers_without_claimcheck_stop_the_run_with_one_line(tmp_path):
    preload = tmp_path / "no_claimcheck.py"  # a worker on which claimcheck cannot be imported
    preload.write_text(NO_CLAIMCHECK, encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(CLAIMS, encoding="utf-8")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, preload=[str(preload)], **QUIET) as cluster:
        out = claimcheck("check", str(page), "--scheduler", cluster.scheduler_address)
    err = out.stderr.decode()
    assert out.returncode == 2 and err.count("\n") == 1, err
    assert err.startswith("claimcheck: error: the workers cannot run claimcheck (") and "not installed here" in err


def test_unreachable_scheduler_is_a_one_line_error(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(CLAIMS, encoding="utf-8")
    out = claimcheck(
        "check", str(page), "--scheduler", "tcp://127.0.0.1:9", env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    )
    err = out.stderr.decode()
    assert out.returncode == 2 and err.count("\n") == 1 and "tcp://127.0.0.1:9: cannot connect" in err, err


def test_a_lost_worker_is_replaced_and_the_report_is_the_same(tmp_path):
    """Kill a worker of a LocalCluster while it checks: Dask reruns its tasks elsewhere and
    the command line prints the same report as a local run."""
    make_site(tmp_path, 160, FILLER)
    local = claimcheck("check", "site", "-f", "json", "--jobs", "1", "--no-cache", cwd=tmp_path)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **QUIET) as cluster,
        Client(cluster) as client,
    ):
        cli = subprocess.Popen(
            [sys.executable, "-m", "claimcheck", "check", "site", "-fjson", "--scheduler", cluster.scheduler_address],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        victim, deadline = None, time.monotonic() + 120
        while victim is None and cli.poll() is None and time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if any("claimcheck-check" in str(k) for k in keys)]
            done = sum(sum(c["tasks"].values()) for c in client.run(dask_worker.counters).values())
            if busy and done:  # checking has begun, and this worker has a task in hand
                victim = busy[0]
            time.sleep(0.1)
        assert victim is not None, "the run ended before a worker could be killed"
        os.kill(client.run(os.getpid)[victim], signal.SIGKILL)
        out, err = cli.communicate(timeout=300)
        assert victim not in client.nthreads()  # the nanny started a new worker in its place
    assert cli.returncode == local.returncode == 1, err.decode()
    assert err == b""
    assert out == local.stdout


def test_ctrl_c_cancels_the_run_and_leaves_no_partial_report(tmp_path):
    import psutil

    make_site(tmp_path, 200, FILLER)
    target = tmp_path / "report.jsonl"
    cli = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", "check", "site", "-fjsonl", "--scheduler", "local:2", "-o", target.name],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, which Ctrl-C at a terminal reaches as a whole
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # not ignored, as in a terminal
    )

    def partial() -> list[Path]:
        return [p for p in tmp_path.iterdir() if p.name.startswith(".report.jsonl")]

    deadline = time.monotonic() + 120
    while cli.poll() is None and time.monotonic() < deadline and not any(p.stat().st_size for p in partial()):
        time.sleep(0.1)
    assert cli.poll() is None, "the run ended before it could be interrupted"
    processes = psutil.Process(cli.pid).children(recursive=True)
    assert len(processes) >= 2  # the two workers, at least
    os.killpg(cli.pid, signal.SIGINT)
    _, err = cli.communicate(timeout=120)
    assert cli.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert not target.exists() and not partial()
    _, alive = psutil.wait_procs(processes, timeout=30)
    assert not alive
