"""Events survive the trip to JSON and back; logs read back whole, even cut mid-line."""

from __future__ import annotations

import json
import math

import pytest

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import (
    Diverged,
    Paused,
    Profile,
    Resumed,
    RunEnded,
    RunFailed,
    RunStarted,
    Step,
    from_dict,
    to_dict,
)
from rnn_tui.run.runlog import (
    RunLogError,
    RunLogWriter,
    default_log_path,
    iter_run_log,
    read_run_log,
)

EVENTS = [
    RunStarted(config=RunConfig().to_dict(), seed=3, baseline_loss=1 / 6,
               versions={"numpy": "2"}, blas=[{"internal_api": "openblas"}],
               started_at="2026-01-01T00:00:00+00:00", solved_when={"loss_at_most": 0.01},
               metric_name="m", steps=100, log_path="runs/x.jsonl"),
    Step(step=1, loss=0.5, metric=0.25, grad_norm=3.0, seconds=0.01),
    Profile(step=1, dh_norms=[1.0, 1e-30, 0.0], h_norms=[0.5, 0.5, 0.5],
            series={"dc_norms": [1.0, 2.0, 3.0]}, scalars={"horizon_h": math.inf}),
    Paused(step=1), Resumed(step=1),
    Diverged(step=2, what="loss", value="nan"),
    RunFailed(step=2, message="boom"),
    RunEnded(step=2, reason="stopped"),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.kind)
def test_events_round_trip_through_strict_json(event) -> None:
    line = json.dumps(to_dict(event), allow_nan=False)  # strict JSON: no NaN/Infinity
    assert from_dict(json.loads(line)) == event


def test_non_finite_floats_come_back() -> None:
    back = from_dict(json.loads(json.dumps(to_dict(EVENTS[2]), allow_nan=False)))
    assert back.scalars["horizon_h"] == math.inf


def test_unknown_event_type_is_an_error_and_unknown_keys_are_ignored() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        from_dict({"event": "nope"})
    assert from_dict({"event": "paused", "step": 4, "added_later": 1}) == Paused(step=4)


def write_log(path, events=EVENTS):
    with RunLogWriter(path) as log:
        for event in events:
            log.write(event)


def test_log_round_trip(tmp_path) -> None:
    path = tmp_path / "run.jsonl"
    write_log(path)
    assert read_run_log(path) == EVENTS


@pytest.mark.parametrize("cut", [2, 7, 20])
def test_log_cut_mid_line_reads_back_every_whole_event(tmp_path, cut) -> None:
    path = tmp_path / "run.jsonl"
    write_log(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut])  # killed while writing the last line
    assert read_run_log(path) == EVENTS[:-1]   # quietly: no warning text for the user


def test_a_log_is_read_as_a_stream(tmp_path) -> None:
    """Events before a broken middle line arrive before the error does: the reader
    goes line by line instead of reading the whole file first."""
    path = tmp_path / "run.jsonl"
    write_log(path)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + "{broken\n" + "".join(lines[3:]))
    events = iter_run_log(path)
    assert [next(events) for _ in range(3)] == EVENTS[:3]
    with pytest.raises(RunLogError, match="line 4: not a run log"):
        next(events)


def test_a_blank_line_after_a_cut_line_still_counts_as_the_end(tmp_path) -> None:
    path = tmp_path / "run.jsonl"
    write_log(path)
    path.write_bytes(path.read_bytes()[:-5] + b"\n\n")
    assert read_run_log(path) == EVENTS[:-1]


def test_not_a_run_log(tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"event": "step", "step": 1, "loss": 1, "metric": 0, "grad_norm": 1, '
                   '"seconds": 0}\n')
    with pytest.raises(RunLogError, match="first line is 'step', expected run_started"):
        read_run_log(bad)
    bad.write_text("hello\nworld\n")
    with pytest.raises(RunLogError, match="line 1: not a run log \\(not JSON\\)"):
        read_run_log(bad)
    with pytest.raises(RunLogError, match="does not exist"):
        read_run_log(tmp_path / "missing.jsonl")


def test_default_log_paths_are_unique_and_named(tmp_path) -> None:
    config = RunConfig(cell="lstm", task="copy", seq_len=50)
    a, b = default_log_path(tmp_path, config, 1), default_log_path(tmp_path, config, 1)
    assert a != b and a.exists() and b.exists()
    assert a.name.endswith("-1-lstm-copy50.jsonl")


def test_the_log_keeps_profiles_on_a_thinning_schedule() -> None:
    from rnn_tui.run.worker import RunState

    state = RunState(slot=0, events=None)
    kept = [s for s in range(1, 10_001) if state.log_keeps_profile(s, last=s == 10_000)]
    assert kept[:3] == [1, 2, 3] and kept[-1] == 10_000
    assert 200 < len(kept) < 400                  # ~50 per e-fold, not one per step
    gaps = [b - a for a, b in zip(kept, kept[1:], strict=False)]
    assert max(gaps) <= 10_000 // 50              # never a gap wider than 2 % of the run


def test_a_runs_seconds_leave_its_pauses_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """"solved @864 (0:18)" and the header's clock counted the time spent paused."""
    from rnn_tui.run import worker

    clock = iter([110.0, 140.0])  # the pause at 110 s, the resume at 140 s
    monkeypatch.setattr(worker.time, "monotonic", lambda: next(clock))
    state = worker.RunState(slot=0, events=None, started=100.0)
    assert state.training_start(105.0) == 100.0
    worker.handle(state, ("pause",), 2.0)
    assert state.training_start(130.0) == 120.0  # `n` at 130 s: 10 s of training so far
    worker.handle(state, ("resume",), 2.0)
    assert state.training_start(150.0) == 130.0  # 10 s before the pause, 10 s after
