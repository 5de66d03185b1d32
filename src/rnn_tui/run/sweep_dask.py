"""The runs of a sweep on Dask: an embedded local cluster by default, or an existing
scheduler given by address (reached before anything is written, so a wrong address
leaves nothing behind). Either way the same loop submits every run and collects
the results as they finish.

Dask re-runs a task whose worker was lost (killed, machine gone) on another worker, so a
lost worker costs only the runs it held. A run that raises ends `failed` inside
`run_one`; a task Dask itself gives up on (it killed too many workers, say) is recorded as
`failed` with Dask's message. Either way the sweep goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

from .presets import PresetError
from .sweep_grid import SweepRun
from .sweep_run import run_one

# What the dashboard's workers get: one BLAS thread per run, one run per core.
PINNED_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
RETRIES = 1  # a task that raised outside run_one (it never raises inside) gets one more go
TICK = 0.25  # seconds between progress updates while waiting for results
SLOTS_EVERY = 5.0  # seconds between asking the scheduler how many threads it has
CONNECT_SECONDS = 10.0
CONNECT_TIMEOUT = f"{CONNECT_SECONDS:.0f}s"
HANDSHAKE_SECONDS = 5.0  # past the connect's own timeout: a scheduler answers at once
STOP_SECONDS = 3.0  # Ctrl-C: how long the runs in flight get to end their logs
# What stops a sweep besides Ctrl-C: SIGTERM, and a closed terminal (SIGHUP).
STOPPING = (signal.SIGTERM, signal.SIGHUP)
# What the group gets from a terminal that the workers must not act on (only the sweep
# does): blocked while they are spawned, they inherit the block.
HELD = {signal.SIGINT, signal.SIGHUP}
SCHEDULER_HINT = "tcp://HOST:8786 by default"
LOST = ("lost", "pending")  # a future's status once the result it had is gone


@contextmanager
def local_client(workers: int | None = None) -> Iterator[Any]:
    """A Client of an embedded LocalCluster: one single-threaded worker process per core
    (or `workers`), BLAS pinned to one thread."""
    from distributed import Client, LocalCluster

    # dashboard ":0": the scheduler always serves HTTP; a free port, not a warning when
    # another cluster holds 8787. Logs only when critical: closing a cluster whose workers
    # are mid-run (Ctrl-C) logs errors that are only the shutdown; a run's own failure
    # reaches the results, not the log.
    # Started here, before SIGINT is blocked: started from Dask's thread, multiprocessing
    # unblocks SIGINT in that thread on its way out (not restoring the mask it found), and
    # the workers that thread spawns would see Ctrl-C again.
    # (With SIGHUP held too: started without, it died of a closed terminal, and the one
    # started in its place printed a KeyError for each name the workers unregistered.)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
    try:
        resource_tracker.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    held = SignalsHeld()
    with held:  # the worker processes are spawned here
        try:
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                   threads_per_worker=1, processes=True,
                                   dashboard_address=":0", env=PINNED_ENV,
                                   silence_logs=logging.CRITICAL)
        except Exception:
            held.raise_if_came()  # (a SIGTERM to the whole group: the workers died of it)
            raise
    with cluster, Client(cluster) as client:
        held.raise_if_came()  # (in here: the cluster closes on the way out)
        yield client


@contextmanager
def scheduler_client(scheduler: str) -> Iterator[Any]:
    """A Client of the scheduler at `scheduler`; PresetError when it cannot be reached or
    what answers there is not a Dask scheduler."""
    from distributed import Client

    try:
        _handshake(scheduler)
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except PresetError:
        raise
    except (OSError, ValueError, TypeError) as err:
        raise PresetError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    # The client logs a traceback each time it cannot reconnect to a scheduler that went
    # away; the sweep says so itself, in one line, at the end.
    client_log = logging.getLogger("distributed.client")
    level = client_log.level
    client_log.setLevel(logging.CRITICAL)
    try:
        with client:
            yield client
    finally:
        client_log.setLevel(level)


def _handshake(scheduler: str) -> None:
    """Connect and read the scheduler's handshake, within a deadline. Client's own connect
    waits for the handshake forever when something else listens there (the dashboard's
    HTTP port, say), and reads another server's bytes as a frame length (a MemoryError
    for exabytes)."""
    from distributed.comm import connect

    async def handshake() -> None:
        # Dask's connect gives up after CONNECT_SECONDS (OSError); the deadline past it
        # can only be the handshake that never came.
        comm = await asyncio.wait_for(connect(scheduler, timeout=CONNECT_SECONDS),
                                      CONNECT_SECONDS + HANDSHAKE_SECONDS)
        await comm.close()

    try:
        asyncio.run(handshake())
    except asyncio.TimeoutError:  # (first: it is an OSError too, from Python 3.11)
        raise PresetError(
            f"{scheduler} is not a Dask scheduler: something listens there but did not "
            f"answer as one within {CONNECT_SECONDS + HANDSHAKE_SECONDS:.0f} s (the "
            f"dashboard's port? `dask scheduler` prints its address, {SCHEDULER_HINT})"
        ) from None
    except (OSError, ValueError, TypeError):
        raise  # unreachable, or not an address: the caller's message says so
    except Exception as err:  # noqa: BLE001 - whatever another server's bytes make of it
        raise PresetError(
            f"{scheduler} is not a Dask scheduler: what answered there sent something else "
            f"({type(err).__name__}; `dask scheduler` prints its address, {SCHEDULER_HINT})"
        ) from None


class SignalsHeld:
    """While the cluster starts: Ctrl-C reaches the whole process group, and only this
    process should act on it (cancel the runs, close the cluster), not each worker with
    a traceback; so should it on a closed terminal's SIGHUP. So both are blocked in this
    thread: the threads Dask starts meanwhile and the worker processes they spawn inherit
    the block and never see them. Here a Ctrl-C, SIGTERM or SIGHUP is kept and raised
    once the cluster is up (`raise_if_came`):
    ignored, a Ctrl-C in the first 1.5 s let the whole sweep run on and exit 0; raised
    inside Dask's start, a SIGTERM left a half-made cluster that printed a traceback."""

    def __init__(self, blocked: frozenset[int] = frozenset(HELD)) -> None:
        self.blocked = blocked
        self.came: list[int] = []
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> SignalsHeld:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, *STOPPING):
                self.previous[signum] = signal.getsignal(signum)
                if self.previous[signum] is not signal.SIG_IGN:
                    signal.signal(signum, lambda number, frame: self.came.append(number))
            signal.pthread_sigmask(signal.SIG_BLOCK, self.blocked)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, self.blocked)  # (one pending: kept)
            for signum, handler in self.previous.items():
                signal.signal(signum, handler)

    def raise_if_came(self) -> None:
        if self.came:
            raise KeyboardInterrupt


def submit(client: Any, runs: list[SweepRun], log_paths: list[Path],
           stop: str = "") -> dict[Any, SweepRun]:
    """Every run submitted at once; the scheduler hands them out in the grid's order (by
    priority) as workers free up. `stop`: the Dask Event the runs watch (`stop_runs`)."""
    tag = uuid.uuid4().hex[:8]  # a rerun's keys never collide with a previous client's
    return {client.submit(run_one, run.config.to_dict(), str(path.resolve()), stop,
                          pure=False, retries=RETRIES, priority=len(runs) - index,
                          key=f"sweep-{run.id}-{tag}"): run
            for index, (run, path) in enumerate(zip(runs, log_paths, strict=True))}


def stop_name() -> str:
    return f"rnn-tui-sweep-stop-{uuid.uuid4().hex[:8]}"


def collect(client: Any, futures: dict[Any, SweepRun],
            on_result: Callable[[SweepRun, dict[str, Any]], None],
            on_tick: Callable[[int, int], None], stop: str = "") -> None:
    """Hand each finished run's summary to `on_result` as it comes; between results, tell
    `on_tick` how many runs are running and how many the cluster can run at once (0: it
    has no worker). KeyboardInterrupt stops the runs in flight (`stop_runs`) and cancels
    the rest.

    `as_completed`, polled: `wait(..., timeout=)` in a loop leaks its waiters (about
    0.2 MB a call with 80 runs pending: gigabytes over an hour's sweep)."""
    from distributed import as_completed

    completed = as_completed(list(futures))
    slots, slots_read = _slots(client) or 0, time.monotonic()
    try:
        while not completed.is_empty():
            batch = completed.next_batch(block=False)
            for future in batch:
                if future.status in LOST and client.status == "running":
                    # Done, but its result died with its worker before it was fetched:
                    # the scheduler computes it again; wait for that one.
                    completed.add(future)
                    continue
                # Popped: the last reference gone, the cluster lets go of the result (a
                # log's text each) instead of holding every one to the end.
                with interrupts_deferred():  # (else a run popped was lost, not written)
                    run, summary = futures.pop(future), summary_of(future)
                    if summary is not None:
                        on_result(run, summary)
            if not batch:
                time.sleep(TICK)  # nothing new yet (Ctrl-C still lands at once)
            if time.monotonic() - slots_read > SLOTS_EVERY:  # workers come and go
                now = _slots(client)
                slots, slots_read = slots if now is None else now, time.monotonic()
            on_tick(min(len(futures), slots), slots)
    except KeyboardInterrupt:
        stop_runs(client, futures, on_result, stop)
        raise
    except BaseException:
        client.cancel(list(futures))
        raise


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held until the block is done, then raised as
    KeyboardInterrupt (handlers only, no mask: Dask's own threads would take a masked
    signal)."""
    held = SignalsHeld(blocked=frozenset())
    with held:
        yield
    held.raise_if_came()


def stop_runs(client: Any, futures: dict[Any, SweepRun],
              on_result: Callable[[SweepRun, dict[str, Any]], None], stop: str) -> None:
    """Ctrl-C: the runs not started are cancelled; those training are told to stop (the
    Event `stop`), and given STOP_SECONDS to end their logs as `interrupted`. One that has
    finished, or finishes meanwhile, is recorded: its work is kept, not run again."""
    from distributed import Event, wait

    try:
        # Asked first, then each future's state: one that ends in between is done by the
        # time it is looked at (a finished run cancelled lost its result).
        running = {key for keys in client.processing().values() for key in keys}
        in_flight, not_started = [], []
        for future in futures:
            (in_flight if future.done() or future.key in running else not_started).append(
                future)
        client.cancel(not_started)
        if stop and not all(f.done() for f in in_flight):
            Event(stop, client=client).set()
            try:
                wait(in_flight, timeout=STOP_SECONDS)
            except TimeoutError:
                pass  # (one still trains: cancelled below, its log cut where it was)
        for future in in_flight:
            summary = summary_of(future) if future.done() else None
            if summary is not None and summary.get("state") != "interrupted":
                on_result(futures[future], summary)
    except (OSError, TimeoutError):
        pass  # the scheduler is gone: nothing to stop, nothing to collect
    finally:
        client.cancel(list(futures))


def summary_of(future: Any) -> dict[str, Any] | None:
    """The run's summary; a `failed` one when Dask gave up on the task; None when the
    task was cancelled or lost with its scheduler (no result: a rerun runs it)."""
    if future.status == "finished":
        return future.result()
    if future.status != "error":
        return None
    return {"state": "failed", "message": gave_up_message(future.exception()),
            "worker": None, "log_zlib": b""}


def gave_up_message(error: BaseException) -> str:
    """Why Dask gave up on a run, in words (KilledWorker's repr is the task's key and a
    WorkerState's)."""
    if type(error).__name__ == "KilledWorker" and len(error.args) == 3:
        _, last_worker, allowed_failures = error.args
        return (f"dask gave up on it: the {allowed_failures + 1} workers that ran it died "
                f"while running it (killed? out of memory?), the last "
                f"{getattr(last_worker, 'address', last_worker)}")
    return f"dask: {type(error).__name__}: {error}"


def _slots(client: Any) -> int | None:
    """Threads across the cluster's workers: how many runs can run at once (0: no worker
    at all); None when the scheduler did not answer."""
    try:
        return sum(client.nthreads().values())
    except (OSError, TimeoutError):
        return None


def keep_log(summary: dict[str, Any], path: Path) -> None:
    """Write the run's log under the sweep's folder unless the worker already did (it
    shares this filesystem). A run that failed before logging has no text: nothing."""
    text = zlib.decompress(summary["log_zlib"]) if summary.get("log_zlib") else b""
    if text and not (path.is_file() and path.stat().st_size == len(text)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)

