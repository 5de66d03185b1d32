"""Run logs: one JSONL file per model run, header (RunStarted) first, flushed as written.

A crash loses at most the line being written; the reader skips a truncated last line
with a warning instead of failing.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from .config import RunConfig
from .events import Event, RunStarted, from_dict, to_dict


class RunLogWriter:
    """Appends events to a run log, one JSON object per line, flushed after each."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO | None = self.path.open("a", encoding="utf-8")

    def write(self, event: Event) -> None:
        if self._file is None:
            raise ValueError(f"run log {self.path} is closed")
        self._file.write(json.dumps(to_dict(event), separators=(",", ":")) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> RunLogWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RunLogError(ValueError):
    """A file that is not a run log (bad header, or a broken line before the last)."""


def iter_run_log(path: Path) -> Iterator[Event]:
    """The events of a run log, in order, read line by line (a long log is never held
    whole). A broken last line (the writer was killed mid-line) is skipped with a
    warning; a broken line elsewhere is an error, raised when the reading reaches it."""
    path = Path(path)
    try:
        file = path.open(encoding="utf-8")
    except OSError as err:
        raise RunLogError(f"{path}: cannot read: {err.strerror}") from None
    broken: tuple[int, Exception] | None = None  # a line that did not parse: fine if last
    with file:
        try:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                if broken is not None:
                    raise RunLogError(f"{path}, line {broken[0]}: not a run-log event "
                                      f"({broken[1]})")
                try:
                    event = from_dict(json.loads(line))
                except (json.JSONDecodeError, TypeError, ValueError) as err:
                    broken = (number, err)
                    continue
                if number == 1 and not isinstance(event, RunStarted):
                    raise RunLogError(f"{path}: not a run log (first line is {event.kind!r}, "
                                      "expected run_started)")
                yield event
        except UnicodeDecodeError:
            raise RunLogError(f"{path}: not a run log (not UTF-8 text)") from None
        except OSError as err:
            raise RunLogError(f"{path}: cannot read: {err.strerror}") from None
    if broken is not None:
        warnings.warn(f"{path}: skipped a truncated last line ({broken[0]})", stacklevel=2)


def read_run_log(path: Path) -> list[Event]:
    """All events of a run log (see `iter_run_log`)."""
    events = list(iter_run_log(path))
    if not events:
        raise RunLogError(f"{path}: empty, not a run log")
    return events


def default_log_path(log_dir: Path, config: RunConfig, slot: int = 0) -> Path:
    """runs/20261128-164501-0-lstm-adding100.jsonl, created empty here so that two runs
    started in the same second never share a file."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    stem = f"{stamp}-{slot}-{config.cell}-{config.task}{config.seq_len}"
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        path = Path(log_dir) / (f"{stem}.jsonl" if n == 1 else f"{stem}-{n}.jsonl")
        try:
            path.open("x").close()
            return path
        except FileExistsError:
            continue
    raise OSError(f"no free log file name for {stem} in {log_dir}")
