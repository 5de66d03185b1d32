from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def live_processes() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the command: state, ppid, pgrp, session,
    ...) of every process that is not a zombie (PID 1 reaps those when it gets round to it)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            yield int(stat.parent.name), fields


def child_pids(parent: int | None = None) -> list[int]:
    """Live processes whose parent is `parent` (default: this test process)."""
    parent = os.getpid() if parent is None else parent
    pids = []
    for pid, fields in live_processes():
        if int(fields[1]) != parent:
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" in cmdline:  # multiprocessing's own helper, lives with us
            continue
        pids.append(pid)
    return pids


def like_a_terminal() -> None:
    """`preexec_fn` for a program a test interrupts: SIGINT and SIGHUP at their defaults,
    as a shell gives a foreground program. A background job of a non-interactive shell,
    as CI may run us, starts with SIGINT ignored (Python then never raises
    KeyboardInterrupt), and under `nohup` with SIGHUP ignored (a closed terminal then
    never reaches the program)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


class PtyProgram:
    """`python -m rnn_tui ARGS` on a pseudo-terminal of its own (its own session, the pty
    its terminal), started as a terminal starts a program; its output always drained (a
    terminal nobody reads blocks the program on its next write)."""

    def __init__(self, args: list[str], cols: int = 120, rows: int = 36) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            like_a_terminal()
            os.execvpe(sys.executable, [sys.executable, "-m", "rnn_tui", *args], os.environ)
        self.resize(cols, rows)
        self.output = bytearray()
        self.status: int | None = None  # its exit code, once it exited
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.output += data

    def resize(self, cols: int, rows: int) -> None:
        # The kernel sends SIGWINCH to the terminal's foreground group, as a terminal does.
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def exited(self) -> int | None:
        """Its exit code (negative: the signal that ended it), or None while it runs."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status


@pytest.fixture(autouse=True)
def no_child_left_behind():
    yield
    # A generous deadline: a worker that was told to stop may still be exiting on a
    # loaded machine, and 5 s (as it was) is a hidden time budget, not a check.
    deadline = time.monotonic() + 30
    while child_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child_pids() == [], f"a test left child processes running: {child_pids()}"


def running(pid: int) -> bool:
    """Alive and not a zombie (PID 1 reaps orphans when it gets round to it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_gone(pids: list[int], timeout: float = 20.0) -> None:
    """Wait until none of `pids` runs; fail naming the ones that still do."""
    deadline = time.monotonic() + timeout
    while [pid for pid in pids if running(pid)]:
        assert time.monotonic() < deadline, (
            f"processes {[p for p in pids if running(p)]} still running after {timeout} s")
        time.sleep(0.05)


def python(*args: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """This interpreter run as a user would, output captured as text."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def rnn_tui(*args: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """The `rnn-tui` command (as `python -m rnn_tui`, so PYTHONPATH's tree is the one run)."""
    return python("-m", "rnn_tui", *args, cwd=cwd, timeout=timeout)
