"""Run logs: one JSONL file per model run, header (RunStarted) first, flushed as written.

A crash or a full disk loses at most the line being written; the reader drops a cut last
line, skips events a newer version added, and says in one line what is wrong with a file
that is no run log.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import json
import os
import tempfile
import typing
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from .config import RunConfig
from .events import EVENT_TYPES, Event, RunStarted, from_dict, to_dict


class RunLogWriter:
    """Appends events to a run log, one JSON object per line, flushed after each.

    A write that fails (ENOSPC, EIO...) raises OSError after cutting the file back to its
    last whole line, so what was written stays valid JSONL; the writer is closed then."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        _make_dir(self.path.parent)
        if self.path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(self.path))
        self._file: TextIO | None = self.path.open("a", encoding="utf-8")
        self._whole = self._file.tell()  # bytes up to the end of the last whole line

    def write(self, event: Event) -> None:
        if self._file is None:
            raise ValueError(f"run log {self.path} is closed")
        line = json.dumps(to_dict(event), separators=(",", ":")) + "\n"
        try:
            self._file.write(line)
            self._file.flush()
        except OSError:
            self._abandon()
            raise
        self._whole += len(line.encode("utf-8"))

    def _abandon(self) -> None:
        """Drop what a failed write left half-done and close (cutting a file needs no
        space, so this works on a full disk too)."""
        file, self._file = self._file, None
        try:
            file.close()
        except OSError:
            pass  # the buffer still holds the failed line: closing retries it and fails
        try:
            os.truncate(self.path, self._whole)  # after close: its retry may have written
        except OSError:
            pass

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            finally:
                self._file = None

    def __enter__(self) -> RunLogWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _make_dir(directory: Path) -> None:
    """mkdir -p, but a file in the way is called one (mkdir says only "File exists")."""
    existing = next((p for p in (directory, *directory.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{existing} is a file, not a directory",
                                 str(directory))
    directory.mkdir(parents=True, exist_ok=True)


def unusable_log_dir(directory: Path) -> str | None:
    """Why run logs cannot be written into `directory` (made if missing), or None.
    Asked before training starts: a run's own log faults (a full disk later on) leave it
    training unlogged, but a folder that cannot hold a log at all is the user's to fix
    before an hour of training goes unrecorded. A scratch line is written and synced (an
    empty file fits on a full disk); folders made for the check go again if it fails."""
    if directory.is_symlink() and not directory.exists():
        return f"it is a link to {os.readlink(directory)}, which does not exist"
    missing = [p for p in (directory, *directory.parents) if not p.exists()]
    try:
        _make_dir(directory)
        with tempfile.TemporaryFile(dir=directory) as scratch:
            scratch.write(b"{}\n" * 64)
            scratch.flush()
            os.fsync(scratch.fileno())
    except OSError as err:
        for made in missing:  # (innermost first)
            try:
                made.rmdir()
            except OSError:
                pass
        return err.strerror or str(err)
    return None


class RunLogError(ValueError):
    """A file that is not a run log: its message is one plain line naming the file."""


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, line) pairs of a text file, streamed; one plain RunLogError for a file that
    cannot be read as UTF-8 text."""
    if path.is_dir():
        raise RunLogError(f"{path}: is a directory, not a run log")
    if not path.exists():
        raise RunLogError(f"{path}: does not exist")
    if not path.is_file():  # read, a pipe waits forever and /dev/zero fills the memory
        raise RunLogError(f"{path}: not a regular file (a pipe or a device?), not a run log")
    try:
        with path.open(encoding="utf-8") as file:
            yield from enumerate(file, start=1)
    except OSError as err:
        raise RunLogError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise RunLogError(f"{path}: not a run log (not UTF-8 text)") from None


class NotJSON(ValueError):
    """A line that is no JSON at all, as a line cut mid-write is."""


def parse_line(line: str) -> Event | None:
    """One log line as an event; None for an event this version does not know (a newer
    rnn-tui wrote it). ValueError, with a short reason, when it is no event at all."""
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise NotJSON("not JSON") from None
    if not isinstance(data, dict):
        raise ValueError(f"a JSON {type(data).__name__}, not an object")
    if not isinstance(data.get("event"), str):
        raise ValueError("no \"event\" name")
    if data["event"] not in EVENT_TYPES:
        return None
    try:
        event = from_dict(data)
    except (TypeError, ValueError):
        raise ValueError(f"a {data['event']} event without its fields") from None
    problem = _mistyped(event)
    if problem:
        raise ValueError(f"a {data['event']} event with {problem}")
    return event


def _mistyped(event: Event) -> str:
    """The first field whose value has the wrong type, as 'step = "x"'; '' if none."""
    for name, hint in _field_types(type(event)):
        value = getattr(event, name)
        if not _has_type(value, hint):
            return f"{name} = {json.dumps(value)[:40]}"
    return ""


@functools.cache
def _field_types(kind: type) -> tuple[tuple[str, object], ...]:
    """An event class's fields and their types, worked out once: `get_type_hints`
    evaluates every annotation anew, and per line it was 2/3 of reading a log."""
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind))


def _has_type(value: object, hint: object) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is typing.Literal:
        return value in args
    if origin is list:
        return isinstance(value, list) and (not args or all(_has_type(v, args[0])
                                                             for v in value))
    if origin is dict:
        return isinstance(value, dict) and (len(args) < 2 or all(
            isinstance(k, str) and _has_type(v, args[1]) for k, v in value.items()))
    return True  # Any


def iter_run_log(path: Path) -> Iterator[Event]:
    """The events of a run log, in order, read line by line (a long log is never held
    whole). A last line cut short (the writer was killed mid-line, or the disk filled: not
    JSON) is dropped; events of a newer version are skipped; anything else wrong is a
    RunLogError with one line that says what, raised when the reading reaches it."""
    path = Path(path)
    broken: tuple[int, str] | None = None  # a line that did not parse: fine if it is last
    first = True
    for number, line in _lines(path):
        if not line.strip():
            continue
        if broken is not None:
            raise RunLogError(f"{path}, line {broken[0]}: not a run log ({broken[1]})")
        try:
            event = parse_line(line)
        except ValueError as err:
            # A cut line is no JSON; a whole JSON line that is no event was written wrong.
            if first or not isinstance(err, NotJSON):
                raise RunLogError(f"{path}, line {number}: not a run log ({err})") from None
            broken = (number, str(err))  # cut mid-line by a crash or a full disk?
            continue
        if first and not isinstance(event, RunStarted):
            what = f"{event.kind!r}" if event is not None else "an unknown event"
            raise RunLogError(f"{path}: not a run log (first line is {what}, "
                              "expected run_started)")
        first = False
        if event is not None:
            yield event


def read_run_log(path: Path) -> list[Event]:
    """All events of a run log (see `iter_run_log`)."""
    events = list(iter_run_log(path))
    if not events:
        raise RunLogError(f"{path}: empty, not a run log")
    return events


def read_run_logs(paths: list[Path]) -> tuple[dict[Path, list[Event]], list[str]]:
    """The logs that read, by path, and one line for each that did not."""
    logs: dict[Path, list[Event]] = {}
    errors: list[str] = []
    for path in paths:
        try:
            logs[Path(path)] = read_run_log(path)
        except RunLogError as err:
            errors.append(str(err))
    return logs, errors


def log_stem(config: RunConfig, slot: int = 0) -> str:
    """20261128-164501-0-lstm-adding100: the UTC time, the slot, the cell and the task."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{slot}-{config.cell}-{config.task}{config.seq_len}"


def default_log_path(log_dir: Path, config: RunConfig, slot: int = 0) -> Path:
    """runs/20261128-164501-0-lstm-adding100.jsonl, created empty here so that two runs
    started in the same second never share a file."""
    stem = log_stem(config, slot)
    _make_dir(Path(log_dir))
    for n in range(1, 10_000):
        path = Path(log_dir) / (f"{stem}.jsonl" if n == 1 else f"{stem}-{n}.jsonl")
        try:
            path.open("x").close()
            return path
        except FileExistsError:
            continue
    raise OSError(f"no free log file name for {stem} in {log_dir}")
