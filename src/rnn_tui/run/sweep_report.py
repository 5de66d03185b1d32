"""What `rnn-tui sweep` shows: a live progress bar on a terminal (runs done, running,
failed, time left and elapsed; `m` opens the map as it fills, see `sweep_keys`), one
plain line per finished run elsewhere, and the map at the end."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .sweep_keys import MapKey
from .sweep_map import MapEntry, SweepMap

NO_WORKERS = "no worker in the cluster"
NO_WORKERS_AFTER = 15.0  # seconds without one before it is said
WAITING = ("the runs wait for one to join (`dask worker SCHEDULER`, on a machine with "
           "rnn-tui installed; a worker that cannot import it dies at once)")


class ReaderMayLeave(Console):
    """A Console whose reader may go (`rnn-tui sweep | head -1`). Rich's own exits 1 at
    once (SystemExit): past the sweep's stopping of its runs (those in flight were cut
    mid-line, a finished one lost its result) and past the exit 141 that any `rnn-tui`
    command gives when its reader leaves. This one raises `stop` and says why
    (`reader_left`)."""

    def __init__(self, *args: Any, stop: type[BaseException] = BrokenPipeError,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stop, self.reader_left = stop, False

    def on_broken_pipe(self) -> None:
        self.quiet = True
        self.reader_left = True
        raise self.stop


class SweepProgress:
    """Progress of the runs this invocation submits (the skipped ones are already done)."""

    def __init__(self, out: TextIO, total: int, skipped: int, folder: str = "",
                 map_key: bool = False, swept: Sequence[str] = ()) -> None:
        """`map_key`: stdin and stdout are this terminal, so `m` may open the map;
        `swept`: the keys whose values each run's line names."""
        # (Its reader gone, the sweep stops as on Ctrl-C; `run_sweep` then exits 141.)
        self.console = ReaderMayLeave(file=out, stop=KeyboardInterrupt)
        self.swept = tuple(swept)
        self.total, self.skipped, self.folder = total, skipped, folder
        self.done = self.failed = self.running = 0
        self.no_workers = self.said_no_workers = False
        self.no_workers_since: float | None = None
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.keys: MapKey | None = None
        if self.console.is_terminal:
            self.bar = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.description} · elapsed"),
                                TimeElapsedColumn(),
                                console=self.console)
            self.task = self.bar.add_task(self._status(), total=total)
            if map_key and total and folder:
                self.keys = MapKey(folder, self.pause, self.resume)

    def __enter__(self) -> SweepProgress:
        if self.skipped:
            self.console.print(f"{self.skipped} runs already in the results: skipped",
                               highlight=False)
        if self.keys is not None:
            self.console.print(f"m: the map as it fills (rnn-tui sweep-view {self.folder})",
                               style="dim", highlight=False)
        elif self.total and self.folder and self.console.is_terminal:
            self.console.print(f"the map as it fills: rnn-tui sweep-view {self.folder}",
                               style="dim", highlight=False)
        if self.bar is not None:
            self.bar.start()
        if self.keys is not None:
            self.keys.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        try:
            if self.keys is not None:  # finished: waits for the map the user has open
                self.keys.close(finished=exc_type is None)
        finally:
            if self.bar is not None:
                self.bar.stop()

    def pause(self) -> None:
        """Take the bar off the terminal (the map's screen comes next)."""
        if self.bar is not None:
            self.bar.live.transient = True  # erased, not left behind as a stale line
            self.bar.stop()
            self.bar.live.transient = False

    def resume(self) -> None:
        if self.bar is not None:
            self.bar.start()

    def _status(self) -> str:
        running = NO_WORKERS if self.no_workers else f"{self.running} running"
        # (Two bare times, "ETA 0:03:10 0:00:41", did not say which was which.)
        return f"done · {running} · {self.failed} failed · left {self.eta()}"

    def eta(self) -> str:
        """Time left at the rate so far (Rich's own estimate looks back only 30 s, and a
        sweep's runs take minutes each)."""
        if not self.done:
            return "-"
        left = (time.monotonic() - self.started) / self.done * (self.total - self.done)
        return str(timedelta(seconds=round(left)))

    def run_done(self, record: dict[str, Any]) -> None:
        self.done += 1
        self.failed += record.get("state") == "failed"
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, description=self._status())
        else:
            self.console.print(f"[{self.done}/{self.total}] {run_line(record, self.swept)}",
                               highlight=False, soft_wrap=True)

    def say(self, line: str) -> None:
        """A line above the bar (or among the run lines without one)."""
        self.console.print(line, highlight=False, soft_wrap=True, markup=False)

    def tick(self, running: int, slots: int | None = None) -> None:
        """`slots`: the runs the cluster can run at once; 0 when it has no worker (a
        scheduler whose workers died, or could not import rnn-tui): said, not waited on
        in silence."""
        self.running = running
        now = time.monotonic()
        if slots != 0:
            self.no_workers_since = None
        elif self.no_workers_since is None:
            self.no_workers_since = now
        # Not a worker that its nanny is restarting (a second or two): none for a while.
        self.no_workers = (self.no_workers_since is not None
                           and now - self.no_workers_since >= NO_WORKERS_AFTER)
        if self.no_workers and self.bar is None and not self.said_no_workers:
            self.said_no_workers = True
            self.console.print(f"{NO_WORKERS}: {WAITING}", highlight=False, soft_wrap=True)
        if self.keys is not None:
            self.keys.poll()
        if self.bar is not None:
            self.bar.update(self.task, description=self._status())


NAMED = ("cell", "task", "seq_len", "seed")  # in every run's line


def outcome_text(record: dict[str, Any]) -> str:
    """How a run ended, by its result: "solved at step 289", "finished at step 300, not
    solved", or its message ("diverged at step 2: loss is inf")."""
    solved = record.get("solved_step")
    message = record.get("message")
    if solved is not None:
        return f"solved at step {solved}" + (f": {message}" if message else "")
    if message:  # it says where and why
        return str(message)
    return f"{record.get('state')} at step {record.get('steps')}, not solved"


def run_line(record: dict[str, Any], swept: Sequence[str] = ()) -> str:
    """One finished run: what it is (with the other swept keys' values, which alone
    tell two runs of a sweep over lr apart) and how it ended."""
    outcome = outcome_text(record)
    warnings = record.get("warnings")
    if isinstance(warnings, list) and warnings:  # its log was cut short, say
        outcome += f"; {warnings[0]}"
    config = record.get("config") or record
    values = "".join(f" {key}={config.get(key)}" for key in swept if key not in NAMED)
    # (A run Dask gave up on has neither a time nor a worker: it read "(-, None)".)
    where = ", ".join(part for part in (_seconds(record.get("seconds")), record.get("worker"))
                      if part)
    return (f"{record['cell']} {record['task']} T={record['seq_len']} seed={record['seed']}"
            f"{values}: {outcome}" + (f" ({where})" if where else ""))


def _seconds(value: float | None) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.0f} s"


def map_table(sweep_map: SweepMap) -> Table:
    title = "  ".join(f"{k} = {v}" for k, v in sweep_map.fixed.items())
    table = Table(title=title or None)
    table.add_column("cell")
    for column in sweep_map.columns:
        label = "T" if sweep_map.column == "seq_len" else sweep_map.column
        table.add_column(f"{label}={column}", justify="right")
    for row in sweep_map.rows:
        table.add_row(row, *(entry_text(sweep_map.entries.get((row, column)))
                             for column in sweep_map.columns))
    return table


def entry_text(entry: MapEntry | None) -> str:
    """`2/3 · 840` (markup): seeds solved of runs finished (failed ones apart), median
    steps, and how many diverged or failed; green all solved, yellow some, red none,
    magenta when every result is a failure, dim while nothing has finished."""
    if entry is None:
        return ""
    if not entry.finished:
        return f"[dim]… / {entry.runs}[/]"
    median = entry.median_steps
    # A failed run (raised, or Dask gave up on it) says nothing about memory: it is told
    # apart, not counted among the runs the seeds solved (its "0/1" read as a run that
    # trained and did not learn).
    parts = [f"{entry.solved}/{entry.counted}" + (f" · {steps_text(median)}" if median else "")
             ] if entry.counted else []
    if entry.diverged:  # (a run that exploded is another failure to learn than a flat one)
        parts.append(f"{entry.diverged} diverged")
    if entry.failed:
        parts.append(f"{entry.failed} failed")
    text = " · ".join(parts)
    if entry.finished < entry.runs:
        text += f" [dim](of {entry.runs})[/]"
    colour = ("magenta" if not entry.counted else "green" if entry.solved == entry.counted
              else "red" if entry.solved == 0 else "yellow")
    return f"[{colour}]{text}[/]"


UNBOUNDED = 10_000  # columns: as wide as a table asks


def steps_text(median: float) -> str:
    """654.5 for the median of 622 and 687 (not 654: Python rounds half to even, and the
    user who recomputes it from the results should find the number shown)."""
    return f"{median:.0f}" if median == int(median) else f"{median:.1f}"


def print_maps(out: TextIO, maps: list[SweepMap]) -> None:
    console = ReaderMayLeave(file=out)
    # A terminal's width is the reader's; a file, a pipe or a CI log has none (Rich takes
    # 80), and a map wrapped there cuts its entries in two: there a table takes its width.
    wide = not console.is_terminal
    for sweep_map in maps:
        table = map_table(sweep_map)
        if wide:
            needs = console.measure(table, options=console.options.update_width(UNBOUNDED))
            ReaderMayLeave(file=out, width=max(console.width, needs.maximum)).print(table)
        else:
            console.print(table)
    if maps:
        console.print("each entry: seeds solved / runs finished · median steps to solve"
                      " (· how many diverged or failed)",
                      highlight=False, soft_wrap=wide)
