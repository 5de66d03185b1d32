"""Where a dashboard's events come from: live worker processes or recorded run logs.

Both hand the app `(slot, event)` pairs, and the app feeds them to the same
`RunHistory` objects, so a live run and a replayed log reach the widgets by one path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..run.config import RunConfig
from ..run.events import Event, RunStarted

WORKER_NICENESS = 5


class EventSource(Protocol):
    """What the app needs from a source of events (see `LiveSource`)."""

    configs: list[RunConfig]
    log_paths: list[Path | None]

    def start(self) -> None: ...
    def poll(self, timeout: float = 0.0) -> list[tuple[int, Event]]: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def step_once(self) -> None: ...
    def restart(self, slot: int, config: RunConfig) -> None: ...
    def close(self) -> None: ...


class LiveSource:
    """Training in worker processes, through the run layer's `Session`."""

    def __init__(self, configs: Sequence[RunConfig], log_dir: Path | None) -> None:
        from ..run.session import Session

        # Workers a few nice levels below the screen: they use what the dashboard leaves
        # (it is idle most of the time), and a key press never waits for the scheduler
        # to hand a core back from training.
        self.session = Session(list(configs), log_dir=log_dir, niceness=WORKER_NICENESS)

    @property
    def configs(self) -> list[RunConfig]:
        return self.session.configs

    @property
    def log_paths(self) -> list[Path | None]:
        return self.session.log_paths

    def start(self) -> None:
        self.session.start()

    def poll(self, timeout: float = 0.0) -> list[tuple[int, Event]]:
        return self.session.poll(timeout)

    def pause(self) -> None:
        self.session.pause()

    def resume(self) -> None:
        self.session.resume()

    def step_once(self) -> None:
        self.session.step_once()

    def restart(self, slot: int, config: RunConfig) -> None:
        self.session.restart(slot, config)

    def close(self) -> None:
        self.session.close()


@dataclass
class ReplaySource:
    """Recorded run logs, one per panel; `until(step)` gives what had happened by then."""

    runs: list[list[Event]]
    log_paths: list[Path | None] = field(default_factory=list)

    @classmethod
    def from_logs(cls, paths: Sequence[Path]) -> ReplaySource:
        from ..run.runlog import read_run_log

        return cls([read_run_log(Path(p)) for p in paths], [Path(p) for p in paths])

    @property
    def configs(self) -> list[RunConfig]:
        return [RunConfig.from_dict(run[0].config) if isinstance(run[0], RunStarted)
                else RunConfig() for run in self.runs]

    @property
    def last_step(self) -> int:
        return max(self.last_steps, default=0)

    @property
    def last_steps(self) -> list[int]:
        """Each log's last step."""
        return [max((getattr(e, "step", 0) for e in run), default=0) for run in self.runs]

    def until(self, step: int) -> list[tuple[int, Event]]:
        """Every event of every log up to and including `step`, in log order."""
        return [(slot, e) for slot, run in enumerate(self.runs)
                for e in run if getattr(e, "step", 0) <= step]

    # Nothing trains in a replay: the commands are no-ops (the app hides their keys).
    def start(self) -> None:
        pass

    def poll(self, timeout: float = 0.0) -> list[tuple[int, Event]]:
        return []

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def step_once(self) -> None:
        pass

    def restart(self, slot: int, config: RunConfig) -> None:
        pass

    def close(self) -> None:
        pass
