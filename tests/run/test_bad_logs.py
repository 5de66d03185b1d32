"""Files that are not run logs, and logs that broke while being written: each unreadable one
is one plain line (no traceback, no warning text), each readable one opens."""

from __future__ import annotations

import errno
import json
import os
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_tui.run.events import LogStopped, RunStarted, Step, to_dict
from rnn_tui.run.runlog import RunLogError, RunLogWriter, read_run_log, read_run_logs
from rnn_tui.run.worker import RunState, open_log

from .conftest import rnn_tui
from .test_events_and_logs import EVENTS, write_log

HEADER = json.dumps(to_dict(EVENTS[0]))

BAD = {
    "not-utf8.jsonl": (b"\xff\xfe\x00junk\n", "not a run log (not UTF-8 text)"),
    "not-json.jsonl": (b"hello\nworld\n", "line 1: not a run log (not JSON)"),
    "a-list.jsonl": (b"[1, 2, 3]\n", "line 1: not a run log (a JSON list, not an object)"),
    "no-header.jsonl": (b'{"event": "paused", "step": 1}\n{"event": "paused", "step": 2}\n',
                        "first line is 'paused', expected run_started"),
    "empty.jsonl": (b"", "empty, not a run log"),
    "bad-middle.jsonl": ((HEADER + '\n{"event": "step"}\n{"event": "paused", "step": 1}\n'
                          ).encode(), "line 2: not a run log (a step event without its fields)"),
    "mistyped.jsonl": ((HEADER + '\n{"event": "paused", "step": "x"}\n'
                        '{"event": "paused", "step": 1}\n').encode(),
                       'line 2: not a run log (a paused event with step = "x")'),
    # Last, but whole JSON: written wrong, not cut mid-line (that would be no JSON at all).
    "mistyped-last.jsonl": ((HEADER + '\n{"event": "paused", "step": "x"}\n').encode(),
                            'line 2: not a run log (a paused event with step = "x")'),
}


@pytest.mark.parametrize("name", BAD)
def test_each_kind_of_bad_file_is_one_plain_line(tmp_path, name) -> None:
    data, message = BAD[name]
    (tmp_path / name).write_bytes(data)
    with pytest.raises(RunLogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_run_log(tmp_path / name)
    result = rnn_tui("replay", str(tmp_path / name))
    assert result.returncode == 2
    assert result.stderr.startswith(f"rnn-tui: error: {tmp_path / name}")
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


@pytest.mark.parametrize("what, message", [("dir", "is a directory"),
                                           ("missing", "does not exist")])
def test_a_directory_or_a_missing_file_says_which(tmp_path, what, message) -> None:
    path = tmp_path / what
    if what == "dir":
        path.mkdir()
    result = rnn_tui("replay", str(path))
    assert result.returncode == 2 and result.stderr == f"rnn-tui: error: {path}: {message}" + (
        ", not a run log\n" if what == "dir" else "\n")


def test_the_readable_open_and_each_unreadable_is_a_line(tmp_path) -> None:
    good = tmp_path / "good.jsonl"
    write_log(good)
    (tmp_path / "bad.jsonl").write_text("[1]\n")
    logs, errors = read_run_logs([good, tmp_path / "bad.jsonl", tmp_path / "gone.jsonl"])
    assert list(logs) == [good] and logs[good] == EVENTS
    assert [e.split(": ", 1)[1] for e in errors] == [
        "not a run log (a JSON list, not an object)", "does not exist"]


def test_a_newer_versions_events_and_fields_are_skipped(tmp_path) -> None:
    path = tmp_path / "newer.jsonl"
    lines = [json.dumps({**to_dict(EVENTS[0]), "gpu": "none"}),
             json.dumps({"event": "checkpoint", "step": 1, "path": "x"}),
             json.dumps({**to_dict(EVENTS[1]), "tokens": 9}),
             json.dumps({"event": "run_ended", "step": 1, "reason": "finished"})]
    path.write_text("\n".join(lines) + "\n")
    assert [e.kind for e in read_run_log(path)] == ["run_started", "step", "run_ended"]


def test_cut_mid_line_is_read_quietly(tmp_path) -> None:
    path = tmp_path / "cut.jsonl"
    write_log(path)
    path.write_bytes(path.read_bytes()[:-9])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_run_log(path) == EVENTS[:-1]


# --- property tests: whatever the file holds, the reader says RunLogError or reads it --

def read_or_refuse(path) -> None:
    try:
        events = read_run_log(path)
    except RunLogError as err:
        assert "\n" not in str(err) and str(path) in str(err)
        return
    assert isinstance(events[0], RunStarted)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_are_read_or_refused_in_one_line(tmp_path, data) -> None:
    path = tmp_path / "any.jsonl"
    path.write_bytes(data)
    read_or_refuse(path)
    path.write_bytes(HEADER.encode() + b"\n" + data)
    read_or_refuse(path)


json_values = st.recursive(
    # (no subnormals: after a test that trained in this process the CPU flushes them)
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_subnormal=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)
kinds = st.sampled_from(["run_started", "step", "profile", "paused", "resumed", "diverged",
                         "run_failed", "run_ended", "log_stopped", "unknown"])
event_like = st.builds(lambda kind, extra, fields: {"event": kind, **extra, **fields}, kinds,
                       st.dictionaries(st.sampled_from(
                           ["step", "loss", "metric", "grad_norm", "seconds", "reason",
                            "config", "seed", "baseline_loss", "dh_norms", "h_norms",
                            "series", "scalars", "message", "what", "value"]), json_values,
                           max_size=8),
                       st.dictionaries(st.text(max_size=5), json_values, max_size=2))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(json_values | event_like, max_size=6), header=st.booleans())
def test_arbitrary_json_lines_are_read_or_refused_in_one_line(tmp_path, lines, header) -> None:
    path = tmp_path / "any.jsonl"
    text = [HEADER] if header else []
    path.write_text("\n".join(text + [json.dumps(line) for line in lines]) + "\n")
    read_or_refuse(path)


# --- the log failing while the run goes on ----------------------------------------------

class FullDisk:
    """A file that takes `room` more writes, then fails as a full disk does, mid-line."""

    def __init__(self, file, room: int) -> None:
        self.file, self.room = file, room

    def write(self, text: str) -> int:
        if self.room == 0:
            self.file.write(text[: len(text) // 2])   # half a line reached the disk
            self.file.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= 1
        return self.file.write(text)

    def __getattr__(self, name):
        return getattr(self.file, name)


class Pipe:
    """Stands in for the worker's event pipe: keeps what was sent."""

    def __init__(self) -> None:
        self.sent: list = []

    def send(self, batch: list) -> None:
        self.sent += batch


def test_a_full_disk_mid_run_keeps_the_log_valid_and_the_run_going(tmp_path) -> None:
    pipe = Pipe()
    state = RunState(slot=0, events=pipe)
    open_log(state, str(tmp_path / "run.jsonl"))
    state.log._file = FullDisk(state.log._file, room=3)
    for event in EVENTS[:6]:
        state.emit(event)
    state.send()
    assert state.log is None                           # given up, not raising
    assert read_run_log(tmp_path / "run.jsonl") == EVENTS[:3]   # whole lines only
    stopped = [e for e in pipe.sent if isinstance(e, LogStopped)]
    assert len(stopped) == 1 and "No space left on device" in stopped[0].message
    assert "carries on unlogged" in stopped[0].message
    assert [e for e in pipe.sent if not isinstance(e, LogStopped)] == EVENTS[:6]


def test_a_full_disk_at_the_first_line_is_told_after_it_so_the_warning_stays(
        tmp_path) -> None:
    # The fault was told before the run's RunStarted, which starts a run afresh: the
    # summary's warnings, --json and the dashboard's header lost it (review).
    from rnn_tui.run.progress import ModelProgress

    pipe = Pipe()
    state = RunState(slot=0, events=pipe)
    open_log(state, str(tmp_path / "run.jsonl"))
    state.log._file = FullDisk(state.log._file, room=0)
    for event in EVENTS[:3]:
        state.emit(event)
    state.send()
    assert [type(e) for e in pipe.sent[:2]] == [type(EVENTS[0]), LogStopped]
    progress = ModelProgress()
    for event in pipe.sent:
        progress.update(event)
    assert progress.warnings and "No space left on device" in progress.warnings[0]
    assert progress.log_path == ""  # nothing was written
    assert not (tmp_path / "run.jsonl").exists()  # and no empty file left (replay refuses it)


def test_the_start_up_check_writes_and_leaves_no_folder_it_made(tmp_path,
                                                                monkeypatch) -> None:
    # An empty file fits on a full disk: the check passed, then every log was empty.
    from rnn_tui.run import runlog

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(runlog.os, "fsync", full)
    assert runlog.unusable_log_dir(tmp_path / "a" / "b") == os.strerror(errno.ENOSPC)
    assert list(tmp_path.iterdir()) == []               # a/ and a/b/ made, then gone
    monkeypatch.undo()
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    why = runlog.unusable_log_dir(tmp_path / "dangling")
    assert why == f"it is a link to {tmp_path / 'nowhere'}, which does not exist"
    assert runlog.unusable_log_dir(tmp_path / "fine") is None
    assert list((tmp_path / "fine").iterdir()) == []    # the scratch file is gone


@pytest.mark.parametrize("case", ["dir-is-a-file", "path-is-a-dir", "read-only-dir"])
def test_a_log_that_cannot_be_opened_is_said_once(tmp_path, case) -> None:
    if case == "dir-is-a-file":
        (tmp_path / "file").write_text("")
        path, why = tmp_path / "file" / "run.jsonl", "file is a file, not a directory"
    elif case == "path-is-a-dir":
        (tmp_path / "run.jsonl").mkdir()
        path, why = tmp_path / "run.jsonl", "is a directory"
    elif os.geteuid() != 0:
        (tmp_path / "ro").mkdir(mode=0o500)
        path, why = tmp_path / "ro" / "run.jsonl", "Permission denied"
    else:  # root writes to read-only modes; /sys refuses even root a new directory
        path, why = Path("/sys/rnn-tui-test/run.jsonl"), "not permitted"
    state = RunState(slot=0, events=None)
    open_log(state, str(path))
    assert state.log is None and why in state.pending_log_fault


def test_writer_raises_and_stays_closed_after_a_fault(tmp_path) -> None:
    writer = RunLogWriter(tmp_path / "run.jsonl")
    writer.write(EVENTS[0])
    writer._file = FullDisk(writer._file, room=0)
    with pytest.raises(OSError):
        writer.write(Step(step=1, loss=0.5, metric=0.2, grad_norm=1.0, seconds=0.1))
    assert read_run_log(tmp_path / "run.jsonl") == EVENTS[:1]
    with pytest.raises(ValueError, match="closed"):
        writer.write(EVENTS[1])


def test_a_pipe_or_a_device_is_refused_not_read(tmp_path) -> None:
    # A FIFO blocked replay forever; /dev/zero read one endless line until memory ran out.
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(RunLogError, match="not a regular file"):
            read_run_log(path)
