"""`m` in the live view of `rnn-tui sweep` on a terminal: the map opens (`rnn-tui
sweep-view OUT`, a child in the foreground of the same pseudo-terminal) while the sweep
goes on collecting results, `q` brings the bar back, and the sweep ends as usual. Ctrl-C
in the live view still interrupts the sweep (exit 130) and the terminal gets its settings
back."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rnn_tui.run.sweep_keys import HeldOutput
from rnn_tui.run.sweep_results import RESULTS_FILE

from .conftest import PtyProgram, child_pids, wait_gone

# Runs of a second or two each (half a second a thousand steps, on a quiet machine), one
# at a time: still running when `m` is pressed, and more of them finish while the map
# is open. (6000 steps made the `m` test the suite's slowest by far, 28 s of its ~220.)
SWEEP = """\
task = "adding"
cells = ["rnn"]
seq_len = 30
seed = [0, 1, 2, 3, 4, 5, 6, 7]
hidden_size = 8
batch_size = 16
steps = 3000
"""
RUNS = 8
CSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|[PX^_][^\x1b]*\x1b\\|\][^\x07\x1b]*(\x07|\x1b\\)|.)")
FINISHED = re.compile(r"(\d+) of (\d+) runs finished")


class Terminal(PtyProgram):
    """`rnn-tui sweep ...` on a pseudo-terminal of its own (its session, its foreground)."""

    def __init__(self, *args: str, cols: int = 120, rows: int = 36) -> None:
        super().__init__(list(args), cols, rows)
        self.mode = 0  # the terminal's local modes before the sweep changed them

    def text(self, since: int = 0) -> str:
        """What was written from byte `since` on, escape sequences taken out."""
        return CSI.sub(b"", bytes(self.output[since:])).decode("utf-8", "replace")

    def wait_until(self, condition: Callable[[], object], what: str,
                   timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.exited() is None or condition(), (
                f"the sweep exited ({self.status}) before {what}: {self.text()[-1500:]}")
            assert time.monotonic() < deadline, (
                f"not within {timeout} s: {what}; the screen's last words: "
                f"{self.text()[-1500:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        processes = [self.pid, *all_children(self.pid)]
        if self.exited() is None:
            os.killpg(self.pid, signal.SIGKILL)  # its session's group: the viewer too
            while self.exited() is None:
                time.sleep(0.05)
        try:
            os.close(self.fd)
        except OSError:
            pass
        wait_gone(processes)


def all_children(pid: int) -> list[int]:
    """Every live descendant of `pid` (the Dask workers, the viewer)."""
    found, todo = [], [pid]
    while todo:
        children = child_pids(todo.pop())
        found += children
        todo += children
    return found


def finished_runs(out: Path) -> list[str]:
    """Ids of the runs in results.jsonl, one per line (a line still being written waits)."""
    try:
        text = (out / RESULTS_FILE).read_text()
    except FileNotFoundError:
        return []
    return [json.loads(line)["id"] for line in text[:text.rfind("\n") + 1].splitlines()]


def shown_finished(term: Terminal, since: int) -> int:
    """The most runs the map's title has shown finished (-1: no title yet)."""
    counts = [int(m.group(1)) for m in FINISHED.finditer(term.text(since))]
    return max(counts, default=-1)


@contextmanager
def live_sweep(tmp_path: Path, text: str = SWEEP) -> Iterator[tuple[Terminal, Path]]:
    """The sweep of `text` (one worker) in its live view on a terminal, the key's hint
    on screen; killed, with anything it started, when the test is done."""
    file, out = tmp_path / "keys.toml", tmp_path / "out"
    file.write_text(text)
    term = Terminal("sweep", str(file), "--out", str(out), "--workers", "1")
    term.mode = termios.tcgetattr(term.fd)[3]
    try:
        term.wait_until(lambda: "m: the map as it fills" in term.text(), "the key's hint")
        yield term, out
    finally:
        term.kill()


def open_map(term: Terminal) -> int:
    """Press `m` and wait for the map's screen; where in the output it starts."""
    opened = len(term.output)
    term.press(b"m")
    term.wait_until(lambda: shown_finished(term, opened) >= 0, "the map's screen")
    return opened


def test_m_opens_the_map_while_the_sweep_goes_on(tmp_path) -> None:
    with live_sweep(tmp_path) as (term, out):
        term.wait_until(lambda: finished_runs(out), "a first run finished")
        assert len(finished_runs(out)) < RUNS - 2, "the sweep ran too fast for this test"
        opened = open_map(term)
        viewers = viewers_of(term)
        assert len(viewers) == 1, "the map is not a child of the sweep"
        first = shown_finished(term, opened)
        # The sweep collects results while the map is open: the map shows them arrive.
        term.wait_until(lambda: shown_finished(term, opened) > first,
                        f"one more run than the {first} the map opened with shown finished")
        term.press(b"q")
        wait_gone(viewers, timeout=60)
        closed = len(term.output)
        term.wait_until(lambda: term.exited() is not None, "the sweep's end", timeout=300)
        assert term.status == 0, term.text()[-2000:]
        after = term.text(closed)
        assert f"{RUNS} of {RUNS} runs in {out}/results.jsonl" in after, after[-2000:]
        assert not FINISHED.search(after)  # nothing of the map after it closed
        assert "Traceback" not in term.text(), term.text()[-3000:]
        ids = finished_runs(out)
        assert len(ids) == len(set(ids)) == RUNS


def viewers_of(term: Terminal) -> list[int]:
    return [p for p in child_pids(term.pid)
            if b"sweep-view" in Path(f"/proc/{p}/cmdline").read_bytes()]


def test_a_sweep_that_ends_under_the_map_waits_for_it_then_reports(tmp_path) -> None:
    two_runs = SWEEP.replace("seed = [0, 1, 2, 3, 4, 5, 6, 7]", "seed = [0, 1]")
    with live_sweep(tmp_path, two_runs) as (term, out):
        opened = open_map(term)
        term.wait_until(lambda: shown_finished(term, opened) == 2, "the map showing 2 of 2")
        viewers = viewers_of(term)
        # The cluster closed, every run in: the sweep has only the map left to wait for.
        term.wait_until(lambda: child_pids(term.pid) == viewers, "the sweep's cluster closed")
        assert term.exited() is None, "the sweep ended under the user's map"
        assert "runs in" not in term.text(opened)       # no report over the map
        term.press(b"q")
        term.wait_until(lambda: term.exited() is not None, "the sweep's end after q")
        assert term.status == 0, term.text()[-2000:]
        assert f"2 of 2 runs in {out}/results.jsonl" in term.text(opened)


def test_the_map_does_not_outlive_a_sweep_told_to_stop(tmp_path) -> None:
    with live_sweep(tmp_path) as (term, out):
        open_map(term)
        viewers = viewers_of(term)
        assert len(viewers) == 1
        os.kill(term.pid, signal.SIGTERM)
        term.wait_until(lambda: term.exited() is not None, "the sweep's end after SIGTERM")
        assert term.status == 130, term.text()[-2000:]
        wait_gone(viewers)
        assert termios.tcgetattr(term.fd)[3] == term.mode, "the terminal kept another mode"
        assert len(set(finished_runs(out))) < RUNS


def test_ctrl_c_in_the_live_view_interrupts_and_restores_the_terminal(tmp_path) -> None:
    with live_sweep(tmp_path) as (term, out):
        term.wait_until(lambda: not termios.tcgetattr(term.fd)[3] & termios.ICANON,
                        "the live view listening for keys (cbreak)")
        assert termios.tcgetattr(term.fd)[3] & termios.ISIG, "Ctrl-C would not interrupt"
        term.wait_until(lambda: finished_runs(out), "a first run finished")
        term.press(b"\x03")                      # the terminal turns it into SIGINT
        term.wait_until(lambda: term.exited() is not None, "the sweep's end", timeout=120)
        assert term.status == 130, term.text()[-2000:]
        assert "interrupted: run the same command again to resume" in term.text()
        assert termios.tcgetattr(term.fd)[3] == term.mode, "the terminal kept cbreak mode"
        assert not (out / "sweep.lock").exists()  # a rerun may resume (tests/run/test_sweep)
        assert 1 <= len(set(finished_runs(out))) < RUNS


def test_what_the_sweep_writes_under_the_map_waits_for_it(capsys) -> None:
    logger = logging.getLogger("rnn_tui.test.held")
    handler = logging.StreamHandler(sys.stderr)  # bound now, as Dask's are at import
    logger.addHandler(handler)
    try:
        held = HeldOutput()
        held.hold()
        print("a line of the sweep")
        logger.warning("a log line of the client")
        released = capsys.readouterr()
        held.release()
        assert (released.out, released.err) == ("", "")   # nothing while the map is up
        after = capsys.readouterr()
        assert after.out == "a line of the sweep\n"
        assert after.err == "a log line of the client\n"
        assert handler.stream is sys.stderr
    finally:
        logger.removeHandler(handler)
