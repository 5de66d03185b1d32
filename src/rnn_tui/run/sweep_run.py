"""One run of a sweep as one pure function: configuration and log path in, summary out.

It drives the dashboard worker's own step (`start_run`, `train_one_step`, `end_run`,
`guarded` from `worker.py`), so a sweep's run and a dashboard's run write the same log
and count as solved by the same rule (`ModelProgress`). Only the loop around the step
differs: no commands to obey, and the run ends as soon as it is solved, or at `steps`.

It runs wherever Dask puts it. The log is written on that machine; its text also comes
back, compressed, with the summary, so a client that does not share the filesystem can
write it under the sweep's folder.
"""

from __future__ import annotations

import math
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .code_digest import code_digest
from .config import RunConfig
from .events import Event
from .progress import ModelProgress
from .worker import RunState, end_run, guarded, start_run, train_one_step

PROFILE_HZ = 2.0  # as `rnn-tui train`: the logs look the same, whoever ran them
STOP_EVERY = 0.5  # seconds between looks at the sweep's stop signal (a call to the scheduler)


class ProgressSink:
    """Stands in for the worker's event channel: folds the events into a ModelProgress."""

    def __init__(self, progress: ModelProgress) -> None:
        self.progress = progress

    def send(self, events: list[Event]) -> None:  # a pipe of the worker's own
        for event in events:
            self.progress.update(event)

    def put(self, item: tuple[int, list[Event]]) -> None:  # the queue shared by all workers
        self.send(item[1])


def run_one(config: dict[str, Any], log_path: str, stop: str = "") -> dict[str, Any]:
    """Train one configuration until it is solved or reaches its steps; the summary of
    `ModelProgress.summary()` plus `batch_size`, `worker`, `code` (`code_digest`: which
    rnn-tui ran it) and `log_zlib` (the log's text, compressed). A run that raises ends
    `failed` with its message; it never raises. `stop`: the name of the sweep's Dask
    Event; once set (Ctrl-C), the run ends `interrupted` (Dask cannot stop a task that
    runs, and a cancelled one trained on, its log saying "finished" with no result)."""
    from threadpoolctl import threadpool_limits

    from ..engine import tune_for_training

    tune_for_training()  # per thread: Dask runs this on one of its threads
    progress = ModelProgress()
    asked_to_stop = stop_signal(stop)
    if asked_to_stop():
        # Queued on a worker when Ctrl-C came, it never started: no log (one that said
        # run_started, then interrupted at step 0, was counted as a run cut short).
        progress.state = "interrupted"
        return progress.summary() | {"worker": worker_name(), "log": log_path,
                                     "code": code_digest(), "log_zlib": b""}
    state = RunState(slot=0, events=ProgressSink(progress))
    path, scratch = _writable(Path(log_path))
    path.unlink(missing_ok=True)  # a rerun (after Ctrl-C, or a lost worker) starts afresh
    looked = -math.inf  # at once, first: a run queued on a worker may start after Ctrl-C
    with threadpool_limits(limits=1):  # as the dashboard's workers: one core per run
        guarded(state, start_run, state, config, str(path), PROFILE_HZ)
        state.send()  # every step, not every 50 ms: the solved check must see each step
        while state.active:
            if time.monotonic() - looked > STOP_EVERY:
                looked = time.monotonic()
                if asked_to_stop():
                    end_run(state, "interrupted")
                    state.send()
                    break
            guarded(state, train_one_step, state)
            state.send()
            if state.active and progress.solved_step is not None:
                end_run(state, "finished")
                state.send()
    summary = progress.summary() | {"batch_size": config.get("batch_size"),
                                    "worker": worker_name(), "log": log_path,
                                    "code": code_digest()}
    summary["log_zlib"] = zlib.compress(path.read_bytes()) if path.is_file() else b""
    if scratch:
        path.unlink(missing_ok=True)
    return summary


def stop_signal(name: str) -> Callable[[], bool]:
    """Whether the sweep has asked its runs to stop: Dask's Event `name`, read on the
    scheduler (never, without a name or outside a Dask worker)."""
    if not name:
        return lambda: False
    try:
        from distributed import Event, get_worker

        get_worker()  # (raises outside a worker)
        event = Event(name)
    except (ImportError, ValueError):
        return lambda: False

    def asked() -> bool:
        try:
            return event.is_set()
        except (OSError, TimeoutError):  # the scheduler went away: the sweep has ended
            return True

    return asked


def run_config(config: RunConfig, log_path: str | Path) -> dict[str, Any]:
    """`run_one` in this process (tests and a sweep without Dask compare against it)."""
    return run_one(config.to_dict(), str(log_path))


def worker_name() -> str:
    """The Dask worker's address when run by one, else "local"."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def _writable(path: Path) -> tuple[Path, bool]:
    """The log path, or a scratch file when this machine cannot create its folder (a
    worker that does not share the client's filesystem); True when scratch."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path, False
    except OSError:
        handle, name = tempfile.mkstemp(prefix=path.stem + "-", suffix=".jsonl")
        Path(name).unlink()
        return Path(name), True
