"""What a panel knows about its run, built from events alone (no textual, no engine).

A live run and a replayed log both arrive here as `Event`s; the widgets only read a
`RunHistory`. Every buffer is bounded, so memory stays flat however long a run goes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..run.config import RunConfig
from ..run.events import Event, Profile, RunFailed, RunStarted, Step
from ..run.progress import ModelProgress

LOSS_POINTS = 1024  # most loss points kept (then every other goes, the stride doubles)
PROFILE_KEEP = 64  # profiles kept over the whole run, for views of training progress


def finite(value: float) -> float | None:
    """The number, or None where there is none yet (NaN before the first window)."""
    return value if math.isfinite(value) else None


def reaches_back(row: Any) -> bool:
    """A profile whose memory gradient never fell 100-fold within the sequence ("> T"):
    the cell path's for the LSTM, ∂L/∂h_t's for the others (`profiles.memory_series`)."""
    if not isinstance(row, Profile):
        return False
    name = "horizon_c" if "dc_norms" in row.series else "horizon_h"
    value = row.scalars.get(name)
    try:
        return value is not None and math.isinf(float(value))  # a log writes "inf"
    except (TypeError, ValueError):
        return False


class Decimated:
    """A stream of rows that keeps at most `capacity` of them however long it runs.

    Each kept row stands for a window of `stride` rows in a row: its first, unless a
    later one is `preferred` and it is not. When the buffer fills, pairs of windows
    merge the same way and the stride doubles. The kept rows stay evenly spread over the
    whole run, and the first row (step 1) is always among them. (The preference keeps a
    one-off event: a tanh RNN's single profile that reaches back level, which an even
    thinning dropped from the plots while the log had it.)
    """

    def __init__(self, capacity: int, preferred: Callable[[Any], bool] | None = None) -> None:
        self.capacity = max(2, capacity)
        self.preferred = preferred
        self.stride = 1
        self.rows: list[Any] = []
        self._seen = 0

    def append(self, row: Any) -> None:
        if self._seen % self.stride == 0:
            self.rows.append(row)
            if len(self.rows) >= self.capacity:
                self.rows = [self._pick(a, b) for a, b in pairs(self.rows)]
                self.stride *= 2
        elif self.preferred is not None and len(self.rows) > 1:  # (never the first row)
            self.rows[-1] = self._pick(self.rows[-1], row)
        self._seen += 1

    def _pick(self, kept: Any, other: Any) -> Any:
        if other is None or kept is self.rows[0]:
            return kept
        prefer = self.preferred
        return other if prefer is not None and prefer(other) and not prefer(kept) else kept

    def __len__(self) -> int:
        return len(self.rows)


def pairs(rows: list[Any]) -> list[tuple[Any, Any]]:
    """(rows[0], rows[1]), (rows[2], rows[3]), ...; an odd last row pairs with None."""
    return list(itertools.zip_longest(rows[0::2], rows[1::2]))


@dataclass
class RunHistory:
    """One panel's run: the run layer's `ModelProgress` (the same smoothed loss,
    milestones and state the headless summary reports) plus what the plots need:
    a bounded loss history and the first and latest profiles."""

    config: RunConfig | None = None
    progress: ModelProgress = field(default_factory=ModelProgress)
    restarting: bool = False  # a restart was asked for; its RunStarted has not come yet
    profile_loss: str = "the loss"  # the L of the profiles' ∂L/∂h_t (RunStarted)
    profile_loss_steps: int = 1  # over how many final steps that L is spread
    losses: Decimated = field(default_factory=lambda: Decimated(LOSS_POINTS))
    first_profile: Profile | None = None
    last_profile: Profile | None = None
    profiles: Decimated = field(
        default_factory=lambda: Decimated(PROFILE_KEEP, preferred=reaches_back))
    # Bumped on every change a widget shows, so redraws happen only when something moved.
    version: int = 0
    profile_version: int = 0
    runs: int = 0  # RunStarted events seen: a restart is a new run in the same history
    replayed: bool = False  # a replay scrubbed to before the log's end: nothing runs now

    # --- what the widgets read ---------------------------------------------------
    @property
    def state(self) -> str:
        if self.restarting:
            return "restarting"
        # Mid-replay the log says "running" (with its speed then), but nothing is.
        if self.replayed and self.progress.state in ("running", "paused"):
            return "replay"
        # (A run a key restarted: its log's last word, seen in a replay. "restarted"
        # alone read as the replay restarting.)
        if self.progress.state == "restarted":
            return "ended by a restart"
        return self.progress.state

    @property
    def message(self) -> str:
        return self.progress.message

    @property
    def log_warning(self) -> str:
        """Why the run's log stopped, if it did: the run trains on unlogged."""
        warnings = self.progress.warnings
        return warnings[-1] if warnings else ""

    @property
    def baseline(self) -> float | None:
        return finite(self.progress.baseline_loss)

    @property
    def step(self) -> int:
        return self.progress.step

    @property
    def seconds(self) -> float:
        return self.progress.seconds

    @property
    def smoothed_loss(self) -> float | None:
        return finite(self.progress.smoothed_loss)

    @property
    def smoothed_metric(self) -> float | None:
        return finite(self.progress.smoothed_metric)

    @property
    def steps_per_second(self) -> float:
        value = self.progress.steps_per_sec
        return value if self.state == "running" and math.isfinite(value) else 0.0

    @property
    def beat(self) -> tuple[int, float] | None:
        p = self.progress
        return (p.beat_step, p.beat_seconds or 0.0) if p.beat_step is not None else None

    @property
    def solved(self) -> tuple[int, float] | None:
        p = self.progress
        return (p.solved_step, p.solved_seconds or 0.0) if p.solved_step is not None else None

    def end_of_log(self) -> None:
        """A replay at the last line of a log that never says how its run ended (its
        process killed with the app's, a disk that filled): not "running" any more."""
        if not self.progress.ended:
            self.progress.state = "log ends here"
            self.version += 1

    # --- events ------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.__dict__.update(RunHistory(
                config=RunConfig.from_dict(event.config), profile_loss=event.profile_loss,
                profile_loss_steps=event.profile_loss_steps,
                version=self.version, runs=self.runs + 1,
                profile_version=self.profile_version + 1).__dict__)
        self.progress.update(event)
        if isinstance(event, RunFailed):
            self.restarting = False  # the new run could not start: say why
        if isinstance(event, Step):
            self.losses.append((event.step, event.loss, self.progress.smoothed_loss))
        elif isinstance(event, Profile):
            if self.first_profile is None:
                self.first_profile = event
            self.last_profile = event
            self.profiles.append(event)
            self.profile_version += 1
        self.version += 1

