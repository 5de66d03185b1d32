from __future__ import annotations

import os
import time
from pathlib import Path

import pytest


def child_pids(parent: int | None = None) -> list[int]:
    """Live processes whose parent is `parent` (default: this test process)."""
    parent = os.getpid() if parent is None else parent
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) != parent or fields[0] == "Z":
            continue
        try:
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" in cmdline:  # multiprocessing's own helper, lives with us
            continue
        pids.append(int(stat.parent.name))
    return pids


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
