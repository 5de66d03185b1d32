"""What a run has achieved so far, folded from its events: smoothed loss, when it first
beat the memoryless baseline and when it counted as solved, its speed and state.

Shared by the headless summary and the dashboard's status lines, so both say the same.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .events import (
    Diverged,
    Event,
    LogStopped,
    Paused,
    Profile,
    Resumed,
    RunEnded,
    RunFailed,
    RunStarted,
    Step,
)

WINDOW = 50  # steps in the running mean: one batch's loss is too noisy to call a result
BEAT_FACTOR = 0.9  # "beat the baseline" = smoothed loss below 90 % of it


@dataclass
class ModelProgress:
    config: dict[str, Any] = field(default_factory=dict)
    baseline_loss: float = math.nan
    solved_when: dict[str, float] = field(default_factory=dict)
    log_path: str = ""
    step: int = 0
    seconds: float = 0.0
    loss: float = math.nan  # last step's
    metric: float = math.nan
    grad_norm: float = math.nan
    beat_step: int | None = None
    beat_seconds: float | None = None
    solved_step: int | None = None
    solved_seconds: float | None = None
    state: str = "starting"  # running, paused, finished, stopped, interrupted, diverged, failed
    message: str = ""
    warnings: list[str] = field(default_factory=list)  # e.g. the log stopped being written
    last_profile: Profile | None = None
    _losses: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    _metrics: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    _times: deque = field(default_factory=lambda: deque(maxlen=WINDOW))

    @property
    def smoothed_loss(self) -> float:
        return sum(self._losses) / len(self._losses) if self._losses else math.nan

    @property
    def smoothed_metric(self) -> float:
        return sum(self._metrics) / len(self._metrics) if self._metrics else math.nan

    @property
    def steps_per_sec(self) -> float:
        """Over the last WINDOW steps (what it does now, not since the start)."""
        if len(self._times) < 2:
            return math.nan
        (s0, t0), (s1, t1) = self._times[0], self._times[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else math.nan

    @property
    def ended(self) -> bool:
        return self.state not in ("starting", "running", "paused")

    def update(self, event: Event) -> None:
        handler = getattr(self, f"_on_{event.kind}", None)
        if handler is not None:
            handler(event)

    def _on_run_started(self, e: RunStarted) -> None:
        self.__init__()  # a restart starts from scratch
        self.config, self.baseline_loss = e.config, e.baseline_loss
        self.solved_when, self.log_path = e.solved_when, e.log_path
        self.state = "running"

    def _on_step(self, e: Step) -> None:
        self.step, self.seconds = e.step, e.seconds
        self.loss, self.metric, self.grad_norm = e.loss, e.metric, e.grad_norm
        self._losses.append(e.loss)
        self._metrics.append(e.metric)
        self._times.append((e.step, e.seconds))
        if len(self._losses) < WINDOW:
            return
        if self.beat_step is None and self.smoothed_loss < BEAT_FACTOR * self.baseline_loss:
            self.beat_step, self.beat_seconds = e.step, e.seconds
        if self.solved_step is None and self.is_solved():
            self.solved_step, self.solved_seconds = e.step, e.seconds

    def is_solved(self) -> bool:
        if "loss_at_most" in self.solved_when:
            return self.smoothed_loss <= self.solved_when["loss_at_most"]
        if "metric_at_least" in self.solved_when:
            return self.smoothed_metric >= self.solved_when["metric_at_least"]
        return False

    def _on_profile(self, e: Profile) -> None:
        self.last_profile = e

    def _on_paused(self, e: Paused) -> None:
        if not self.ended:
            self.state = "paused"

    def _on_resumed(self, e: Resumed) -> None:
        if not self.ended:
            self.state = "running"

    def _on_diverged(self, e: Diverged) -> None:
        self.state = "diverged"
        # ", not applied": the status counts applied steps, one fewer ("step 5 · diverged")
        self.message = f"diverged at step {e.step}: {e.what} is {e.value}, not applied"

    def _on_run_failed(self, e: RunFailed) -> None:
        self.state = "failed"
        self.message = f"failed at step {e.step}: {e.message}"

    def _on_log_stopped(self, e: LogStopped) -> None:
        self.warnings.append(e.message)
        if e.step == 0:
            self.log_path = ""  # nothing was written

    def _on_run_ended(self, e: RunEnded) -> None:
        if self.state not in ("diverged", "failed"):
            self.state = e.reason

    def summary(self) -> dict[str, Any]:
        """The per-model record of `rnn-tui train --json`."""
        c = self.config

        def num(v: float) -> float | None:
            # 10 significant digits: a mean of 50 losses read 0.0031800000000000003.
            return None if v is None or not math.isfinite(v) else float(f"{v:.10g}")

        return {
            "cell": c.get("cell"), "task": c.get("task"), "seq_len": c.get("seq_len"),
            "hidden_size": c.get("hidden_size"), "lr": c.get("lr"), "seed": c.get("seed"),
            "steps": self.step, "seconds": self.seconds, "state": self.state,
            "message": self.message or None, "warnings": list(self.warnings),
            "final_loss": num(self.smoothed_loss), "last_loss": num(self.loss),
            "baseline_loss": num(self.baseline_loss), "metric": num(self.smoothed_metric),
            "beat_baseline_step": self.beat_step, "beat_baseline_seconds": self.beat_seconds,
            "solved_step": self.solved_step, "solved_seconds": self.solved_seconds,
            "steps_per_sec": num(self.step / self.seconds if self.seconds > 0 else math.nan),
            "log": self.log_path or None,
            # Every setting (batch, optimizer, clip, dtype, ...): a --no-log run's only record.
            "config": dict(c),
        }
