"""`rnn-tui train`: the same experiment without a screen. Live lines while it trains,
a summary table (or JSON) at the end."""

from __future__ import annotations

import json
import math
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .config import RunConfig
from .events import Event, LogStopped
from .progress import ModelProgress
from .session import Session

TTY_REFRESH = 0.2  # seconds between redraws of the live lines on a terminal
PLAIN_EVERY = 5.0  # seconds between plain progress lines when stdout is not a terminal


def _fmt(value: float | None, spec: str = ".4g") -> str:
    """A number for the live lines and the table; losses to four significant figures (a
    fixed .4f printed a solved model's 4e-5 as 0.0000 and a diverging one's 2e12 with
    four decimals)."""
    return "-" if value is None or not math.isfinite(value) else format(value, spec)


def progress_line(p: ModelProgress) -> str:
    cell = p.config.get("cell", "?")
    return (f"{cell:5s} step {p.step:6d}  loss {_fmt(p.smoothed_loss)} "
            f"(baseline {_fmt(p.baseline_loss)})  metric {_fmt(p.smoothed_metric, '.3f')}  "
            f"{_fmt(p.steps_per_sec, '.1f')} steps/s  {p.state}")


class LiveLines:
    """One line per model, redrawn in place on a terminal; periodic plain lines elsewhere."""

    def __init__(self, out: TextIO, count: int) -> None:
        self.out, self.count = out, count
        self.tty = out.isatty()
        self.drawn = False
        self.last = 0.0 if self.tty else time.monotonic()  # plain lines: first after a while

    def note(self, line: str, err: TextIO) -> None:
        """A line of its own (a warning) on `err`; the live lines start again below it."""
        if self.tty and self.drawn and err.isatty():
            self.out.write(f"\x1b[{self.count}F\x1b[J")  # over the live lines, not under
        err.write(line + "\n")
        err.flush()
        self.drawn = False

    def update(self, progress: list[ModelProgress], force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < (TTY_REFRESH if self.tty else PLAIN_EVERY):
            return
        self.last = now
        lines = [progress_line(p) for p in progress]
        if self.tty:
            up = f"\x1b[{self.count}F" if self.drawn else ""
            self.out.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
            self.drawn = True
        else:
            self.out.write(" | ".join(lines) + "\n")
        self.out.flush()


def summary_table(progress: list[ModelProgress]) -> str:
    rows = [("cell", "final loss", "baseline", "metric", "beat baseline", "solved",
             "steps", "steps/s", "state", "log")]
    for p in progress:
        s = p.summary()

        def when(step: int | None, secs: float | None) -> str:
            return "never" if step is None else f"step {step} ({secs:.0f} s)"

        rows.append((s["cell"] or "?", _fmt(s["final_loss"]), _fmt(s["baseline_loss"]),
                     _fmt(s["metric"], ".3f"),
                     when(s["beat_baseline_step"], s["beat_baseline_seconds"]),
                     when(s["solved_step"], s["solved_seconds"]), str(s["steps"]),
                     _fmt(s["steps_per_sec"], ".1f"), s["state"], s["log"] or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    # Messages (a failure's reason can be long) go below, one line each, never in a column.
    lines += [f"{p.config.get('cell', '?')}: {p.message}" for p in progress if p.message]
    lines += [f"{p.config.get('cell', '?')}: warning: {w}" for p in progress for w in p.warnings]
    return "\n".join(lines)


FAILED_STATES = ("failed", "starting", "running", "paused")  # never ended properly


def exit_status(progress: list[ModelProgress], interrupted: bool) -> int:
    """130 interrupted; 1 when any run failed (an exception, a dead worker); else 0:
    finished, stopped and diverged are all results of the experiment."""
    if interrupted:
        return 130
    return 1 if any(p.state in FAILED_STATES for p in progress) else 0


class Interrupts:
    """Ctrl-C, SIGTERM and SIGHUP (a closed terminal) counted, for the loop to read
    between polls. Raised as an exception instead, one could land in the middle of
    reading a worker's pipe and lose the events already read (the summary then lagged
    the log), or, a second one, while the workers were joined, and lose the summary
    itself. (SIGHUP at its default killed `train` with no summary, as runs.md said it
    would not.)"""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.count = 0
        self._previous: dict[int, object] = {}

    def __call__(self, signum: int, frame: object) -> None:
        self.count += 1

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():  # (Python's rule)
            for signum in self.SIGNALS:
                # An ignored Ctrl-C (a background job's) stays ignored.
                if signal.getsignal(signum) is not signal.SIG_IGN:
                    self._previous[signum] = signal.signal(signum, self)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def train(configs: list[RunConfig], log_dir: Path | None, as_json: bool = False,
          out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Train side by side until every run ends (or Ctrl-C, SIGTERM, SIGHUP). Exit status: see
    `exit_status` (0 every run ended as a result, 1 one failed, 130 interrupted)."""
    out, err = out or sys.stdout, err or sys.stderr
    progress = [ModelProgress(config=config.to_dict()) for config in configs]
    live = LiveLines(err if as_json else out, len(configs))
    session = Session(configs, log_dir)

    def fold(events: list[tuple[int, Event]]) -> None:
        for slot, event in events:
            progress[slot].update(event)
            if isinstance(event, LogStopped):
                live.note(f"rnn-tui: warning: {progress[slot].config.get('cell', '?')}: "
                          f"{event.message}", err)

    with Interrupts() as interrupts:
        try:
            session.start()
            while not all(p.ended for p in progress) and not interrupts.count:
                fold(session.poll(timeout=0.1))
                live.update(progress)
            if interrupts.count:
                session.stop("interrupted")
                wait_for_end(session, progress, fold, interrupts)
        finally:
            session.close("interrupted")
            fold(session.poll())  # what the workers said as they were joined
    interrupted = interrupts.count > 0
    live.update(progress, force=True)
    if as_json:
        json.dump({"models": [p.summary() for p in progress], "interrupted": interrupted,
                   "exit_status": exit_status(progress, interrupted)}, out, indent=2)
        out.write("\n")
    else:
        out.write("\n" + summary_table(progress) + "\n")
    out.flush()
    return exit_status(progress, interrupted)


def wait_for_end(session: Session, progress: list[ModelProgress],
                 fold: Callable[[list[tuple[int, Event]]], None], interrupts: Interrupts,
                 seconds: float = 3.0) -> None:
    """Until every run has ended, for at most `seconds`; a second Ctrl-C stops the wait
    (the workers are then joined, and the summary still printed)."""
    deadline = time.monotonic() + seconds
    while (not all(p.ended for p in progress) and time.monotonic() < deadline
           and interrupts.count < 2):
        fold(session.poll(timeout=0.1))
