"""`rnn-tui train` as a user runs it: real processes, real files, real signals."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rnn_tui.run.code_digest import code_digest
from rnn_tui.run.runlog import read_run_log

from .conftest import child_pids, like_a_terminal, python, rnn_tui, wait_gone

SMALL = ["--seq-len", "10", "--hidden", "8", "--batch", "4"]


def test_train_json_summary_and_logs(tmp_path) -> None:
    result = rnn_tui("train", *SMALL, "--steps", "60", "--json", "--log-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [m["cell"] for m in summary["models"]] == ["rnn", "lstm"]
    for model in summary["models"]:
        assert model["steps"] == 60 and model["state"] == "finished"
        assert model["baseline_loss"] == pytest.approx(1 / 6)
        for key in ("final_loss", "metric", "beat_baseline_step", "solved_step",
                    "solved_seconds", "steps_per_sec", "log"):
            assert key in model
        events = read_run_log(model["log"])
        assert events[0].kind == "run_started" and events[-1].reason == "finished"
        # Every setting, as the log's header has it (a --no-log run keeps no other record).
        assert model["config"] == events[0].config and model["config"]["batch_size"] == 4
        assert events[0].versions["rnn_tui_code"] == code_digest()  # which code ran


def test_train_prints_a_table_when_not_json(tmp_path) -> None:
    result = rnn_tui("train", *SMALL, "--cells", "gru", "--steps", "20", "--no-log",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "final loss" in result.stdout and "gru" in result.stdout
    assert not (tmp_path / "runs").exists()                 # --no-log wrote nothing


def test_a_scale_past_float32_diverges_and_says_so_without_a_warning(tmp_path) -> None:
    """recurrent_scale = 1e300 makes W infinite in float32: the run's result is
    "diverged" (exit 0, documented), and stderr carries no numpy RuntimeWarning."""
    preset = tmp_path / "big.toml"
    preset.write_text('cells = ["rnn"]\nseq_len = 10\n[rnn]\nrecurrent_scale = 1e300\n')
    result = rnn_tui("train", "--preset", str(preset), "--steps", "3", "--no-log",
                     cwd=tmp_path)
    assert result.returncode == 0 and "diverged" in result.stdout, result.stdout
    assert "Warning" not in result.stderr, result.stderr


@pytest.mark.parametrize("args, message", [
    (["--seq-len", "1"], "--seq-len: seq_len = 1 is too short for adding"),
    (["--hidden", "0"], "--hidden: hidden_size = 0 is not allowed"),
    (["--batch", "0"], "--batch: batch_size = 0 is not allowed"),
    (["--lr", "-1"], "--lr: lr = -1.0 is not allowed"),
    # (1e-310 passed, then every worker failed: their flushed denormals read it as 0.)
    (["--lr", "1e-310"], "--lr: lr = 1e-310 is not allowed; lr must be a number in [1e-30"),
    (["--cells", "rnn,bogus"], 'unknown cell "bogus"'),
    (["--cells", "rnn,,lstm"], 'cells = ["rnn", "", "lstm"] is not allowed'),  # was rnn,lstm
    (["--cells", "lstm,"], 'cells = ["lstm", ""] is not allowed'),
    (["--preset", "nope"], "no preset named 'nope'"),
    (["--task", "parity"], 'task = "parity" is not allowed'),
    (["--hidden", "x"], "invalid int value: 'x'"),
    (["--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
    (["--preset="], "no preset named ''"),       # was the default preset, silently
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(args, message) -> None:
    result = rnn_tui("train", *args, "--no-log")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    # (argparse's own errors came below its seven-line usage block)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("args, message", [
    (["sweep", ""], "argument FILE: an empty name"),       # was read as "."
    (["sweep", "map", "--out", ""], "argument --out: an empty name"),
    (["sweep-view", ""], "argument DIR: an empty name"),
    (["replay", ""], "argument LOG: an empty name"),       # "is a directory, not a run log"
    # An option a subcommand does not know is said by it ("rnn-tui: error: ...").
    (["sweep", "map", "--jsn"], "rnn-tui sweep: error: unrecognized arguments: --jsn"),
    (["train", "--bogus"], "rnn-tui train: error: unrecognized arguments: --bogus"),
])
def test_an_empty_path_or_an_unknown_option_is_one_line(tmp_path, args, message) -> None:
    result = rnn_tui(*args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and list(tmp_path.iterdir()) == []


def test_an_empty_log_dir_is_refused_not_the_current_folder(tmp_path) -> None:
    """`--log-dir ""` (an unset variable in a script) wrote the logs into the current
    folder, silently."""
    result = rnn_tui("train", *SMALL, "--steps", "1", "--log-dir=", cwd=tmp_path)
    assert result.returncode == 2 and "argument --log-dir: an empty name" in result.stderr
    assert list(tmp_path.iterdir()) == [] and "Traceback" not in result.stderr


def test_bad_preset_file_names_the_file(tmp_path) -> None:
    preset = tmp_path / "mine.toml"
    preset.write_text('task = "adding"\nhidden_size = "big"\n')
    result = rnn_tui("train", "--preset", str(preset), "--no-log")
    assert result.returncode == 2 and str(preset) in result.stderr
    assert 'hidden_size = "big" is not allowed' in result.stderr


def test_a_sweep_file_given_as_a_preset_says_to_sweep_it(tmp_path) -> None:
    # It said "task = ['adding', 'copy'] is not allowed; task must be one of adding, copy".
    sweep_file = tmp_path / "grid.toml"
    sweep_file.write_text('task = ["adding", "copy"]\nseq_len = 10\n')
    result = rnn_tui("train", "--preset", str(sweep_file), "--no-log")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"run it with: rnn-tui sweep {sweep_file}" in result.stderr


@pytest.mark.parametrize("command", ["train", "sweep"])
def test_a_list_in_a_cells_table_says_where_lists_go(tmp_path, command) -> None:
    # It said "lr = [0.1, 0.01] is not allowed; lr must be a number > 0".
    preset = tmp_path / "mine.toml"
    preset.write_text('task = "adding"\nseq_len = 10\ncells = ["relu"]\n'
                      '[relu]\nlr = [0.1, 0.01]\n')
    args = ["--preset", str(preset), "--no-log"] if command == "train" else [str(preset)]
    result = rnn_tui(command, *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{preset} [relu]: lr = [0.1, 0.01] is a list: a cell's table" in result.stderr


@pytest.mark.parametrize("args", [("--no-log",), ("--cells", "lstm", "--no-log"),
                                  ("replay", "FIXTURE")])
def test_the_dashboard_without_a_terminal_is_one_line_not_a_spinning_core(args) -> None:
    # `nohup rnn-tui &` (input from /dev/null, output to a file) trained on, Textual's
    # input thread reading the end of its input at full speed, until killed.
    fixture = Path(__file__).parents[1] / "ui" / "fixtures" / "adding-rnn.jsonl"
    args = [str(fixture) if a == "FIXTURE" else a for a in args]
    result = subprocess.run([sys.executable, "-m", "rnn_tui", *args], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("rnn-tui: error: the dashboard needs a terminal, but its "
                                    "input and output are not terminals"), result.stderr
    assert len(result.stderr.splitlines()) == 1 and not result.stdout


def test_replay_of_a_missing_log_is_a_clear_error(tmp_path) -> None:
    result = rnn_tui("replay", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def interrupted_train(log_dir: Path, when_logs_hold: int,
                      send: Callable[[subprocess.Popen], None]) -> tuple[dict, str, list[int]]:
    """`rnn-tui train --json` in a process group of its own, started as a terminal starts
    it, interrupted by `send(process)` once both logs hold `when_logs_hold` bytes; it must
    exit 130. (summary, stderr, the worker processes it had then)"""
    proc = subprocess.Popen([sys.executable, "-m", "rnn_tui", "train", *SMALL, "--json",
                             "--log-dir", str(log_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=like_a_terminal)
    try:
        deadline = time.monotonic() + 30
        while len(logs := list(log_dir.glob("*.jsonl"))) < 2 or any(
                p.stat().st_size < when_logs_hold for p in logs):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.005)
        workers = child_pids(proc.pid)
        send(proc)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    return json.loads(out), err, workers


def ctrl_c(presses: int) -> Callable[[subprocess.Popen], None]:
    """Ctrl-C `presses` times, 10 ms apart (a hand hammering the keys), to the whole group
    as a terminal sends it."""
    def send(proc: subprocess.Popen) -> None:
        for _ in range(presses):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.01)
    return send


# (SIGHUP: a closed terminal; it killed `train` at once, with no summary.)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_interrupt_ends_runs_prints_summary_and_leaves_no_process(tmp_path, sig) -> None:
    summary, _, workers = interrupted_train(tmp_path, 2000, lambda proc: proc.send_signal(sig))
    assert len(workers) >= 2                                # two trainers (+ resource tracker)
    assert summary["interrupted"] is True
    assert {m["state"] for m in summary["models"]} == {"interrupted"}
    for log in tmp_path.glob("*.jsonl"):
        assert read_run_log(log)[-1].reason == "interrupted"
    wait_gone(workers)


def test_ctrl_c_while_the_workers_start_ends_their_runs_as_interrupted(tmp_path) -> None:
    # The logs exist (made empty by the parent) while the workers still import: a Ctrl-C
    # then killed them mid-import, a traceback each, runs "failed", logs with no header.
    summary, err, _ = interrupted_train(tmp_path, when_logs_hold=0, send=ctrl_c(1))
    assert "Traceback" not in err, err
    assert [(m["cell"], m["state"]) for m in summary["models"]] == [
        ("rnn", "interrupted"), ("lstm", "interrupted")]
    for log in tmp_path.glob("*.jsonl"):
        assert read_run_log(log)[-1].reason == "interrupted"


def test_a_second_ctrl_c_still_leaves_the_summary_and_it_agrees_with_the_logs(tmp_path) -> None:
    # A second Ctrl-C used to escape while the workers were joined: no summary at all.
    summary, _, _ = interrupted_train(tmp_path, when_logs_hold=2000, send=ctrl_c(3))
    assert {m["state"] for m in summary["models"]} == {"interrupted"}
    for model in summary["models"]:
        log = read_run_log(Path(model["log"]))
        assert (model["steps"], log[-1].reason) == (log[-1].step, "interrupted")


def test_a_full_disk_under_the_summary_is_one_line(tmp_path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "rnn_tui", "train", *SMALL, "--steps",
                                 "5", "--no-log", "--json"], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    # (above it, with --json, the live lines: stderr is not a terminal here)
    assert result.stderr.splitlines()[-1] == ("rnn-tui: error: cannot write the output: "
                                              "No space left on device")


def test_a_worker_killed_in_a_headless_run_exits_1(tmp_path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "rnn_tui", "train", *SMALL, "--steps",
                             "1500", "--json", "--log-dir", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(child_pids(proc.pid)) < 2 or len(list(tmp_path.glob("*-0-rnn-*.jsonl"))) < 1 \
            or list(tmp_path.glob("*-0-rnn-*.jsonl"))[0].stat().st_size < 2000:
        assert time.monotonic() < deadline and proc.poll() is None, "the rnn did not start"
        time.sleep(0.05)
    # The first spawned worker is slot 0: the smallest pid of the two trainers.
    trainers = sorted(pid for pid in child_pids(proc.pid)
                      if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes())
    rnn_pid = trainers[0]
    os.kill(rnn_pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    summary = json.loads(out)
    assert [m["state"] for m in summary["models"]] == ["failed", "finished"]
    assert "worker process died" in summary["models"][0]["message"]
    assert summary["exit_status"] == 1


def test_the_summary_table_keeps_the_state_column_narrow(tmp_path) -> None:
    from rnn_tui.run.events import RunFailed, RunStarted
    from rnn_tui.run.headless import summary_table
    from rnn_tui.run.progress import ModelProgress

    p = ModelProgress()
    p.update(RunStarted(config={"cell": "lstm"}, seed=0, baseline_loss=0.17))
    p.update(RunFailed(step=0, message="ArrayMemoryError: Unable to allocate " + "x" * 200))
    lines = summary_table([p]).splitlines()
    assert max(len(line) for line in lines[:3]) < 120
    assert lines[2].split()[-2] == "failed"
    assert lines[3].startswith("lstm: failed at step 0: ArrayMemoryError")


def test_a_failure_is_told_without_numpys_module_path() -> None:
    from rnn_tui.run.worker import failure_text

    try:
        np_empty = __import__("numpy").empty((2**20, 2**30), dtype="float32")  # 4 PiB
    except MemoryError as err:  # numpy._core._exceptions._ArrayMemoryError
        text = failure_text(err)
    else:  # pragma: no cover - a machine with 4 ZiB
        del np_empty
        pytest.skip("the allocation succeeded")
    assert text.startswith("out of memory on this worker: Unable to allocate"), text
    assert "numpy" not in text and "_core" not in text
    assert failure_text(ValueError("bad\nsecond line")) == "ValueError: bad"


def test_losses_keep_their_digits_however_small_or_large() -> None:
    """A solved model's loss of 4e-5 printed as 0.0000 (fixed decimals), a diverging one's
    as 2153500000000.7351."""
    from rnn_tui.run.events import RunStarted, Step
    from rnn_tui.run.headless import progress_line, summary_table
    from rnn_tui.run.progress import ModelProgress

    small, large = ModelProgress(), ModelProgress()
    for p, loss in ((small, 4.2e-5), (large, 2.1535e12)):
        p.update(RunStarted(config={"cell": "gru"}, seed=0, baseline_loss=1 / 6))
        for step in range(1, 101):
            p.update(Step(step=step, loss=loss, metric=1.0, grad_norm=1.0, seconds=step / 100))
    table = summary_table([small, large]).splitlines()
    assert table[2].split()[1:3] == ["4.2e-05", "0.1667"], table
    assert table[3].split()[1] == "2.154e+12", table
    assert "loss 4.2e-05 (baseline 0.1667)" in progress_line(small)


@pytest.mark.parametrize("how", ["flags", "preset"])
def test_what_cannot_fit_is_refused_before_spawning(tmp_path, how) -> None:
    if how == "flags":
        args = ["--seq-len", "1000000000", "--steps", "1"]
    else:
        preset = tmp_path / "huge.toml"
        preset.write_text('task = "adding"\nseq_len = 1000000000\ncells = ["rnn", "lstm"]\n')
        args = ["--preset", str(preset)]
    result = rnn_tui("train", *args, "--log-dir", str(tmp_path / "runs"))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.search(r"needs about [\d.]+ TiB; [\d.]+ \w+ available",
                                         lines[0]), result.stderr
    assert not (tmp_path / "runs").exists()                 # nothing was spawned or logged


@pytest.mark.parametrize("where", ["file", "file/runs"])
def test_a_log_dir_that_cannot_hold_logs_is_refused_before_training(tmp_path, where) -> None:
    # It trained on unlogged, exit 0, with a warning a user could miss (review): an hour's
    # run then left no record. A fault that comes later (a full disk) still leaves the run
    # training unlogged (tests/run/test_bad_logs.py).
    (tmp_path / "file").write_text("")
    result = rnn_tui("train", *SMALL, "--steps", "20", "--log-dir", str(tmp_path / where))
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "is a file, not a directory" in lines[0], result.stderr
    assert "--no-log" in lines[0]
    assert (tmp_path / "file").read_text() == ""


def test_flags_before_or_after_train_both_count() -> None:
    from rnn_tui.cli import build_parser, configs_from_args

    for argv in (["--lr", "0.5", "train"], ["train", "--lr", "0.5"]):
        args = build_parser().parse_args(argv)
        configs = configs_from_args(args)
        assert [c.lr for c in configs] == [0.5, 0.5] and configs[0].seq_len == 100
    args = build_parser().parse_args(["--preset", "copy-50", "train", "--seed", "3"])
    assert {(c.task, c.seed) for c in configs_from_args(args)} == {("copy", 3)}


def test_train_never_imports_textual(tmp_path) -> None:
    code = ("import sys; from rnn_tui.cli import main;"
            "code = main(['train', '--seq-len', '10', '--hidden', '8', '--batch', '4',"
            " '--steps', '3', '--no-log', '--json']);"
            "assert code == 0 and 'textual' not in sys.modules, sorted(sys.modules)")
    result = python("-c", code)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", [["presets"],
                                  ["train", *SMALL, "--steps", "5", "--json", "--no-log"]])
def test_a_reader_that_left_is_no_traceback(args, tmp_path) -> None:
    # `rnn-tui presets | head -1`, `rnn-tui train --json | head`: the reader closes the
    # pipe; we printed a BrokenPipeError traceback. Here the pipe is closed from the start.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "rnn_tui", *args], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, cwd=tmp_path, timeout=60)
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 141


def test_replay_reads_each_log_once(monkeypatch) -> None:
    """The command read every log to check it, then the replay read them all again
    (53 logs of a dashboard session: seconds of a blank terminal, twice)."""
    from rnn_tui import cli
    from rnn_tui.run import runlog
    from rnn_tui.ui.app import RnnTuiApp

    fixtures = Path(__file__).parents[1] / "ui" / "fixtures"
    logs = [fixtures / "adding-rnn.jsonl", fixtures / "adding-lstm.jsonl"]
    reads: list[Path] = []
    read = runlog.read_run_log
    monkeypatch.setattr(runlog, "read_run_log", lambda path: reads.append(path) or read(path))
    monkeypatch.setattr(RnnTuiApp, "run", lambda self: None)  # (no terminal here,
    monkeypatch.setattr(cli, "no_terminal", lambda instead: None)  # and none needed)
    assert cli.main(["replay", *map(str, logs)]) == 0
    assert sorted(map(Path, reads)) == sorted(logs)


def test_ctrl_c_before_a_commands_own_handling_is_130_not_a_traceback(monkeypatch) -> None:
    # A Ctrl-C 0.1 s after `rnn-tui sweep` (while its arguments were parsed and its first
    # modules imported) printed a KeyboardInterrupt traceback.
    from rnn_tui import cli

    def interrupted(argv=None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    with pytest.raises(SystemExit) as exit_:
        cli.entry()
    assert exit_.value.code == 130


def test_the_summarys_means_carry_no_float_noise() -> None:
    """results.jsonl and `train --json` read "final_loss": 0.0031800000000000003, the
    sum of 50 losses' rounding error."""
    from rnn_tui.run.events import RunStarted, Step
    from rnn_tui.run.progress import ModelProgress

    p = ModelProgress()
    p.update(RunStarted(config={"cell": "gru"}, seed=0, baseline_loss=1 / 6))
    for step in range(1, 51):
        p.update(Step(step=step, loss=0.00318, metric=0.1, grad_norm=1.0, seconds=step / 100))
    assert sum([0.00318] * 50) / 50 != 0.00318  # (the noise this is about)
    summary = p.summary()
    assert summary["final_loss"] == 0.00318 and summary["metric"] == 0.1, summary
    assert repr(summary["baseline_loss"]) == "0.1666666667"


def test_ctrl_c_while_the_commands_modules_load_is_130_not_a_traceback(monkeypatch) -> None:
    # The console script imported rnn_tui.cli (~50 ms of imports) before any handler:
    # a Ctrl-C then printed a traceback. The script's entry now loads them itself.
    from rnn_tui.__main__ import entry

    class Interrupting:
        def find_spec(self, name, path=None, target=None):
            if name == "rnn_tui.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "rnn_tui.cli")
    monkeypatch.setattr(sys, "meta_path", [Interrupting(), *sys.meta_path])
    with pytest.raises(SystemExit) as exit_:
        entry()
    assert exit_.value.code == 130


def test_the_console_script_is_the_entry_that_loads_the_command() -> None:
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert '\nrnn-tui = "rnn_tui.__main__:entry"\n' in pyproject
