"""A program that holds a Session and is told to go (SIGTERM, or its terminal closed:
SIGHUP to the whole group) ends every run in its log and leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from rnn_tui.run.runlog import read_run_log

from .conftest import child_pids, like_a_terminal, wait_gone

HOLDER = """
import sys, time
from pathlib import Path
from rnn_tui.run.config import RunConfig
from rnn_tui.run.session import Session

small = RunConfig(seq_len=10, hidden_size=8, batch_size=4)
session = Session([small.with_(cell="rnn"), small.with_(cell="lstm")], Path(sys.argv[1]))
session.start()
while True:
    session.poll(timeout=0.1)
"""


def wait_for_logs(log_dir, proc) -> None:
    deadline = time.monotonic() + 30
    while len(list(log_dir.glob("*.jsonl"))) < 2 or any(
            p.stat().st_size < 2000 for p in log_dir.glob("*.jsonl")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)


@pytest.mark.parametrize("sig, whole_group", [(signal.SIGTERM, False), (signal.SIGHUP, True)])
def test_the_holder_goes_and_every_log_ends(tmp_path, sig, whole_group) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                            start_new_session=True, preexec_fn=like_a_terminal,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for_logs(tmp_path, proc)
        workers = child_pids(proc.pid)
        if whole_group:
            os.killpg(proc.pid, sig)                    # a closed terminal: everyone hears it
        else:
            proc.send_signal(sig)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -sig, proc.stderr.read()  # it still dies of the signal
    for log in tmp_path.glob("*.jsonl"):
        assert read_run_log(log)[-1].reason == "interrupted"
    wait_gone(workers)
