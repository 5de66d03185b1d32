"""The worker process: trains one model, obeys commands, reports events.

Commands arrive on a pipe from the parent: ("pause",), ("resume",), ("step",),
("stop", reason), ("restart", config_dict, log_path), ("quit",). Events go back on a
pipe of this worker's own as batches [event, ...]: Step events wait up to 50 ms to
travel together (one send per step costs the RNN ~5 % of its speed), anything else goes
at once. A full pipe blocks the worker until the parent reads (back-pressure, never a
growing backlog); a pipe the parent has closed ends the run as interrupted. Each run is
logged by the worker itself, so the log is complete even if the parent dies first.

Profiles reach the screen a few times a second, but the log keeps fewer of them,
thinned on a schedule in steps: one when at least step/LOG_PROFILE_SPACING steps have
passed since the last it kept (plus the first and the last). On a slow run that is about
LOG_PROFILE_SPACING profiles per e-fold of the run, dense early when things change fast,
so a 10,000-step LSTM log (H=128, T=100) is 2.76 MB instead of 11 (docs/benchmarks.md).
The log only keeps profiles the screen's clock made, so a fast run keeps about two per
second of training, and which steps depends on the machine's speed (docs/runs.md).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .config import RunConfig
from .events import Diverged, Event, LogStopped, Paused, Resumed, RunEnded, RunFailed
from .runlog import RunLogWriter

PARENT_CHECK_SECONDS = 0.5
SEND_EVERY = 0.05  # Step events travel in batches: one queue put per 50 ms, not per step
LOG_PROFILE_SPACING = 50  # the log keeps a profile every step/50 steps (see above)


@dataclass
class RunState:
    """The run a worker is driving (None-able pieces: between runs there is none)."""

    slot: int
    events: Connection | None
    trainer: Any = None
    log: RunLogWriter | None = None
    steps_limit: int = 0
    started: float = 0.0  # moved on by each pause's length: a run's seconds are training's
    paused_since: float | None = None  # when the pause now under way began
    clock: Any = None
    last_result: Any = None
    last_profiled: int = 0
    last_logged_profile: int = 0
    active: bool = False  # a run is open (not ended)
    paused: bool = False
    pending_steps: int = 0  # single steps asked for while paused
    terminated: bool = False  # SIGTERM arrived: end the run as interrupted, then exit
    parent_gone: bool = False  # the event pipe broke: nobody is listening any more
    pending_log_fault: str = ""  # the log could not be opened: told after RunStarted
    outbox: list[Event] = field(default_factory=list)
    last_send: float = 0.0

    @property
    def step(self) -> int:
        return self.trainer.steps_done if self.trainer is not None else 0

    def training_start(self, now: float) -> float:
        """When the run would have started had it never paused: its steps' seconds count
        from here, so "solved @864 (0:18)" is 18 s of training however long it paused
        (`n` steps taken while paused count from the pause's start)."""
        return self.started + (now - self.paused_since if self.paused_since is not None
                               else 0.0)

    def pause_clock(self, paused: bool, now: float) -> None:
        if paused and self.paused_since is None:
            self.paused_since = now
        elif not paused and self.paused_since is not None:
            self.started += now - self.paused_since
            self.paused_since = None

    def emit(self, event: Event, log: bool = True, screen: bool = True) -> None:
        fault: OSError | None = None
        if self.log is not None and log:
            try:
                self.log.write(event)
            except OSError as err:
                fault = err
        if screen:
            self.outbox.append(event)
            now = time.monotonic()
            if event.kind != "step" or now - self.last_send >= SEND_EVERY:
                self.send()
        if fault is not None:  # told after the event: a fault on the run's first line
            self.log_fault(fault)  # came before its RunStarted, which starts afresh

    def log_fault(self, err: OSError) -> None:
        """The log cannot be written: say so once, and carry on training unlogged."""
        path = self.log.path if self.log is not None else err.filename
        self.log = None
        drop_if_empty(path)
        self.emit(LogStopped(step=self.step, message=log_fault_message(path, err)))

    def log_keeps_profile(self, step: int, last: bool = False) -> bool:
        """Whether the log keeps this step's profile (the screen gets every one)."""
        if not last and step - self.last_logged_profile < max(1, step // LOG_PROFILE_SPACING):
            return False
        self.last_logged_profile = step
        return True

    def send(self) -> None:
        if self.outbox and self.events is not None and not self.parent_gone:
            try:
                self.events.send(self.outbox)
            except OSError:  # BrokenPipeError and kin: the parent is gone
                self.parent_gone = True
        self.outbox = []
        self.last_send = time.monotonic()


def drop_if_empty(path: Any) -> None:
    """A log the disk took no whole line of goes, not left as an empty file that replay
    refuses and a sweep's result would point at."""
    try:
        if path and Path(path).is_file() and Path(path).stat().st_size == 0:
            Path(path).unlink()
    except OSError:
        pass


def log_fault_message(path: Any, err: OSError) -> str:
    why = err.strerror or str(err)
    return f"run log {path} not written ({why}): this run carries on unlogged"


def open_log(state: RunState, log_path: str | None) -> None:
    state.log = None
    if not log_path:
        return
    try:
        state.log = RunLogWriter(Path(log_path))
    except OSError as err:
        state.pending_log_fault = log_fault_message(log_path, err)


def start_run(state: RunState, config_dict: dict[str, Any], log_path: str | None,
              profile_hz: float) -> None:
    from .training import ProfileClock, build_trainer, run_started

    config = RunConfig.from_dict(config_dict)
    state.trainer = build_trainer(config)
    open_log(state, log_path)
    state.steps_limit = config.steps
    state.clock = ProfileClock(profile_hz)
    state.started = time.monotonic()
    state.paused_since = state.started if state.paused else None  # (a restart while paused)
    state.last_result, state.last_profiled, state.last_logged_profile = None, 0, 0
    state.active, state.pending_steps = True, 0
    state.emit(run_started(config, state.trainer, log_path or ""))
    if state.pending_log_fault:  # after RunStarted: the screen starts a run afresh at it
        state.emit(LogStopped(step=0, message=state.pending_log_fault))
        state.pending_log_fault = ""


def end_run(state: RunState, reason: str) -> None:
    """Close the open run: a last profile where the screen or the log lacks the last step."""
    from .training import profile_event

    if not state.active:
        return
    result = state.last_result
    if result is not None and result.finite:
        screen_lacks = state.last_profiled != result.step
        log_lacks = state.last_logged_profile != result.step
        if screen_lacks or log_lacks:
            state.emit(profile_event(result), log=log_lacks, screen=screen_lacks)
    state.emit(RunEnded(step=state.step, reason=reason))
    state.active = False
    if state.log is not None:
        try:
            state.log.close()
        except OSError as err:
            state.log_fault(err)
        # A run a key restarted before its first step (`]` pressed again while paused)
        # has nothing to replay: its log was one more empty row in `replay runs/*.jsonl`.
        if reason == "restarted" and state.step == 0:
            state.log.path.unlink(missing_ok=True)
        state.log = None


def train_one_step(state: RunState) -> None:
    from .training import events_of_step

    # Let go of the last step's arrays first: freed, the next step reuses the same (still
    # cached) memory; held, it allocates new and runs ~9 % slower.
    state.last_result = None
    result = state.trainer.step()
    state.last_result = result
    last = state.steps_limit > 0 and result.step >= state.steps_limit
    for event in events_of_step(result, state.training_start(time.monotonic()), state.clock,
                                last=last):
        if event.kind == "profile":
            state.last_profiled = result.step
            state.emit(event, log=state.log_keeps_profile(result.step, last))
            continue
        state.emit(event)
        if isinstance(event, Diverged):
            end_run(state, "diverged")
            return
    if last:
        end_run(state, "finished")


def handle(state: RunState, command: tuple, profile_hz: float) -> bool:
    """Apply one command; False when the worker should exit."""
    name = command[0]
    if name == "pause" and not state.paused:
        # Kept with no open run too (it diverged or finished): the next run, after a
        # restart, starts paused like the others.
        state.paused = True
        state.pause_clock(True, time.monotonic())
        if state.active:
            state.emit(Paused(step=state.step))
    elif name == "resume" and state.paused:
        state.paused = False
        state.pause_clock(False, time.monotonic())
        state.pending_steps = 0
        if state.active:
            state.emit(Resumed(step=state.step))
    elif name == "step" and state.active and state.paused:
        state.pending_steps += 1
    elif name == "stop":
        end_run(state, command[1] if len(command) > 1 else "stopped")
    elif name == "restart":
        end_run(state, "restarted")
        start_run(state, command[1], command[2], profile_hz)
        if state.paused:
            state.emit(Paused(step=0))
    elif name == "quit":
        end_run(state, command[1] if len(command) > 1 else "stopped")
        return False
    return True


def worker_main(slot: int, config_dict: dict[str, Any], log_path: str | None,
                commands: Connection, events: Connection, profile_hz: float = 2.0,
                blas_threads: int = 1, niceness: int = 0) -> None:
    """Entry point of a worker process (spawned)."""
    if niceness > 0:
        os.nice(niceness)
    # Ctrl-C and a closed terminal (SIGHUP) reach the whole process group; the parent
    # decides how runs end (and if it dies, the orphan check below ends them).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    # numpy first: threadpool_limits only reaches BLAS libraries already loaded, and the
    # engine loads numpy lazily. Unlimited, OpenBLAS threads of two workers fight over
    # the cores (3-7x slower steps on a busy two-core machine).
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_limits

    from ..engine import tune_for_training

    threadpool_limits(limits=blas_threads)
    tune_for_training()
    parent = os.getppid()
    state = RunState(slot=slot, events=events)

    def on_sigterm(signum: int, frame: object) -> None:
        # Only a flag: the loop ends the run between steps, never in the middle of a log line.
        state.terminated = True

    signal.signal(signal.SIGTERM, on_sigterm)
    # The parent held these back while it started us (session.py); handled now, they may come.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGHUP, signal.SIGTERM})
    try:
        guarded(state, start_run, state, config_dict, log_path, profile_hz)
        loop(state, commands, parent, profile_hz)
    finally:
        state.send()
        if state.log is not None:
            try:
                state.log.close()
            except OSError:
                pass  # too late to tell anyone: the lines written are whole
        events.close()  # send() wrote every batch through: nothing is left behind


def failure_text(err: Exception) -> str:
    """One line for a run's failure, without numpy's module path
    ("numpy._core._exceptions._ArrayMemoryError: Unable to allocate 2.98 TiB ...")."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    if isinstance(err, MemoryError):
        return f"out of memory on this worker: {text or 'an allocation failed'}"
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def guarded(state: RunState, action: Any, *args: Any) -> Any:
    """Run `action`; an exception ends the run as `failed` with its message, and the
    worker stays up for the next command (a restart, say)."""
    try:
        return action(*args)
    except Exception as err:  # any failure becomes an event, not a crash
        state.emit(RunFailed(step=state.step, message=failure_text(err)))
        state.active = True  # so that end_run writes the closing event
        end_run(state, "failed")
        return True


def loop(state: RunState, commands: Connection, parent: int, profile_hz: float) -> None:
    last_check = time.monotonic()
    while True:
        busy = state.active and (not state.paused or state.pending_steps > 0)
        if not busy:
            state.send()  # nothing more is coming soon: don't let the last steps wait
        if commands.poll(0 if busy else PARENT_CHECK_SECONDS):
            try:
                command = commands.recv()
            except EOFError:  # the parent is gone
                end_run(state, "interrupted")
                return
            if not guarded(state, handle, state, command, profile_hz):
                return
            continue
        if state.terminated or state.parent_gone:
            end_run(state, "interrupted")
            return
        now = time.monotonic()
        if now - last_check > PARENT_CHECK_SECONDS:
            last_check = now
            if os.getppid() != parent:  # orphaned: end the run and leave
                end_run(state, "interrupted")
                return
        if busy:
            if state.paused:
                state.pending_steps -= 1
            guarded(state, train_one_step, state)
