"""Shared pieces of the dashboard tests: a scripted event source and the fixture logs.
(A uniquely named module: the test folders are not packages.)"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import Event, RunStarted
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.sources import ReplaySource

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_path(name: str) -> Path:
    """A recorded run log of fixtures/ (made with the project's own trainer)."""
    path = FIXTURES / f"{name}.jsonl"
    if not path.exists():
        raise FileNotFoundError(path)
    return path


def history_of(name: str, until: int | None = None) -> RunHistory:
    """A fixture run's history as a panel holds it after replaying the log (to `until`)."""
    source = ReplaySource.from_logs([fixture_path(name)])
    history = RunHistory()
    for _, event in source.until(source.last_step if until is None else until):
        history.apply(event)
    return history


class ScriptedSource:
    """A live source with no processes: it records the commands it is given and hands
    the app whatever events the test pushes (a restart answers with RunStarted, as a
    worker does)."""

    def __init__(self, configs: list[RunConfig]) -> None:
        self.configs = list(configs)
        self.log_paths: list[Path | None] = [None] * len(configs)
        self.calls: list[tuple] = []
        self.events: queue.Queue[tuple[int, Event]] = queue.Queue()
        self.closed = False

    def push(self, slot: int, event: Event) -> None:
        self.events.put((slot, event))

    def start(self) -> None:
        self.calls.append(("start",))

    def poll(self, timeout: float = 0.0) -> list[tuple[int, Event]]:
        out = []
        try:
            out.append(self.events.get(timeout=timeout) if timeout > 0
                       else self.events.get_nowait())
            while True:
                out.append(self.events.get_nowait())
        except queue.Empty:
            pass
        return out

    def pause(self) -> None:
        self.calls.append(("pause",))

    def resume(self) -> None:
        self.calls.append(("resume",))

    def step_once(self) -> None:
        self.calls.append(("step",))

    def restart(self, slot: int, config: RunConfig) -> None:
        self.calls.append(("restart", slot, config))
        self.configs[slot] = config
        self.push(slot, RunStarted(config=config.to_dict(), seed=config.seed,
                                   baseline_loss=1 / 6))

    def close(self) -> None:
        self.closed = True

    def restarts(self) -> list[tuple[int, RunConfig]]:
        return [(c[1], c[2]) for c in self.calls if c[0] == "restart"]


def replay_of(*names: str) -> ReplaySource:
    """A replay of fixture logs, showing bare file names (snapshots stay path-free)."""
    source = ReplaySource.from_logs([fixture_path(n) for n in names])
    source.log_paths = [Path(f"{n}.jsonl") for n in names]
    return source


async def wait_for(pilot: Pilot, condition: Callable[[], bool], what: str,
                   timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds; fail saying `what` did not happen.

    `pilot.press` and `pilot.pause()` return when the process *looks* idle (its CPU time
    stops advancing, or after a second at most): on a loaded machine that can be before
    a key has bubbled to its binding. Anything a test asserts after a key, it waits for.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        await pilot.pause(0.02)
