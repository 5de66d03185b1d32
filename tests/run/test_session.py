"""Real worker processes: events, pause/step/resume, restart, stop, kill, divergence."""

from __future__ import annotations

import math
import os
import random
import signal
import time

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
)
from rnn_tui.run.runlog import read_run_log
from rnn_tui.run.session import Session

SMALL = RunConfig(task="adding", seq_len=10, hidden_size=8, batch_size=4)


def collect(session: Session, until, timeout: float = 30.0,
            what: str = "the awaited events") -> list[tuple[int, object]]:
    """Events until `until(events)` holds (or fail after a generous `timeout`)."""
    events: list[tuple[int, object]] = []
    deadline = time.monotonic() + timeout
    while not until(events):
        assert time.monotonic() < deadline, (
            f"{what} did not come within {timeout} s; last events: "
            f"{[(s, e.kind) for s, e in events][-8:]}")
        events += session.poll(timeout=0.05)
    return events


def wait_until(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.02)


def of(events, slot: int, kind: type) -> list:
    return [e for s, e in events if s == slot and isinstance(e, kind)]


@pytest.fixture
def two(tmp_path):
    session = Session([SMALL.with_(cell="rnn"), SMALL.with_(cell="lstm")], log_dir=tmp_path)
    session.start()
    yield session
    session.close()


def test_two_workers_stream_steps_and_profiles(two: Session) -> None:
    events = collect(two, lambda ev: all(len(of(ev, s, Step)) >= 20 for s in (0, 1)))
    for slot in (0, 1):
        started = of(events, slot, RunStarted)
        assert len(started) == 1 and started[0].baseline_loss == pytest.approx(1 / 6)
        steps = [e.step for e in of(events, slot, Step)]
        assert steps == list(range(1, len(steps) + 1))     # every step, in order
        profiles = of(events, slot, Profile)
        assert profiles[0].step == 1 and len(profiles[0].dh_norms) == 10
        assert len(profiles) < len(steps)                  # rate-limited
    assert "dc_norms" in of(events, 1, Profile)[0].series
    assert len(set(two.pids)) == 2 and os.getpid() not in two.pids


def test_pause_single_step_resume(two: Session) -> None:
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    two.pause()
    events = collect(two, lambda ev: all(of(ev, s, Paused) for s in (0, 1)))
    paused_at = [of(events, s, Paused)[-1].step for s in (0, 1)]
    # Each worker's events arrive in the order it sent them, so whatever it trained while
    # paused would show up between its Paused and the Resumed that follows: exactly one
    # step (the one asked for) may, nothing else.
    two.step_once()
    events += collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    two.resume()
    events += collect(two, lambda ev: all(of(ev, s, Resumed) for s in (0, 1)))
    for slot in (0, 1):
        kinds = [(e.kind, getattr(e, "step", None)) for s, e in events if s == slot]
        between = kinds[kinds.index(("paused", paused_at[slot])) + 1:
                        kinds.index(("resumed", paused_at[slot] + 1))]
        assert [k for k in between if k[0] == "step"] == [("step", paused_at[slot] + 1)]
    events = collect(two, lambda ev: all(len(of(ev, s, Step)) >= 3 for s in (0, 1)))


def test_restart_one_slot_with_a_new_cell(two: Session, tmp_path) -> None:
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    old_log = two.log_paths[0]
    two.restart(0, SMALL.with_(cell="gru"))
    events = collect(two, lambda ev: of(ev, 0, RunStarted) and len(of(ev, 1, Step)) > 5)
    ended = of(events, 0, RunEnded)
    assert ended and ended[0].reason == "restarted"
    assert of(events, 0, RunStarted)[0].config["cell"] == "gru"
    assert not of(events, 1, RunEnded)                     # the other keeps going
    assert two.log_paths[0] != old_log
    assert read_run_log(old_log)[-1].reason == "restarted"


def test_a_run_restarted_before_its_first_step_leaves_no_log(two: Session) -> None:
    # `]` pressed three times while paused left three logs of 0 steps, rows of nothing
    # in `rnn-tui replay runs/*.jsonl`.
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    two.pause()
    collect(two, lambda ev: all(of(ev, s, Paused) for s in (0, 1)))
    trained = two.log_paths[0]
    two.restart(0, SMALL.with_(lr=0.03))
    collect(two, lambda ev: of(ev, 0, RunStarted))
    empty = two.log_paths[0]
    two.restart(0, SMALL.with_(lr=0.1))
    collect(two, lambda ev: of(ev, 0, RunStarted))
    assert not empty.exists() and two.log_paths[0].exists()
    assert read_run_log(trained)[-1].reason == "restarted"  # it had steps: kept


def test_stop_ends_every_run_and_close_joins(two: Session) -> None:
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    two.stop()
    events = collect(two, lambda ev: all(of(ev, s, RunEnded) for s in (0, 1)))
    assert {of(events, s, RunEnded)[0].reason for s in (0, 1)} == {"stopped"}
    two.close()
    for slot in (0, 1):
        log = read_run_log(two.log_paths[slot])
        assert isinstance(log[0], RunStarted) and log[-1] == RunEnded(log[-1].step, "stopped")


def test_a_killed_worker_is_reported_failed(two: Session) -> None:
    # How fast: benchmarks/bench_kills.py measures it (the design says within a second).
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    os.kill(two.pids[0], signal.SIGKILL)
    events = collect(two, lambda ev: of(ev, 0, RunFailed), what="slot 0's run_failed")
    assert "worker process died" in of(events, 0, RunFailed)[0].message
    events = collect(two, lambda ev: len(of(ev, 1, Step)) > 5)   # the other keeps going
    assert not of(events, 1, RunFailed)
    log = read_run_log(two.log_paths[0])                   # its log still ends properly
    assert isinstance(log[-2], RunFailed) and log[-1].reason == "failed"


def test_divergence_is_reported_and_the_other_keeps_training(tmp_path) -> None:
    boom = SMALL.with_(cell="relu", lr=10.0, clip=0.0, optimizer="sgd", recurrent_scale=3.0)
    with Session([boom, SMALL.with_(cell="lstm")], log_dir=tmp_path) as session:
        events = collect(session, lambda ev: of(ev, 0, RunEnded) and len(of(ev, 1, Step)) > 30)
        diverged = of(events, 0, Diverged)
        assert diverged and diverged[0].value in ("nan", "inf")
        assert of(events, 0, RunEnded)[0].reason == "diverged"
        assert not of(events, 1, RunEnded)
        assert all(math.isfinite(e.loss) for e in of(events, 0, Step))


def test_steps_limit_finishes_with_a_last_profile(tmp_path) -> None:
    with Session([SMALL.with_(steps=7)], log_dir=None) as session:
        events = collect(session, lambda ev: of(ev, 0, RunEnded))
    assert of(events, 0, RunEnded)[0] == RunEnded(step=7, reason="finished")
    assert of(events, 0, Profile)[-1].step == 7
    assert session.log_paths == [None]


def test_a_stopped_log_ends_with_the_last_steps_profile(tmp_path) -> None:
    with Session([SMALL.with_(cell="lstm")], log_dir=tmp_path) as session:
        collect(session, lambda ev: len(of(ev, 0, Step)) > 150)
        session.stop()
        events = collect(session, lambda ev: of(ev, 0, RunEnded))
    log = read_run_log(session.log_paths[0])
    steps = [e.step for e in log if isinstance(e, Step)]
    assert steps == list(range(1, len(steps) + 1))         # the log has every step
    assert isinstance(log[-2], Profile) and log[-2].step == steps[-1]
    assert log[-1] == of(events, 0, RunEnded)[0]


def test_same_seed_same_batches_in_two_workers(tmp_path) -> None:
    # Identical configs in two processes train identically: same init, same batches.
    with Session([SMALL.with_(seed=5, steps=5)] * 2, log_dir=None) as session:
        events = collect(session, lambda ev: all(of(ev, s, RunEnded) for s in (0, 1)))
    assert [e.loss for e in of(events, 0, Step)] == [e.loss for e in of(events, 1, Step)]


def test_a_bad_config_fails_the_run_not_the_worker(tmp_path) -> None:
    with Session([SMALL.with_(cell="nope")], log_dir=tmp_path) as session:
        events = collect(session, lambda ev: of(ev, 0, RunFailed))
        assert 'unknown cell "nope"' in of(events, 0, RunFailed)[0].message
        session.restart(0, SMALL)                          # the same process takes a new run
        collect(session, lambda ev: of(ev, 0, Step))
        assert session.alive(0)


def test_a_terminated_worker_ends_its_run_and_a_restart_brings_it_back(two: Session) -> None:
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    old_pid = two.pids[0]
    os.kill(old_pid, signal.SIGTERM)
    events = collect(two, lambda ev: of(ev, 0, RunEnded))
    assert of(events, 0, RunEnded)[0].reason == "interrupted"
    wait_until(lambda: not two.alive(0), "the SIGTERMed worker's exit")
    events += collect(two, lambda ev: len(of(ev, 1, Step)) > 3)   # past a liveness check
    assert not of(events, 0, RunFailed)                  # it said goodbye: not a failure
    assert read_run_log(two.log_paths[0])[-1].reason == "interrupted"
    two.restart(0, SMALL.with_(cell="gru"))              # a new process takes the slot
    events = collect(two, lambda ev: of(ev, 0, Step))
    assert of(events, 0, RunStarted)[0].config["cell"] == "gru"
    assert two.pids[0] != old_pid and two.alive(0)


def test_a_killed_worker_can_be_restarted_into_the_pause(two: Session) -> None:
    collect(two, lambda ev: all(of(ev, s, Step) for s in (0, 1)))
    two.pause()
    collect(two, lambda ev: all(of(ev, s, Paused) for s in (0, 1)))
    os.kill(two.pids[1], signal.SIGKILL)
    wait_until(lambda: not two.alive(1), "the killed worker's death")
    two.restart(1, SMALL.with_(cell="lstm", seed=1))     # before poll() noticed the death
    events = collect(two, lambda ev: of(ev, 1, Paused))
    kinds = [e.kind for s, e in events if s == 1]
    assert kinds.index("run_failed") < kinds.index("run_started")   # told, then replaced
    assert of(events, 1, RunStarted)[0].config["seed"] == 1
    assert not of(events, 1, Step)                       # the new process joined the pause
    two.resume()
    collect(two, lambda ev: of(ev, 1, Step))


def test_a_run_started_after_the_last_one_ended_joins_the_pause(tmp_path) -> None:
    # Panel 1 diverged, space paused both, p picked a preset: panel 1's new run trained
    # while the header said "paused" (its worker, with no open run, had dropped the pause).
    with Session([SMALL.with_(steps=3)], log_dir=None) as session:
        collect(session, lambda ev: of(ev, 0, RunEnded))
        session.pause()
        session.restart(0, SMALL.with_(seed=1))
        events = collect(session, lambda ev: of(ev, 0, Paused), what="the new run's Paused")
        assert not of(events, 0, Step)
        session.step_once()
        events += collect(session, lambda ev: of(ev, 0, Step), what="one step on n")
        assert [e.step for e in of(events, 0, Step)] == [1]


def test_a_worker_trains_on_as_many_blas_threads_as_asked(tmp_path) -> None:
    with Session([SMALL], log_dir=None) as session:                    # blas_threads=1
        blas = of(collect(session, lambda ev: of(ev, 0, RunStarted)), 0, RunStarted)[0].blas
    assert blas and all(lib["num_threads"] == 1 for lib in blas), blas


def test_workers_run_nicer_when_asked(tmp_path) -> None:
    with Session([SMALL], log_dir=None, niceness=5) as session:
        collect(session, lambda ev: of(ev, 0, Step))
        assert os.getpriority(os.PRIO_PROCESS, session.pids[0]) == os.getpriority(
            os.PRIO_PROCESS, 0) + 5


def test_dozens_of_kills_of_a_busy_worker_never_stop_the_other(tmp_path) -> None:
    """SIGKILL the LSTM's worker at random moments while both stream: the RNN's steps keep
    coming, every one of them, in order; each killed run is reported failed; each restart
    trains. The LSTM sends a profile of a long sequence at every step (~100 kB, more than a
    pipe holds) while we read slowly, so most kills land in the middle of a write: with one
    queue shared by the workers, that wedged the RNN's events within a few kills."""
    rnn = RunConfig(cell="rnn", task="adding", seq_len=5, hidden_size=4, batch_size=2)
    lstm = RunConfig(cell="lstm", task="adding", seq_len=1500, hidden_size=4, batch_size=1)
    rng = random.Random(8)
    kills = 24
    with Session([rnn, lstm], log_dir=tmp_path, profile_hz=1000) as s:
        events = collect(s, lambda ev: all(of(ev, k, Step) for k in (0, 1)))
        for kill in range(kills):
            time.sleep(rng.uniform(0, 0.05))     # not reading: the LSTM's pipe fills
            os.kill(s.pids[1], signal.SIGKILL)
            seen = len(of(events, 0, Step))
            events += collect(s, lambda ev: of(ev, 1, RunFailed),
                              what=f"kill {kill}: slot 1's run_failed")
            s.restart(1, lstm.with_(seed=kill))
            events += collect(s, lambda ev: of(ev, 1, Step) and len(of(ev, 0, Step)) > 0,
                              what=f"kill {kill}: a step of the restarted LSTM and of the RNN")
            assert len(of(events, 0, Step)) > seen
        steps = [e.step for e in of(events, 0, Step)]
        assert steps == list(range(1, len(steps) + 1)), "the RNN lost or reordered steps"
        assert not of(events, 0, RunFailed) and not of(events, 0, RunEnded)
        failed = of(events, 1, RunFailed)
        assert len(failed) == kills and all("worker process died" in f.message for f in failed)
    assert read_run_log(s.log_paths[0])[-1].reason == "stopped"
