"""`rnn-tui sweep` on the embedded Dask cluster: every run once with its log, the same
numbers as a run in this process, resume, a grown grid, Ctrl-C and bad input."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rnn_tui.run.config import RunConfig
from rnn_tui.run.presets import PresetError
from rnn_tui.run.runlog import read_run_log
from rnn_tui.run.sweep import sweep
from rnn_tui.run.sweep_grid import load_sweep
from rnn_tui.run.sweep_results import (
    RESULTS_FILE,
    ResultsWriter,
    log_path,
    prepare,
    result_record,
)
from rnn_tui.run.sweep_run import run_config

from .conftest import child_pids, like_a_terminal, rnn_tui

TINY = """\
task = "adding"
cells = ["rnn", "lstm"]
seq_len = {seq_len}
seed = [0, 1]
hidden_size = 8
batch_size = 16
steps = 400
"""


def write_sweep(path: Path, seq_len: str = "[5]") -> Path:
    path.write_text(TINY.format(seq_len=seq_len))
    return path


def run_sweep(file: Path, out: Path) -> tuple[int, dict]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = sweep(file, out, as_json=True, workers=2, stdout=stdout, stderr=stderr)
    return code, json.loads(stdout.getvalue())


def result_ids(out: Path) -> list[str]:
    return [json.loads(line)["id"] for line in (out / RESULTS_FILE).read_text().splitlines()]


def assert_complete(run: dict, steps: int = 400) -> None:
    events = read_run_log(run["log"])
    assert [e.kind for e in events].count("run_started") == 1, run["log"]
    assert events[-1].kind == "run_ended" and events[-1].step == run["steps"]
    # a run ends when it is solved, or at its steps
    assert run["steps"] == (run["solved_step"] or steps)


def test_embedded_cluster_runs_resumes_and_grows(tmp_path) -> None:
    file, out = write_sweep(tmp_path / "tiny.toml"), tmp_path / "out"
    code, summary = run_sweep(file, out)
    assert code == 0 and summary["skipped"] == 0 and summary["interrupted"] is False
    runs = summary["runs"]
    assert sorted((r["cell"], r["seed"]) for r in runs) == [
        ("lstm", 0), ("lstm", 1), ("rnn", 0), ("rnn", 1)]
    for run in runs:
        assert run["state"] == "finished" and run["worker"].startswith("tcp://127.0.0.1")
        assert {"task", "seq_len", "hidden_size", "batch_size", "lr", "final_loss",
                "baseline_loss", "seconds", "solved_step"} <= set(run)
        assert_complete(run)
    assert any(r["solved_step"] for r in runs)  # the LSTM solves T=5 well within 400 steps

    # Same config and seed: the same numbers as a run in this process.
    lstm = next(r for r in runs if r["cell"] == "lstm" and r["seed"] == 0)
    here = run_config(RunConfig.from_dict(lstm["config"]), tmp_path / "here.jsonl")
    assert (here["steps"], here["solved_step"]) == (lstm["steps"], lstm["solved_step"])
    assert here["final_loss"] == pytest.approx(lstm["final_loss"], rel=1e-5)

    code, again = run_sweep(file, out)                      # resume: nothing left to run
    assert code == 0 and again["skipped"] == 4 and len(again["runs"]) == 4
    assert len(result_ids(out)) == 4

    code, grown = run_sweep(write_sweep(file, "[5, 6]"), out)  # a grid that only adds runs
    assert code == 0 and grown["skipped"] == 4 and len(grown["runs"]) == 8
    ids = result_ids(out)
    assert len(ids) == len(set(ids)) == 8
    for run in grown["runs"]:
        assert_complete(run)


def test_failed_runs_count_as_done_until_retry_failed_runs_them_again(tmp_path) -> None:
    # A run Dask gave up on (its worker killed for memory, say) stayed failed for good:
    # the docs said to delete its line from results.jsonl by hand.
    file, out = write_sweep(tmp_path / "tiny.toml"), tmp_path / "out"
    assert run_sweep(file, out)[0] == 0
    results = out / RESULTS_FILE
    first = json.loads(results.read_text().splitlines()[0])
    failed = first | {"state": "failed", "message": "dask gave up on it (as if)"}
    with results.open("a") as file_:
        file_.write(json.dumps(failed) + "\n")

    code, again = run_sweep(file, out)
    # Nothing was run, but a run of the grid is failed: 1, as the sweep that failed it
    # said (it was 0, so the same folder gave 1, then 0).
    assert code == 1 and again["skipped"] == 4
    assert next(r for r in again["runs"] if r["id"] == first["id"])["state"] == "failed"

    stdout, stderr = io.StringIO(), io.StringIO()
    code = sweep(file, out, as_json=True, workers=2, stdout=stdout, stderr=stderr,
                 retry_failed=True)
    retried = json.loads(stdout.getvalue())
    assert code == 0 and retried["skipped"] == 3, stderr.getvalue()
    run = next(r for r in retried["runs"] if r["id"] == first["id"])
    assert run["state"] == "finished" and run["steps"] == first["steps"]
    assert_complete(run)


def test_a_worker_running_other_code_is_said_once(tmp_path, monkeypatch) -> None:
    # A `dask worker` started from another install ran other code under the same
    # version string, without a word; its results sat in the map beside the others.
    from rnn_tui.run import sweep as sweep_module
    from rnn_tui.run.code_digest import code_digest

    monkeypatch.setattr(sweep_module, "code_digest", lambda: "0123456789ab")  # "this machine"
    file, out = write_sweep(tmp_path / "tiny.toml"), tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    assert sweep(file, out, as_json=True, workers=2, stdout=stdout, stderr=stderr) == 0
    runs = json.loads(stdout.getvalue())["runs"]
    assert {run["code"] for run in runs} == {code_digest()}
    said = [line for line in stderr.getvalue().splitlines() if "other rnn-tui code" in line]
    workers = {run["worker"] for run in runs}
    assert len(said) == len(workers), stderr.getvalue()  # once a worker
    assert all(f"({code_digest()} there, 0123456789ab here" in line for line in said)


def long_sweep(tmp_path: Path) -> tuple[Path, Path]:
    """A sweep file of 8 runs long enough to interrupt, and its --out folder."""
    file, out = tmp_path / "long.toml", tmp_path / "out"
    file.write_text(TINY.format(seq_len="[5, 6]").replace("steps = 400", "steps = 800"))
    return file, out


def sweep_in_its_own_group(file: Path, out: Path) -> subprocess.Popen[str]:
    """`rnn-tui sweep --json` as a terminal starts it: its own process group, SIGINT at
    its default (the test signals the group, as a terminal's Ctrl-C does)."""
    return subprocess.Popen([sys.executable, "-m", "rnn_tui", "sweep", str(file), "--out",
                             str(out), "--workers", "2", "--json"], start_new_session=True,
                            preexec_fn=like_a_terminal, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def signal_when(proc: subprocess.Popen[str], signum: int, ready: Callable[[], bool],
                what: str, poll: float = 0.1) -> tuple[str, str]:
    """Once `ready()`, `signum` to the sweep's group; its output. Never left running."""
    try:
        deadline = time.monotonic() + 60
        while not ready():
            assert time.monotonic() < deadline, f"no {what} within 60 s"
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(poll)
        os.killpg(proc.pid, signum)
        return proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_ctrl_c_keeps_finished_results_and_a_rerun_resumes(tmp_path) -> None:
    file, out = long_sweep(tmp_path)
    proc = sweep_in_its_own_group(file, out)
    stdout, stderr = signal_when(  # Ctrl-C reaches the whole group
        proc, signal.SIGINT, lambda: (out / RESULTS_FILE).is_file() and bool(result_ids(out)),
        "a run finished")
    assert proc.returncode == 130, stderr
    summary = json.loads(stdout)
    kept = len(summary["runs"])
    assert summary["interrupted"] is True and 1 <= kept < 8
    assert "Traceback" not in stderr, stderr
    # The runs in flight were told to stop: each log without a result says so. (Dask
    # cannot stop a running task: cancelled, they trained on to "finished", no result.)
    recorded = set(result_ids(out))
    for log in (out / "logs").glob("*.jsonl"):
        if log.stem not in recorded:
            assert read_run_log(log)[-1].reason == "interrupted", log.name

    code, resumed = run_sweep(file, out)
    assert code == 0 and resumed["skipped"] == kept and len(resumed["runs"]) == 8
    ids = result_ids(out)
    assert len(ids) == len(set(ids)) == 8
    for run in resumed["runs"]:   # a run cut by Ctrl-C was logged again from the start
        assert_complete(run, steps=800)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_the_cluster_starts_stops_the_sweep(tmp_path, signum) -> None:
    """Ctrl-C while the local cluster spawned its workers was ignored: the whole sweep ran
    on and exited 0. SIGTERM there left a half-made cluster that printed a traceback."""
    file, out = long_sweep(tmp_path)
    proc = sweep_in_its_own_group(file, out)
    # The first worker process: the cluster starts. Signalled as a terminal's Ctrl-C, or
    # a `kill` of the group.
    stdout, stderr = signal_when(proc, signum, lambda: bool(child_pids(proc.pid)),
                                 "a worker process", poll=0.01)
    assert proc.returncode == 130, stderr
    assert json.loads(stdout)["interrupted"] is True
    assert "Traceback" not in stderr and "Error" not in stderr, stderr


def test_a_reader_that_leaves_stops_the_sweep_as_ctrl_c_does_and_exits_141(tmp_path) -> None:
    """`rnn-tui sweep ... | head -1` exited 1 (Rich's SystemExit), the runs in flight cut
    mid-line and a finished one without its result."""
    file, out = long_sweep(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "rnn_tui", "sweep", str(file), "--out",
                             str(out), "--workers", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()  # as `head -1`: one line, then gone
        proc.stdout.close()
        assert proc.wait(timeout=60) == 141, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert first.startswith("[1/8]")
    assert "Traceback" not in proc.stderr.read()
    recorded = set(result_ids(out))
    assert 1 <= len(recorded) < 8
    for log in (out / "logs").glob("*.jsonl"):  # each ends whole: a result, or interrupted
        assert log.stem in recorded or read_run_log(log)[-1].reason == "interrupted", log.name


def test_a_run_queued_when_the_sweep_stopped_writes_no_log(tmp_path, monkeypatch) -> None:
    """Queued on a worker when Ctrl-C came, a run started, logged run_started and
    `interrupted` at step 0, and the map counted it "cut short" with those that were."""
    from rnn_tui.run import sweep_run

    monkeypatch.setattr(sweep_run, "stop_signal", lambda name: lambda: True)
    (run,) = load_sweep(write_sweep(tmp_path / "one.toml")).runs[:1]
    log = tmp_path / "logs" / "run.jsonl"
    summary = sweep_run.run_one(run.config.to_dict(), str(log), stop="set")
    assert summary["state"] == "interrupted" and summary["steps"] == 0
    assert not log.exists() and not (tmp_path / "logs").exists()


def test_a_folder_that_fills_up_mid_sweep_stops_it_with_one_line_and_keeps_what_is_written(
        tmp_path, monkeypatch) -> None:
    # Seen by hand (--out on a small tmpfs): a traceback of OSError ENOSPC raised in the
    # results writer, then another from closing it, exit 1.
    from rnn_tui.run.sweep_results import ResultsWriter

    real, written = ResultsWriter.write, []

    def fills_up(self, record) -> None:  # noqa: ANN001 - ResultsWriter.write's record
        if written:
            raise OSError(errno.ENOSPC, "No space left on device",
                          str(tmp_path / "out" / RESULTS_FILE))
        real(self, record)
        written.append(record["id"])

    monkeypatch.setattr(ResultsWriter, "write", fills_up)
    file, out = write_sweep(tmp_path / "tiny.toml"), tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    code = sweep(file, out, as_json=True, workers=2, stdout=stdout, stderr=stderr)
    assert code == 1
    assert [run["id"] for run in json.loads(stdout.getvalue())["runs"]] == written
    assert (f"error: cannot write into {out} (No space left on device: "
            f"{out / RESULTS_FILE}): the sweep stopped") in stderr.getvalue(), stderr.getvalue()
    assert not (out / "sweep.lock").exists()


@pytest.mark.parametrize("body, message", [
    (None, "sweep file {file} does not exist"),
    ('seq_len = [10, 0]\nsteps = 5\n', "{file}: seq_len = 0 is not allowed"),
    # A file that never set steps was told "steps = 0"; "10" got the preset's ">= 0" rule.
    ('seq_len = 10\n', "{file}: steps is not set; steps must be an integer >= 1"),
    ('', "{file}: steps is not set; steps must be an integer >= 1"),
    ('steps = "10"\n', '{file}: steps = "10" is not allowed in a sweep; steps must be an '
                       "integer >= 1"),
    ('steps = [100, 0]\n', "steps = 0 is not allowed in a sweep; steps must be an integer >= 1"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, body, message) -> None:
    file = tmp_path / "bad.toml"
    if body is not None:
        file.write_text(body)
    result = rnn_tui("sweep", str(file), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert message.format(file=file) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_grid_with_a_run_that_cannot_fit_is_refused_naming_it(tmp_path) -> None:
    file = write_sweep(tmp_path / "huge.toml", seq_len="[10, 1000000000]")
    result = rnn_tui("sweep", str(file), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.search(
        r"run lstm-adding1000000000-h8-s\d-\w+ is too big for this machine: "
        r"needs about [\d.]+ TiB; [\d.]+ \w+ available", lines[0]), result.stderr
    assert not (tmp_path / "out").exists()              # nothing was written or spawned


def test_an_unreachable_scheduler_is_bad_input_and_writes_nothing(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (In-process, Dask's connect shortened: the command retries a refused port for 10 s.
    # A PresetError is the cli's one line and exit 2: test_bad_input_is_one_line_...)
    from rnn_tui.run import sweep_dask

    monkeypatch.setattr(sweep_dask, "CONNECT_SECONDS", 0.5)
    out = tmp_path / "out"
    with pytest.raises(PresetError, match=r"cannot reach the Dask scheduler at "
                                          r"tcp://127\.0\.0\.1:1: "):
        sweep(write_sweep(tmp_path / "tiny.toml"), out, scheduler="tcp://127.0.0.1:1")
    assert not out.exists()                        # reached first, before the folder


@contextmanager
def listener(reply: bytes | None) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that is no Dask scheduler: it accepts, then sends
    `reply` (an HTTP server's, say) or nothing, and holds the connection open."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed: the test is over
                return
            held.append(conn)
            if reply is not None:
                conn.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()
        for conn in held:
            conn.close()


def test_a_port_that_is_no_dask_scheduler_is_bad_input_not_a_traceback(tmp_path) -> None:
    # A server that answered other bytes ended in a traceback of Dask's trying to
    # allocate 3 EiB (seen with an address a proxy answered), exit 1.
    out = tmp_path / "out"
    with listener(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 4) as address:
        result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--out",
                         str(out), "--scheduler", address, timeout=90)
    assert result.returncode == 2, result.stderr
    assert f"{address} is not a Dask scheduler" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_a_port_that_never_answers_as_a_scheduler_is_refused_not_waited_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # `--scheduler tcp://HOST:8787` (the dashboard's port, not the scheduler's) waited
    # forever. (In-process, deadlines shortened: the command's own wait is 15 s.)
    from rnn_tui.run import sweep_dask
    from rnn_tui.run.presets import PresetError

    monkeypatch.setattr(sweep_dask, "CONNECT_SECONDS", 0.5)
    monkeypatch.setattr(sweep_dask, "HANDSHAKE_SECONDS", 0.5)
    with listener(None) as address, pytest.raises(PresetError) as refused:
        with sweep_dask.scheduler_client(address):
            pass
    assert f"{address} is not a Dask scheduler" in str(refused.value)


def test_an_empty_scheduler_address_is_bad_input(tmp_path) -> None:
    # `--scheduler ""` (an unset $SCHEDULER, say) ran the sweep on this machine.
    out = tmp_path / "out"
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--out", str(out),
                     "--scheduler", "")
    assert result.returncode == 2, result.stderr
    assert "--scheduler needs an address" in result.stderr and not out.exists()


def test_a_port_out_of_range_is_said_at_once(tmp_path) -> None:
    # tcp://127.0.0.1:99999 waited out the 10 s connect, then said "timed out".
    out = tmp_path / "out"
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--out", str(out),
                     "--scheduler", "tcp://127.0.0.1:99999")
    assert result.returncode == 2 and not out.exists()
    assert "99999 is not a port (1 to 65535)" in result.stderr, result.stderr


def test_no_workers_is_bad_input(tmp_path) -> None:
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--workers", "0")
    assert result.returncode == 2 and "--workers must be an integer >= 1" in result.stderr


def test_workers_with_a_scheduler_is_bad_input(tmp_path) -> None:
    """--workers sizes the local cluster: beside --scheduler it was silently ignored."""
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--workers", "2",
                     "--scheduler", "tcp://127.0.0.1:1")
    assert result.returncode == 2 and "--workers is not allowed with --scheduler" in (
        result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_more_workers_than_the_cores_can_use_is_bad_input(tmp_path) -> None:
    """`--workers 1000` on two cores spawned a thousand Dask worker processes."""
    out = tmp_path / "out"
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--workers", "100000",
                     "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert re.search(r"--workers must be at most \d+ \(4 per core", result.stderr), result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_the_local_cluster_has_no_more_processes_than_runs(tmp_path, monkeypatch) -> None:
    from rnn_tui.run import sweep as sweep_module

    asked: list[int | None] = []
    real = sweep_module.local_client

    def recorded(workers: int | None = None):  # noqa: ANN202 - a context manager
        asked.append(workers)
        return real(workers)

    monkeypatch.setattr(sweep_module, "local_client", recorded)
    file = tmp_path / "one.toml"
    file.write_text('task = "adding"\ncells = ["rnn"]\nseq_len = 5\nhidden_size = 8\n'
                    "batch_size = 16\nsteps = 20\n")
    code = sweep(file, tmp_path / "out", as_json=True, workers=2, stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert code == 0 and asked == [1]


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_out_folder_that_cannot_be_made_is_bad_input(tmp_path, where) -> None:
    # `--out tiny.toml` (a file there) printed a FileExistsError traceback, exit 1.
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    out = blocker if where == "a file" else blocker / "out"
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert (f"--out {out} is a file, not a folder" if where == "a file" else
            f"--out {out}: cannot write the sweep there (Not a directory") in result.stderr


def record_runs(out: Path, runs: list) -> None:
    """Results of `runs` in `out`, run in this process, as a sweep records them."""
    writer = ResultsWriter(out)
    for run in runs:
        summary = run_config(run.config, log_path(out, run.id))
        writer.write(result_record(run.id, run.config, summary))
    writer.close()


def test_a_finished_sweep_on_storage_it_cannot_write_still_prints_its_map(
        tmp_path, monkeypatch) -> None:
    # A sweep folder on read-only storage (a colleague's results, say) was "cannot write
    # the sweep there", map and all, though nothing was left to run. (As root here, a
    # chmod would not stop a write: the lock is refused as a read-only disk refuses it.)
    file, out = write_sweep(tmp_path / "tiny.toml"), tmp_path / "out"
    grid = load_sweep(file)
    prepare(out, grid)
    record_runs(out, grid.runs[:3])

    @contextmanager
    def read_only(folder: Path) -> Iterator[None]:
        raise OSError(errno.EROFS, "Read-only file system", str(folder / "sweep.lock"))
        yield

    monkeypatch.setattr("rnn_tui.run.sweep.writing", read_only)
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(PresetError, match=r"cannot write the sweep there \(Read-only file "
                       r"system: .*sweep.lock\); runs without a result: 1 of 4 \(`rnn-tui "
                       rf"sweep-view {re.escape(str(out))}` shows the map so far\)"):
        sweep(file, out, stdout=stdout, stderr=stderr)
    record_runs(out, grid.runs[3:])
    assert sweep(file, out, stdout=stdout, stderr=stderr) == 0, stderr.getvalue()
    assert "T=5" in stdout.getvalue() and "4 of 4 runs in" in stdout.getvalue()
    assert not (out / "sweep.lock").exists()


def test_each_finished_run_line_names_its_swept_values_and_how_it_ended() -> None:
    # A sweep over lr printed two lines "relu adding T=20 seed=0: ..." that only the
    # outcome told apart, one of them "diverged at step 1, not solved: diverged at step 2".
    from rnn_tui.run.sweep_report import run_line

    record = {"cell": "relu", "task": "adding", "seq_len": 20, "seed": 0, "lr": 10.0,
              "steps": 1, "state": "diverged", "solved_step": None, "seconds": 0.003,
              "worker": "tcp://127.0.0.1:1", "message": "diverged at step 2: loss is inf",
              "config": {"cell": "relu", "task": "adding", "seq_len": 20, "seed": 0,
                         "lr": 10.0, "hidden_size": 16}}
    line = run_line(record, swept=("lr", "seq_len"))
    assert line.startswith("relu adding T=20 seed=0 lr=10.0: diverged at step 2: loss is inf (")
    # A run Dask gave up on has no time and no worker: it read "… (-, None)".
    gave_up = record | {"state": "failed", "seconds": None, "worker": None,
                        "message": "dask gave up on it: …"}
    assert run_line(gave_up, swept=("lr",)).endswith("lr=10.0: dask gave up on it: …")
    finished = record | {"state": "finished", "steps": 20, "message": None, "lr": 0.01,
                         "config": record["config"] | {"lr": 0.01}}
    assert "lr=0.01: finished at step 20, not solved (" in run_line(finished, swept=("lr",))
    # A run whose log the disk could not hold: recorded finished, and nothing said (review).
    cut = finished | {"warnings": ["run log logs/x.jsonl not written (No space left on "
                                   "device): this run carries on unlogged"]}
    assert "not solved; run log logs/x.jsonl not written (No space left" in run_line(cut)


def test_a_result_keeps_the_runs_log_warnings() -> None:
    from rnn_tui.run.config import RunConfig
    from rnn_tui.run.sweep_results import is_result, result_record

    warning = "run log x not written (No space left on device): this run carries on unlogged"
    record = result_record("r1", RunConfig(), {"state": "finished", "steps": 9,
                                               "warnings": [warning]})
    assert record["warnings"] == [warning] and is_result(record)
    assert result_record("r1", RunConfig(), {"state": "finished"})["warnings"] == []


@pytest.mark.parametrize("grid, message", [
    ("not json", "cannot read the sweep's grid"),
    ("[]", "not a sweep's grid"),
    ('{"runs": [{"id": "a"}]}', "not a sweep's grid"),
    ('{"runs": [], "swept": 3}', "not a sweep's grid")])
def test_sweep_view_of_a_folder_with_an_unreadable_grid_is_bad_input(
        tmp_path, grid, message) -> None:
    # Such a sweep.json opened the map, which ended in a traceback.
    (tmp_path / "sweep.json").write_text(grid)
    result = rnn_tui("sweep-view", str(tmp_path), timeout=30)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and message in result.stderr


def test_another_sweep_in_the_same_folder_is_refused(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "sweep.json").write_text(json.dumps({"runs": [{"id": "gone", "config": {}}]}))
    result = rnn_tui("sweep", str(write_sweep(tmp_path / "tiny.toml")), "--out", str(out))
    assert result.returncode == 2 and "holds a different sweep" in result.stderr


def test_a_run_that_raises_is_failed_with_its_message_not_an_exception(tmp_path) -> None:
    broken = RunConfig(cell="lstm", seq_len=1, hidden_size=4, batch_size=4, steps=10)
    summary = run_config(broken, tmp_path / "broken.jsonl")  # adding needs T >= 2
    assert summary["state"] == "failed"
    assert "seq_len must be an integer >= 2" in summary["message"]


def test_a_task_dask_gave_up_on_is_a_failed_run() -> None:
    from rnn_tui.run.sweep_dask import summary_of

    class LostTwice:  # what a future looks like once its workers died too often
        status = "error"

        def exception(self) -> Exception:
            return RuntimeError("KilledWorker: attempted to run task 3 times")

    summary = summary_of(LostTwice())
    assert summary["state"] == "failed" and "KilledWorker" in summary["message"]


def test_a_run_dask_gave_up_on_still_says_what_ran_and_why_in_words() -> None:
    # Seen by hand (a worker killed under the same run again and again): its results
    # line had cell, task, seq_len ... all null, and the sweep printed
    # "[1/1] None None T=None seed=None: dask: KilledWorker('sweep-lstm-...', <WorkerState
    # 'tcp://...', status: closed, memory: 0, processing: 0>, 3)".
    from distributed.scheduler import KilledWorker

    from rnn_tui.run.sweep_dask import summary_of
    from rnn_tui.run.sweep_report import run_line
    from rnn_tui.run.sweep_results import result_record

    class Killed:
        status = "error"

        def exception(self) -> Exception:
            worker = type("WorkerState", (), {"address": "tcp://127.0.0.1:36095"})()
            return KilledWorker("sweep-lstm-adding200", worker, 3)

    config = RunConfig(cell="lstm", seq_len=200, hidden_size=64, seed=2, steps=3000)
    record = result_record("lstm-adding200-h64-s2-x", config, summary_of(Killed()))
    assert record["state"] == "failed"
    assert {k: record[k] for k in ("cell", "task", "seq_len", "hidden_size", "batch_size",
                                   "lr", "seed")} == {
        "cell": "lstm", "task": "adding", "seq_len": 200, "hidden_size": 64,
        "batch_size": config.batch_size, "lr": config.lr, "seed": 2}
    line = run_line(record)
    assert line.startswith("lstm adding T=200 seed=2: dask gave up on it: the 4 workers "
                           "that ran it died while running it"), line
    assert "WorkerState" not in line and "tcp://127.0.0.1:36095" in line


def test_a_task_cancelled_or_lost_with_its_scheduler_has_no_result() -> None:
    from rnn_tui.run.sweep_dask import summary_of

    class Lost:
        status = "lost"

    assert summary_of(Lost()) is None  # not `failed`: a rerun must run it again


def test_a_results_line_that_is_no_result_is_not_a_finished_run(tmp_path) -> None:
    """A line of valid JSON without a result's fields (edited by hand) is skipped like a
    line cut short: the run counts as not done, and readers never meet it."""
    from rnn_tui.run.sweep_results import read_results, result_record

    good = result_record("a", RunConfig(), {"state": "finished", "steps": 3})
    lines = [good, {"id": "b", "state": "finished"}, {"id": 7, "log": "x"}, ["b"]]
    # a result's field of the wrong type: "solved_step": "x" failed the report and the
    # viewer with a traceback (review, 2026-11-30)
    lines += [good | {"id": f"w{i}", key: value} for i, (key, value) in enumerate(
        [("solved_step", "x"), ("solved_step", 1.5), ("seq_len", "z"), ("seed", True),
         ("cell", 5), ("state", None)])]
    (tmp_path / RESULTS_FILE).write_text("".join(json.dumps(r) + "\n" for r in lines))
    assert list(read_results(tmp_path)) == ["a"]


def test_unreadable_result_lines_are_said_and_their_runs_done_again(tmp_path) -> None:
    # A garbage line in results.jsonl was skipped without a word.
    from rnn_tui.run.sweep import runs_to_do

    grid = load_sweep(write_sweep(tmp_path / "tiny.toml"))
    out = tmp_path / "out"
    prepare(out, grid)
    writer = ResultsWriter(out)
    for run in grid.runs[:2]:
        writer.write(result_record(run.id, run.config, {"state": "finished", "steps": 3}))
    writer.close()
    with (out / RESULTS_FILE).open("a") as results:
        results.write('{"id": "' + grid.runs[2].id + '", "sta\n')  # (cut by a kill)
        results.write("garbage\n")
        results.write('{"id": "' + grid.runs[0].id + '", "state": "failed"}\n')  # (edited)
        results.write('{"id": "' + grid.runs[3].id + '", "st')  # (cut by a full disk)
    said: list[str] = []
    todo = runs_to_do(grid, out, said=said.append)
    assert [run.id for run in todo] == [run.id for run in grid.runs[2:]]
    assert len(said) == 1 and said[0].startswith(
        f"rnn-tui: warning: 4 line(s) of {out / RESULTS_FILE} are no result"), said
    assert runs_to_do(grid, out) == todo  # (no one to tell: said nowhere)
    # The next writer takes the cut last line out (ended with a newline instead, it
    # stayed for good, and every plain JSON reader of the file failed on it).
    ResultsWriter(out).close()
    assert (out / RESULTS_FILE).read_text().endswith('"sta\ngarbage\n{"id": "'
                                                     + grid.runs[0].id + '", "state": "failed"}\n')


def test_a_full_disk_leaves_whole_result_lines_only(tmp_path, monkeypatch) -> None:
    # results.jsonl ended in '…"seed":1,"steps":300,"recu' after "No space left on device".
    out = tmp_path / "out"
    out.mkdir()
    writer = ResultsWriter(out)
    writer.write(result_record("a", RunConfig(), {"state": "finished", "steps": 3}))
    real_write = os.write

    def disk_full_halfway(fd: int, data: bytes) -> int:
        if len(data) > 20:
            return real_write(fd, data[:20])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full_halfway)
    with pytest.raises(OSError):
        writer.write(result_record("b", RunConfig(), {"state": "finished", "steps": 3}))
    monkeypatch.undo()
    writer.close()
    lines = (out / RESULTS_FILE).read_text().splitlines(keepends=True)
    assert len(lines) == 1 and json.loads(lines[0])["id"] == "a"


def test_a_sweep_interrupted_with_every_result_in_does_not_ask_to_resume(tmp_path) -> None:
    # It said "interrupted: run the same command again to resume" with 8 of 8 runs in.
    from rnn_tui.run.sweep import report

    grid = load_sweep(write_sweep(tmp_path / "tiny.toml"))
    out = tmp_path / "out"
    prepare(out, grid)
    writer = ResultsWriter(out)
    for run in grid.runs[:-1]:
        writer.write(result_record(run.id, run.config, {"state": "finished", "steps": 3}))
    stdout = io.StringIO()
    report(grid, out, 0, True, False, stdout)
    assert stdout.getvalue().endswith("- interrupted: run the same command again to resume\n")
    writer.write(result_record(grid.runs[-1].id, grid.runs[-1].config,
                               {"state": "finished", "steps": 3}))
    writer.close()
    stdout = io.StringIO()
    report(grid, out, 0, True, False, stdout)
    assert stdout.getvalue().endswith("4 of 4 runs in " + f"{out}/results.jsonl (0 skipped: "
                                      "already there; 0 failed) - interrupted once every run "
                                      "had its result\n"), stdout.getvalue()
