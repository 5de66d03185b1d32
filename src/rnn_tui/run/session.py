"""The parent's side of training: one worker process per model, commands out, events in.

Each worker has two pipes of its own, commands in and events out, and the parent waits on
all the event pipes together. No lock is shared between workers: one killed in the middle
of writing an event can only cut its own pipe (the parent reads EOF there, reports that run
failed, and every other worker's events keep coming).

    session = Session([RunConfig(cell="rnn"), RunConfig(cell="lstm")], log_dir=Path("runs"))
    session.start()
    for slot, event in session.poll(timeout=0.1): ...
    session.close()          # stops and joins every worker; also on exit and SIGTERM
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import pickle
import signal
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .config import RunConfig
from .events import Event, RunEnded, RunFailed, RunStarted, Step
from .runlog import RunLogWriter, default_log_path, log_stem
from .worker import worker_main

JOIN_SECONDS = 3.0
LIVENESS_SECONDS = 0.25  # how often poll() checks that every worker is still alive
MAX_BATCHES_PER_READ = 256  # per worker per poll
EXIT_AFTER_EOF_SECONDS = 0.2  # a worker whose pipe closed is exiting: wait this for it
# Held back from a new worker until it has set its own handling (worker.py: ignored, or a
# flag): one arriving while it still imports would kill it mid-import, a traceback on
# the terminal and a run that never started, reported failed.
HELD_AT_SPAWN = {signal.SIGINT, signal.SIGHUP, signal.SIGTERM}

_open_sessions: weakref.WeakSet[Session] = weakref.WeakSet()


@dataclass
class WorkerHandle:
    process: mp.process.BaseProcess
    commands: Connection
    events: Connection  # this worker's own pipe of [event, ...] batches
    events_open: bool = True  # False once the pipe said EOF (the worker is gone or going)
    open_run: bool = True  # a run started and has not ended (as far as the parent saw)
    header_seen: bool = False  # its run's RunStarted came: the log has its header
    last_step: int = 0
    reported_dead: bool = False


class Session:
    """Trains each config in its own spawned process (BLAS pinned to `blas_threads`,
    scheduled `niceness` levels below the caller so a screen stays quick)."""

    def __init__(self, configs: list[RunConfig], log_dir: Path | None = None,
                 profile_hz: float = 2.0, blas_threads: int = 1, niceness: int = 0) -> None:
        if not configs:
            raise ValueError("a session needs at least one model")
        self.configs = list(configs)
        self.log_dir = Path(log_dir) if log_dir is not None else None
        self.profile_hz, self.blas_threads = profile_hz, blas_threads
        self.niceness = niceness  # workers this much nicer than us (also after a respawn)
        self.log_paths: list[Path | None] = [None] * len(configs)
        self._ctx = mp.get_context("spawn")
        # Every spawn needs multiprocessing's resource tracker; start it now, while
        # sys.stderr is still a real file: started later under a Textual app (whose stderr
        # has no fileno) it fails with "bad value(s) in fds_to_keep".
        resource_tracker.ensure_running()
        self._workers: list[WorkerHandle] = []
        self._last_liveness = 0.0
        self._events_of_dead: list[tuple[int, Event]] = []  # found outside poll(), told by it
        self._read_in_close: list[tuple[int, Event]] = []  # the last words, told by poll()
        self._closed = False
        self.paused = False

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        for slot, config in enumerate(self.configs):
            self.log_paths[slot] = self._new_log_path(slot, config)
            self._workers.append(self._spawn(slot, config))
        _open_sessions.add(self)
        _close_sessions_on_signals()

    def _spawn(self, slot: int, config: RunConfig) -> WorkerHandle:
        receive, send = self._ctx.Pipe(duplex=False)
        events_in, events_out = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=worker_main, name=f"rnn-tui-worker-{slot}", daemon=True,
            args=(slot, config.to_dict(), self._log_arg(slot), receive, events_out,
                  self.profile_hz, self.blas_threads, self.niceness))
        # The child inherits the signal mask of the thread that starts it (through exec).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_AT_SPAWN)
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # ours arrive now, if any came
        # Our copies of the child's ends go: its death must read as EOF on its pipe.
        receive.close()
        events_out.close()
        return WorkerHandle(process, send, events_in)

    def close(self, reason: str = "stopped") -> None:
        """Stop every run (its log ends with RunEnded) and join every worker. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for worker in self._workers:
            self._send(worker, ("quit", reason))
        deadline = time.monotonic() + JOIN_SECONDS
        for worker in self._workers:
            # Drain while waiting: a worker blocks on a full pipe until we read it.
            while worker.process.is_alive() and time.monotonic() < deadline:
                self._read_in_close += self._drain(0.05)
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(timeout=JOIN_SECONDS)
            worker.commands.close()
        self._read_in_close += self._drain(0)
        for worker in self._workers:
            worker.events.close()
        _open_sessions.discard(self)

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- commands ----------------------------------------------------------------
    def pause(self) -> None:
        self.paused = True
        self._broadcast(("pause",))

    def resume(self) -> None:
        self.paused = False
        self._broadcast(("resume",))

    def step_once(self) -> None:
        """One training step on every model (while paused)."""
        self._broadcast(("step",))

    def stop(self, reason: str = "stopped") -> None:
        """End every run; the workers stay up for a restart."""
        self._broadcast(("stop", reason))

    def restart(self, slot: int, config: RunConfig) -> None:
        """End `slot`'s run and start `config` in its place, in the same process (or in a
        new one if that worker has died)."""
        self.configs[slot] = config
        self.log_paths[slot] = self._new_log_path(slot, config)
        worker = self._workers[slot]
        if not worker.process.is_alive():
            if not worker.reported_dead:
                self._events_of_dead.extend(self._report_dead(slot))
            worker.process.join()
            worker.commands.close()
            worker.events.close()
            self._workers[slot] = self._spawn(slot, config)
            if self.paused:  # the new process joins the others' state
                self._send(self._workers[slot], ("pause",))
            return
        worker.open_run, worker.header_seen = True, False
        self._send(worker, ("restart", config.to_dict(), self._log_arg(slot)))

    # --- events ------------------------------------------------------------------
    def poll(self, timeout: float = 0.0) -> list[tuple[int, Event]]:
        """Every event that has arrived, waiting up to `timeout` for the first one. After
        `close`, what it read from the workers on their way out."""
        if self._closed:
            events, self._read_in_close = self._read_in_close, []
            return events
        events = self._drain(timeout)
        if self._events_of_dead:
            events, self._events_of_dead = self._events_of_dead + events, []
        now = time.monotonic()
        if now - self._last_liveness >= LIVENESS_SECONDS:
            self._last_liveness = now
            events += self._dead_workers()
        return events

    def alive(self, slot: int) -> bool:
        return self._workers[slot].process.is_alive()

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    # --- internals -----------------------------------------------------------------
    def _drain(self, timeout: float) -> list[tuple[int, Event]]:
        """Read every event pipe that has something, waiting up to `timeout` for one."""
        pipes = {w.events: slot for slot, w in enumerate(self._workers) if w.events_open}
        if not pipes:
            time.sleep(timeout)  # nobody left to hear from: still wait as asked
            return []
        out: list[tuple[int, Event]] = []
        for pipe in wait(list(pipes), timeout):
            out += self._read_all(pipes[pipe])
        return out

    def _read_all(self, slot: int) -> list[tuple[int, Event]]:
        """Every whole batch waiting on `slot`'s pipe; EOF or a batch cut by a kill closes
        the pipe (the liveness check then reports the run)."""
        worker = self._workers[slot]
        out: list[tuple[int, Event]] = []
        try:
            # Bounded: a worker that sends as fast as we read must not starve the others.
            for _ in range(MAX_BATCHES_PER_READ):
                if not (worker.events_open and worker.events.poll(0)):
                    break
                batch = worker.events.recv()
                out += [(slot, event) for event in batch]
        except (EOFError, OSError, ValueError, TypeError, AttributeError, ImportError,
                pickle.UnpicklingError):
            worker.events_open = False
            # EOF comes as the process exits: reap it so this very poll reports it.
            worker.process.join(timeout=EXIT_AFTER_EOF_SECONDS)
            self._last_liveness = 0.0
        for _, event in out:
            self._track(slot, event)
        return out

    def _track(self, slot: int, event: Event) -> None:
        worker = self._workers[slot]
        if isinstance(event, RunStarted):
            worker.open_run = worker.header_seen = True
        elif isinstance(event, RunEnded):
            worker.open_run = False
        elif isinstance(event, Step):
            worker.last_step = event.step

    def _dead_workers(self) -> list[tuple[int, Event]]:
        out: list[tuple[int, Event]] = []
        for slot, worker in enumerate(self._workers):
            if not (worker.reported_dead or worker.process.is_alive() or self._closed):
                out += self._report_dead(slot)
        return out

    def _report_dead(self, slot: int) -> list[tuple[int, Event]]:
        """A worker that died (killed, crashed) in the middle of a run fails that run, once,
        and its log is closed for it. One that left after ending its run (SIGTERM) has
        said everything already."""
        worker = self._workers[slot]
        worker.reported_dead = True
        said: list[tuple[int, Event]] = []  # its last words first: read to the EOF
        while worker.events_open:
            more = self._read_all(slot)
            if not more and worker.events_open:
                break
            said += more
        worker.events_open = False
        if not worker.open_run:
            return said
        worker.open_run = False
        code = worker.process.exitcode
        before = "" if worker.header_seen else " before its run started"
        failed = RunFailed(step=worker.last_step,
                           message=f"worker process died (exit code {code}){before}")
        ended = RunEnded(step=worker.last_step, reason="failed")
        path = self.log_paths[slot]
        try:
            if path is not None and worker.header_seen:
                with RunLogWriter(path) as log:
                    log.write(failed)
                    log.write(ended)
            elif path is not None and path.stat().st_size == 0:
                # Made empty here for a run that never began: a log of nothing would only
                # be refused by the reader (it has no header).
                path.unlink()
                self.log_paths[slot] = None
        except OSError:
            pass  # the log was already lost (and said so); the screen still hears

        return [*said, (slot, failed), (slot, ended)]

    def _send(self, worker: WorkerHandle, command: tuple) -> None:
        try:
            worker.commands.send(command)
        except (BrokenPipeError, OSError):
            pass  # that worker is gone; poll() reports it

    def _broadcast(self, command: tuple) -> None:
        for worker in self._workers:
            self._send(worker, command)

    def _new_log_path(self, slot: int, config: RunConfig) -> Path | None:
        if self.log_dir is None:
            return None
        try:
            return default_log_path(self.log_dir, config, slot)
        except OSError:
            # Cannot make the directory or the file: the worker will try this path, fail
            # the same way and report it (LogStopped), and its run trains unlogged.
            # (Its name as it would have been: the warning names the file the user expects.)
            return self.log_dir / f"{log_stem(config, slot)}.jsonl"

    def _log_arg(self, slot: int) -> str | None:
        path = self.log_paths[slot]
        return str(path) if path is not None else None


@atexit.register
def _close_open_sessions() -> None:
    for session in list(_open_sessions):
        session.close("interrupted")


def _close_then_die(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP with no handler of the program's own: end every run (each log gets
    its `interrupted`), join the workers, then die of the signal as the default would."""
    _close_open_sessions()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _close_sessions_on_signals() -> None:
    # Only where nobody has claimed the signal (`rnn-tui train` turns SIGTERM into Ctrl-C),
    # and only from the main thread, the one place Python allows it.
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _close_then_die)
