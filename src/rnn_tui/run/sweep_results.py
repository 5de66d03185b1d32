"""A sweep's folder: what the sweep command writes and what a viewer reads.

    sweeps/horizon/
      sweep.json      the grid: the sweep file's text and every run's id and config
      results.jsonl   one line per finished run, appended and flushed as each one ends
      logs/<id>.jsonl one run log per run (the usual format)
      sweep.lock      while a sweep writes here: its host and process id

The results file only grows. A reader follows it from where it stopped and takes only
complete lines, so a sweep still writing (or killed mid-line) never confuses it.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .config import RunConfig
from .events import RunEnded
from .presets import PresetError
from .runlog import parse_line
from .sweep_grid import Sweep

GRID_FILE = "sweep.json"
RESULTS_FILE = "results.jsonl"
LOGS_DIR = "logs"
LOCK_FILE = "sweep.lock"  # held by the process writing into the folder

# The fields of a run in results.jsonl and in `sweep --json` (plus `id`, `message`,
# `solved_seconds` and the whole `config`).
RUN_FIELDS = ("cell", "task", "seq_len", "hidden_size", "batch_size", "lr", "seed", "steps",
              "state", "solved_step", "final_loss", "baseline_loss", "seconds", "log", "worker")
WHAT_RAN = RUN_FIELDS[:7]


# What the readers of a result take from it by name (the report, the map, the viewer): a
# line without them (edited by hand, or from an older version) is not a result.
READ_FIELDS = ("id", "log", "state", "solved_step", "cell", "task", "seq_len", "seed")


def is_result(record: Any) -> bool:
    """A line the readers can use: every field they read there, of its type (a hand-edited
    `"solved_step": "x"` made the report and the viewer fail with a traceback)."""
    return (isinstance(record, dict) and all(k in record for k in READ_FIELDS)
            and all(isinstance(record[k], str) for k in ("id", "log", "state", "cell", "task"))
            and all(_whole(record[k]) for k in ("seq_len", "seed"))
            and (record["solved_step"] is None or _whole(record["solved_step"])))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


CUT_SHORT = ("interrupted", "stopped")  # a run_ended reason that a rerun runs again


def _end_reason(path: Path) -> str | None:
    """The reason of the `run_ended` a run log ends with (its tail only), or None."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, 2) - 512))
            tail = file.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
        last = parse_line(tail.decode("utf-8", "replace"))
    except (OSError, ValueError):  # (gone, or a line being written)
        return None
    return last.reason if isinstance(last, RunEnded) else None


def log_path(out: Path, run_id: str) -> Path:
    return Path(out) / LOGS_DIR / f"{run_id}.jsonl"


def result_record(run_id: str, config: RunConfig, summary: dict[str, Any]) -> dict[str, Any]:
    """The results.jsonl line of a run (its log named relative to the sweep's folder)."""
    settings = config.to_dict()
    record = {"id": run_id} | {k: summary.get(k) for k in RUN_FIELDS}
    # What ran is the configuration's: a run Dask gave up on has no summary to say it.
    record |= {k: settings[k] for k in WHAT_RAN}
    # A log the run could not write to the end (a full disk): its result stands, and
    # says so ("warnings"), as the progress line does.
    record |= {"message": summary.get("message"), "warnings": summary.get("warnings") or [],
               "solved_seconds": summary.get("solved_seconds"),
               "log": f"{LOGS_DIR}/{run_id}.jsonl", "config": settings,
               "code": summary.get("code")}
    return record


def prepare(out: Path, sweep: Sweep) -> None:
    """Make `out` hold this sweep: a new folder, or the same sweep's (its grid may only
    grow). PresetError, saying what differs, when `out` holds something else."""
    out = Path(out)
    grid = out / GRID_FILE
    if grid.is_file():
        old = read_grid(out)
        new_ids = {run.id for run in sweep.runs}
        dropped = [r for r in old["runs"] if r["id"] not in new_ids]
        if dropped:
            differ = _differences(old["runs"], sweep) or f"for one, {dropped[0]['id']}"
            raise PresetError(
                f"{out} holds a different sweep: {len(dropped)} of its {len(old['runs'])} "
                f"runs are not in {sweep.source} ({differ}); a sweep may only add runs "
                "to its folder: give another --out or remove this one")
    elif out.exists() and any(p.name != LOCK_FILE for p in out.iterdir()):
        raise PresetError(f"{out} is not empty and holds no sweep ({GRID_FILE} is missing); "
                          "give another --out")
    (out / LOGS_DIR).mkdir(parents=True, exist_ok=True)
    _write_atomically(grid, json.dumps({
        "source": sweep.source, "text": sweep.text, "swept": list(sweep.swept),
        "runs": [{"id": r.id, "config": r.config.to_dict()} for r in sweep.runs]}, indent=1))


def _differences(old_runs: list[dict[str, Any]], sweep: Sweep) -> str:
    """"steps: 150 there, 200 in b.toml": the settings whose values in the folder's grid
    are not all in the new one (which one of a dozen changed is what the user asks);
    else those of one cell ("lr of lstm: …": a cell's table changed, whose values the
    other cells still hold)."""
    new_configs = [run.config.to_dict() for run in sweep.runs]
    said = _changed(old_runs, new_configs, "", sweep.source)
    for cell in dict.fromkeys(c["cell"] for c in new_configs) if not said else ():
        old_cell = [run for run in old_runs if run["config"].get("cell") == cell]
        new_cell = [config for config in new_configs if config["cell"] == cell]
        said = "; ".join(filter(None, (said, _changed(old_cell, new_cell, f" of {cell}",
                                                      sweep.source))))
    return said


def _changed(old_runs: list[dict[str, Any]], new_configs: list[dict[str, Any]], whose: str,
             source: str) -> str:
    said = []
    for key in new_configs[0] if new_configs and old_runs else ():
        there = {run["config"].get(key) for run in old_runs}
        here = {config[key] for config in new_configs}
        if not there <= here:
            said.append(f"{key}{whose}: {_listed(there)} there, {_listed(here)} in {source}")
    return "; ".join(said)


def _listed(values: set[Any]) -> str:
    return ", ".join(str(v) for v in sorted(values, key=lambda v: (str(type(v)), v)))


def read_grid(out: Path) -> dict[str, Any]:
    path = Path(out) / GRID_FILE
    try:
        grid = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PresetError(f"{path}: cannot read the sweep's grid: {err}") from None
    if not _is_grid(grid):  # JSON, but not what `rnn-tui sweep` writes (edited by hand?)
        raise PresetError(f"{path}: not a sweep's grid (a list of runs, each an id and a "
                          "config, as `rnn-tui sweep` writes)")
    return grid


def _is_grid(grid: Any) -> bool:
    return (isinstance(grid, dict) and isinstance(grid.get("runs"), list)
            and isinstance(grid.get("swept", []), list)
            and all(isinstance(run, dict) and isinstance(run.get("id"), str)
                    and isinstance(run.get("config"), dict) for run in grid["runs"]))


def _write_atomically(path: Path, text: str) -> None:
    # A viewer may read the grid at any moment: it sees the old one or the new one.
    partial = path.with_suffix(".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """This process alone writes into `out` while inside: a second sweep started on the
    same folder is refused (it would run the same runs again). A lock left by a process
    that is gone (killed) is taken over."""
    lock = Path(out) / LOCK_FILE
    me = f"{socket.gethostname()} {os.getpid()}"
    while True:
        try:
            with lock.open("x", encoding="utf-8") as file:
                file.write(me)
            break
        except FileExistsError:
            holder = lock_holder(out)
            if holder is not None:
                # (Another host's process cannot be looked for from here: its lock may
                # be stale, and only the user can tell.)
                stale = "" if holder[0] == socket.gethostname() else (
                    f"; if no sweep runs there any more (the machine went down), remove "
                    f"{lock} and run this again")
                raise PresetError(
                    f"another sweep (process {holder[1]} on {holder[0]}) is writing into "
                    f"{out}; watch it with: rnn-tui sweep-view {out}{stale}") from None
            lock.unlink(missing_ok=True)  # its process is gone
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def lock_holder(out: Path) -> tuple[str, str] | None:
    """(host, process id) of the sweep writing into `out` now; None when no lock is
    there or its process is gone (killed)."""
    try:
        holder = (Path(out) / LOCK_FILE).read_text(encoding="utf-8").split()
    except OSError:
        return None
    return (holder[0], holder[1]) if len(holder) == 2 and _alive(*holder) else None


def _alive(host: str, pid: str) -> bool:
    """Whether the lock's holder still runs (another host's: assume it does)."""
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


class ResultsWriter:
    """Appends one line per finished run to results.jsonl, flushed at once; the file
    holds whole lines only (a line a full disk or a kill cut short is taken out)."""

    def __init__(self, out: Path) -> None:
        self._file: BinaryIO = (Path(out) / RESULTS_FILE).open("a+b", buffering=0)
        # A writer killed mid-line left a cut line: its run has no result and runs again.
        # (Ended with a newline instead, it stayed as a line that is no JSON for good.)
        self._truncate(whole_lines_size(self._file.fileno()))

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8")
        fd = self._file.fileno()
        start = os.fstat(fd).st_size
        try:
            done = 0
            while done < len(line):
                done += os.write(fd, line[done:])
        except OSError:
            self._truncate(start)  # a full disk wrote part of it: the part goes
            raise

    def _truncate(self, size: int) -> None:
        try:
            os.ftruncate(self._file.fileno(), size)
        except OSError:  # (a file system that cannot: the readers skip a cut line)
            pass

    def close(self) -> None:
        self._file.close()


def whole_lines_size(fd: int) -> int:
    """Bytes up to the end of the last whole line of the file open at `fd`."""
    end = os.fstat(fd).st_size
    while end > 0:
        start = max(0, end - (1 << 16))
        chunk = os.pread(fd, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            return start + cut + 1  # (= size when the file ends in a newline)
        end = start
    return 0


@dataclass
class ResultsFollower:
    """Reads results.jsonl as it grows: each `poll` returns the runs added since the last
    (complete lines only; a line still being written waits for the next poll)."""

    out: Path
    offset: int = 0
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    unreadable: int = 0  # lines that are no result (cut by a kill, edited, older)

    def poll(self) -> list[dict[str, Any]]:
        try:
            with (Path(self.out) / RESULTS_FILE).open("rb") as file:
                file.seek(self.offset)
                chunk = file.read()
        except FileNotFoundError:
            return []
        complete = chunk[:chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        new = []
        for line in complete.splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # a line cut by a killed writer, then appended after
                record = None
            if is_result(record):
                self.results[record["id"]] = record
                new.append(record)
            else:  # (its run is not done: a rerun does it again)
                self.unreadable += 1
        return new


def read_results(out: Path) -> dict[str, dict[str, Any]]:
    """Every finished run in `out` so far, by id (the last line wins)."""
    return read_follower(out).results


def read_follower(out: Path) -> ResultsFollower:
    """A follower that has read `out`'s results so far (and counted the unreadable lines)."""
    follower = ResultsFollower(Path(out))
    follower.poll()
    return follower


@dataclass
class SweepFolder:
    """What a viewer needs from a sweep's folder: the grid and the results so far."""

    out: Path
    grid: dict[str, Any] = field(default_factory=dict)
    follower: ResultsFollower | None = None
    grid_stamp: tuple[int, int] | None = None

    def refresh(self) -> list[dict[str, Any]]:
        """Re-read the grid when it changed (it may grow) and return the runs finished
        since the last refresh."""
        stat = (Path(self.out) / GRID_FILE).stat()
        if (stat.st_mtime_ns, stat.st_size) != self.grid_stamp:
            self.grid = read_grid(self.out)
            self.grid_stamp = (stat.st_mtime_ns, stat.st_size)
        if self.follower is None:
            self.follower = ResultsFollower(self.out)
        return self.follower.poll()

    def writing(self) -> bool:
        """Whether a sweep is writing into the folder now: else a run with a log and no
        result was cut short, and is not running."""
        return lock_holder(self.out) is not None

    def started(self) -> set[str]:
        """Ids of the runs with a log but no result yet: running (or cut short)."""
        logs = {p.stem for p in (Path(self.out) / LOGS_DIR).glob("*.jsonl")}
        return logs - set(self.results)

    def ended(self, run_ids: set[str]) -> dict[str, str]:
        """Those of `run_ids` whose log has ended, with the reason. While a sweep writes,
        one ended `interrupted` (Ctrl-C) is cut short until the sweep starts it again (its
        log is then written afresh); one ended otherwise is a run whose result is on its
        way: neither is running."""
        reasons = {run_id: _end_reason(log_path(self.out, run_id)) for run_id in run_ids}
        return {run_id: reason for run_id, reason in reasons.items() if reason}

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        return self.follower.results if self.follower else {}

    def log(self, record: dict[str, Any]) -> Path:
        return Path(self.out) / record["log"]
