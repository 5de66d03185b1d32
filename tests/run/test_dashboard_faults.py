"""The real dashboard in a pseudo-terminal, under the faults a terminal brings: closed
(SIGHUP), told to go (SIGTERM), suspended and resumed (ctrl-z, fg), resized again and
again, a worker killed from outside. Each time the app survives or exits cleanly, no
process is left, and every run log ends with its `run_ended` line."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from rnn_tui.run.runlog import read_run_log

from .conftest import PtyProgram, child_pids, running, wait_gone

SMALL = ["--seq-len", "10", "--hidden", "8", "--batch", "4"]


class Dashboard(PtyProgram):
    """`rnn-tui` (small runs) on a pty of its own."""

    def __init__(self, log_dir: Path, cols: int = 120, rows: int = 36) -> None:
        super().__init__([*SMALL, "--log-dir", str(log_dir)], cols, rows)
        self.log_dir = log_dir

    def workers(self) -> list[int]:
        """The app's training processes (its children but multiprocessing's tracker)."""
        return sorted(child_pids(self.pid))

    def logs(self) -> list[Path]:
        return sorted(self.log_dir.glob("*.jsonl"))

    def log_sizes(self) -> list[int]:
        return [p.stat().st_size for p in self.logs()]

    def wait_training(self, more_than: list[int] | None = None, timeout: float = 60) -> None:
        """Until both logs exist and grew past `more_than` (or 2 kB)."""
        deadline = time.monotonic() + timeout
        floor = more_than or [2000, 2000]
        while len(self.logs()) < 2 or any(s <= f for s, f in zip(self.log_sizes(), floor,
                                                                 strict=False)):
            assert self.exited() is None, f"the dashboard exited: {self.tail()}"
            assert time.monotonic() < deadline, (
                f"the runs did not train within {timeout} s: logs {self.log_sizes()}")
            time.sleep(0.05)

    def wait_exit(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self.exited() is None:
            assert time.monotonic() < deadline, f"the dashboard did not exit: {self.tail()}"
            time.sleep(0.05)
        return self.status

    def tail(self) -> str:
        return bytes(self.output[-600:]).decode("utf-8", "replace")

    def kill(self) -> None:
        if self.exited() is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait_exit()
        try:
            os.close(self.fd)
        except OSError:
            pass


@pytest.fixture
def dashboard(tmp_path):
    app = Dashboard(tmp_path)
    yield app
    workers = app.workers()
    app.kill()
    wait_gone(workers)


def assert_clean_end(app: Dashboard, workers: list[int]) -> None:
    wait_gone(workers)
    assert "Traceback" not in bytes(app.output).decode("utf-8", "replace"), app.tail()
    for log in app.logs():
        assert read_run_log(log)[-1].kind == "run_ended", log


def test_closed_terminal_sighup(dashboard: Dashboard) -> None:
    dashboard.wait_training()
    workers = dashboard.workers()
    assert len(workers) == 2
    os.close(dashboard.fd)                 # the terminal window closes: SIGHUP, then EIO
    dashboard.wait_exit()
    assert_clean_end(dashboard, workers)


def test_sigterm(dashboard: Dashboard) -> None:
    dashboard.wait_training()
    workers = dashboard.workers()
    os.kill(dashboard.pid, signal.SIGTERM)
    dashboard.wait_exit()
    assert_clean_end(dashboard, workers)
    assert {read_run_log(p)[-1].reason for p in dashboard.logs()} == {"interrupted"}


def test_ctrl_z_then_fg_carries_on(dashboard: Dashboard) -> None:
    dashboard.wait_training()
    workers = dashboard.workers()
    dashboard.press(b"\x1a")               # ctrl-z as a key (the app's terminal is raw)
    os.killpg(dashboard.pid, signal.SIGTSTP)   # and as the shell's job control sends it
    time.sleep(0.5)                        # stopped a while (no assert rides on this)
    os.killpg(dashboard.pid, signal.SIGCONT)   # fg
    dashboard.wait_training(more_than=dashboard.log_sizes())
    assert dashboard.exited() is None
    dashboard.press(b"q")
    assert dashboard.wait_exit() == 0, dashboard.tail()
    assert_clean_end(dashboard, workers)


def test_many_resizes_while_training(dashboard: Dashboard) -> None:
    dashboard.wait_training()
    workers = dashboard.workers()
    for i in range(40):
        dashboard.resize(40 + (i * 37) % 160, 10 + (i * 13) % 50)
        time.sleep(0.02)                   # a user dragging the window's corner
    dashboard.resize(120, 36)
    dashboard.wait_training(more_than=dashboard.log_sizes())
    assert dashboard.exited() is None
    dashboard.press(b"q")
    assert dashboard.wait_exit() == 0, dashboard.tail()
    assert_clean_end(dashboard, workers)


def test_a_worker_killed_from_outside(dashboard: Dashboard) -> None:
    dashboard.wait_training()
    workers = dashboard.workers()
    os.kill(workers[1], signal.SIGKILL)
    deadline = time.monotonic() + 30
    lstm_log = dashboard.logs()[1]
    while read_run_log(lstm_log)[-1].kind != "run_ended":   # the parent closes its log
        assert time.monotonic() < deadline, "the killed worker's log was not closed"
        time.sleep(0.05)
    assert read_run_log(lstm_log)[-1].reason == "failed"
    rnn_size = dashboard.log_sizes()[0]
    dashboard.wait_training(more_than=[rnn_size, 0])     # the other keeps training
    assert dashboard.exited() is None and running(workers[0])
    dashboard.press(b"q")
    assert dashboard.wait_exit() == 0, dashboard.tail()
    assert_clean_end(dashboard, workers)
