"""A sweep on a real Dask cluster: `dask scheduler` and two `dask worker` processes on
127.0.0.1, one of them killed mid-sweep. Every run is present once, every log complete,
and nothing is left running. Also: a worker that cannot write where the client wants the
log sends the log back, and the client writes it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnn_tui.run.config import RunConfig
from rnn_tui.run.runlog import read_run_log
from rnn_tui.run.sweep_dask import keep_log
from rnn_tui.run.sweep_results import RESULTS_FILE, read_results
from rnn_tui.run.sweep_run import run_config

from .conftest import live_processes

DASK = str(Path(sys.executable).parent / "dask")
SWEEP = """\
task = "adding"
cells = ["rnn", "lstm"]
seq_len = [5, 6, 7]
hidden_size = 8
batch_size = 16
steps = 600
"""


def start(*args: str, log: Path) -> subprocess.Popen:
    # Own session each: the test can kill a worker's whole group (nanny and process).
    return subprocess.Popen([DASK, *args], start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=log.open("w"))


def start_scheduler(scheduler_file: Path, log: Path) -> subprocess.Popen:
    """`dask scheduler` on a free local port; its address lands in `scheduler_file`."""
    return start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(scheduler_file), log=log)


def start_sweep(file: Path, out: Path, address: str) -> subprocess.Popen:
    """`rnn-tui sweep FILE --out OUT --scheduler ADDRESS --json`, its output piped."""
    return subprocess.Popen([sys.executable, "-m", "rnn_tui", "sweep", str(file), "--out",
                             str(out), "--scheduler", address, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.05)


def scheduler_address(path: Path) -> str | None:
    try:
        return json.loads(path.read_text())["address"]
    except (OSError, ValueError, KeyError):
        return None


def workers_of(address: str) -> dict[str, str]:
    """The scheduler's workers: name -> address."""
    from distributed import Client

    with Client(address, timeout="10s") as client:
        workers = client.scheduler_info(n_workers=-1)["workers"]
    return {str(info["name"]): worker for worker, info in workers.items()}


def sessions_alive(sids: set[int]) -> list[int]:
    """Live (non-zombie) processes in these sessions."""
    return [pid for pid, fields in live_processes() if int(fields[3]) in sids]


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def result_ids(out: Path) -> list[str]:
    results = out / RESULTS_FILE
    lines = results.read_text().splitlines() if results.is_file() else []
    return [json.loads(line)["id"] for line in lines]


def in_progress(out: Path) -> int:
    """Runs whose log exists but whose result does not (yet)."""
    logs = {p.stem for p in (out / "logs").glob("*.jsonl")} if (out / "logs").is_dir() else set()
    done = (out / RESULTS_FILE).read_text() if (out / RESULTS_FILE).is_file() else ""
    return len({stem for stem in logs if f'"{stem}"' not in done})


def test_a_worker_killed_mid_sweep_costs_only_its_runs(tmp_path) -> None:
    file, out, scheduler_file = tmp_path / "s.toml", tmp_path / "out", tmp_path / "sched.json"
    file.write_text(SWEEP)
    scheduler = start_scheduler(scheduler_file, log=tmp_path / "scheduler.err")
    procs = [scheduler]
    try:
        wait_for(lambda: scheduler_address(scheduler_file), 60, "the scheduler started")
        address = scheduler_address(scheduler_file)
        workers = [start("worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                         "--no-dashboard", "--name", f"w{n}", log=tmp_path / f"w{n}.err")
                   for n in (1, 2)]
        procs += workers
        wait_for(lambda: len(workers_of(address)) == 2, 60, "two workers registered")
        survivor = workers_of(address)["w2"]
        sweep = start_sweep(file, out, address)
        procs.append(sweep)
        wait_for(lambda: in_progress(out) >= 2 or sweep.poll() is not None, 60,
                 "both workers running a run")
        assert sweep.poll() is None, "the sweep ended before a worker could be killed"
        os.killpg(workers[0].pid, signal.SIGKILL)            # mid-run: both were busy
        done_before = set(read_results(out))  # complete lines only: it may be writing
        stdout, stderr = sweep.communicate(timeout=120)
    finally:
        stop(procs)
    assert sweep.returncode == 0, stderr
    runs = json.loads(stdout)["runs"]
    ids = result_ids(out)
    assert len(ids) == len(set(ids)) == len(runs) == 6           # every run present, once
    # The killed worker's run and all that followed ran on the one worker left (but for
    # at most one result the killed worker had sent just before, still on its way).
    after = [r["worker"] for r in runs if r["id"] not in done_before]
    assert len(after) >= 2 and after.count(survivor) >= len(after) - 1
    for run in runs:
        assert run["state"] == "finished"
        events = read_run_log(run["log"])                        # every log, whole, once
        assert [e.kind for e in events].count("run_started") == 1
        assert events[-1].kind == "run_ended" and events[-1].step == run["steps"]
    assert sessions_alive({p.pid for p in procs[:3]}) == [], "a dask process was left behind"
    # Same config and seed, same numbers: the hand-started cluster against this process.
    lstm = next(r for r in runs if r["cell"] == "lstm")
    here = run_config(RunConfig.from_dict(lstm["config"]), tmp_path / "here.jsonl")
    assert (here["steps"], here["solved_step"]) == (lstm["steps"], lstm["solved_step"])
    assert here["final_loss"] == pytest.approx(lstm["final_loss"], rel=1e-5)


def test_a_scheduler_lost_mid_sweep_is_one_line_that_says_so_then_a_rerun_resumes(
        tmp_path) -> None:
    # Seen by hand: the scheduler killed mid-sweep, the sweep printed a traceback of
    # Dask's client (its reconnect refused) and a summary "7 of 90 runs ... (0 failed)",
    # then exited 1 without a word on why.
    file, out, scheduler_file = tmp_path / "s.toml", tmp_path / "out", tmp_path / "sched.json"
    file.write_text(SWEEP.replace("steps = 600", "steps = 3000"))
    scheduler = start_scheduler(scheduler_file, log=tmp_path / "scheduler.err")
    procs = [scheduler]
    try:
        wait_for(lambda: scheduler_address(scheduler_file), 60, "the scheduler started")
        address = scheduler_address(scheduler_file)
        procs.append(start("worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                           "--no-dashboard", "--death-timeout", "5", log=tmp_path / "w.err"))
        wait_for(lambda: len(workers_of(address)) == 1, 60, "the worker registered")
        sweep = start_sweep(file, out, address)
        procs.append(sweep)
        wait_for(lambda: in_progress(out) >= 1 or sweep.poll() is not None, 60,
                 "a run started")
        assert sweep.poll() is None, "the sweep ended before its scheduler could be killed"
        os.killpg(scheduler.pid, signal.SIGKILL)
        stdout, stderr = sweep.communicate(timeout=120)
    finally:
        stop(procs)
    assert sweep.returncode == 1, stderr
    assert "Traceback" not in stderr, stderr
    kept = len(json.loads(stdout)["runs"])
    assert re.search(rf"error: {6 - kept} runs got no result: the Dask scheduler at "
                     rf"{re.escape(address)} went away", stderr), stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def test_a_log_the_worker_cannot_write_here_comes_back_with_the_result(tmp_path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    config = RunConfig(cell="rnn", seq_len=5, hidden_size=4, batch_size=8, steps=30)
    summary = run_config(config, blocked / "logs" / "run.jsonl")   # cannot be created there
    assert summary["state"] == "finished" and summary["log_zlib"]
    here = tmp_path / "out" / "logs" / "run.jsonl"
    keep_log(summary, here)
    events = read_run_log(here)
    assert events[0].config["seq_len"] == 5 and events[-1].step == 30


def test_a_result_lost_with_its_worker_before_it_was_fetched_is_computed_again(
        tmp_path) -> None:
    """A run can finish on a worker that dies before the client has fetched its result:
    Dask computes it again, and the sweep must wait for that, not drop the run (seen by
    hand: one run of twelve missing, exit 1, after a worker was killed)."""
    from distributed import wait

    from rnn_tui.run.sweep_dask import collect, local_client, submit
    from rnn_tui.run.sweep_grid import load_sweep

    file = tmp_path / "s.toml"
    file.write_text('task = "adding"\ncells = ["lstm"]\nseq_len = 20\nseed = [0, 1]\n'
                    "hidden_size = 16\nbatch_size = 16\nsteps = 600\n")  # seconds: a window
    runs = load_sweep(file).runs
    collected: list[str] = []
    with local_client(workers=2) as client:
        futures = submit(client, runs, [tmp_path / f"{run.id}.jsonl" for run in runs])
        wait(list(futures))  # both done; their results wait on the workers
        killed: list[str] = []

        def on_result(run, summary) -> None:  # noqa: ANN001 - collect's callback
            collected.append(run.id)
            if killed:
                return
            other = next(f for f, r in futures.items() if r.id != run.id)
            holder = client.who_has([other])[other.key][0]
            pid = client.run(os.getpid, workers=[holder])[holder]
            os.kill(pid, signal.SIGKILL)                              # its worker dies
            killed.append(holder)
            wait_for(lambda: other.status != "finished", 60,
                     "the client heard that the other result was lost")

        collect(client, dict(futures), on_result, lambda running, slots: None)
    assert sorted(collected) == sorted(run.id for run in runs)
