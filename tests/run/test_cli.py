"""`rnn-tui train` as a user runs it: real processes, real files, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from rnn_tui.run.runlog import read_run_log

from .conftest import child_pids

SMALL = ["--seq-len", "10", "--hidden", "8", "--batch", "4"]


def rnn_tui(*args: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnn_tui", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout)


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


def test_train_prints_a_table_when_not_json(tmp_path) -> None:
    result = rnn_tui("train", *SMALL, "--cells", "gru", "--steps", "20", "--no-log",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "final loss" in result.stdout and "gru" in result.stdout
    assert not (tmp_path / "runs").exists()                 # --no-log wrote nothing


@pytest.mark.parametrize("args, message", [
    (["--seq-len", "1"], "too short for adding"),
    (["--lr", "-1"], "--lr: lr = -1.0 is not allowed"),
    (["--cells", "rnn,bogus"], "unknown cell 'bogus'"),
    (["--preset", "nope"], "no preset named 'nope'"),
    (["--task", "parity"], "task = 'parity' is not allowed"),
    (["--hidden", "x"], "invalid int value: 'x'"),
    (["--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(args, message) -> None:
    result = rnn_tui("train", *args, "--no-log")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_bad_preset_file_names_the_file(tmp_path) -> None:
    preset = tmp_path / "mine.toml"
    preset.write_text('task = "adding"\nhidden_size = "big"\n')
    result = rnn_tui("train", "--preset", str(preset), "--no-log")
    assert result.returncode == 2 and str(preset) in result.stderr
    assert "hidden_size = 'big' is not allowed" in result.stderr


def test_replay_of_a_missing_log_is_a_clear_error(tmp_path) -> None:
    result = rnn_tui("replay", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2 and "does not exist" in result.stderr


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 130)])
def test_interrupt_ends_runs_prints_summary_and_leaves_no_process(tmp_path, sig, code) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "rnn_tui", "train", *SMALL, "--json",
                             "--log-dir", str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("*.jsonl"))) < 2 or any(
            p.stat().st_size < 2000 for p in tmp_path.glob("*.jsonl")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    workers = child_pids(proc.pid)
    assert len(workers) >= 2                                # two trainers (+ resource tracker)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == code, err
    summary = json.loads(out)
    assert summary["interrupted"] is True
    assert {m["state"] for m in summary["models"]} == {"interrupted"}
    for log in tmp_path.glob("*.jsonl"):
        assert read_run_log(log)[-1].reason == "interrupted"
    time.sleep(0.2)
    assert [pid for pid in workers if os.path.exists(f"/proc/{pid}")] == []


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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
