"""One model's run inside a worker: builds the Trainer from a RunConfig and turns each
training step into the events the screen and the log need."""

from __future__ import annotations

import math
import platform
import time
from datetime import datetime, timezone
from typing import Any

import numpy as np

from .. import __version__
from ..engine import StepResult, Trainer, build_model, build_task
from .code_digest import code_digest
from .config import RunConfig
from .events import Diverged, Event, Profile, RunStarted, Step


def build_trainer(config: RunConfig) -> Trainer:
    task = build_task(config.task, config.seq_len)
    model = build_model(config.cell, task.input_size, config.hidden_size, task.output_size,
                        rng=np.random.default_rng(config.seed), dtype=config.dtype,
                        recurrent_scale=config.recurrent_scale)
    return Trainer(model, task, optimizer=config.optimizer, lr=config.lr, clip=config.clip,
                   batch_size=config.batch_size, seed=config.seed, momentum=config.momentum)


def blas_info() -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_info

    keep = ("internal_api", "version", "architecture", "num_threads")
    return [{k: lib.get(k) for k in keep} for lib in threadpool_info()]


def run_started(config: RunConfig, trainer: Trainer, log_path: str) -> RunStarted:
    task = trainer.task
    solved = ({"loss_at_most": task.solved_loss} if hasattr(task, "solved_loss")
              else {"metric_at_least": task.solved_accuracy})
    return RunStarted(
        config=config.to_dict(), seed=config.seed, baseline_loss=task.baseline_loss,
        versions={"rnn_tui": __version__, "rnn_tui_code": code_digest(),
                  "numpy": np.__version__, "python": platform.python_version()},
        blas=blas_info(), started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        solved_when=solved, metric_name=task.metric_name, steps=task.steps, log_path=log_path,
        profile_loss=task.memory_loss, profile_loss_steps=task.memory_steps)


def _floats(values: np.ndarray) -> list[float]:
    # Four significant digits: more than a plot can show, and it keeps logs small.
    return [float(f"{v:.4g}") for v in values]


def profile_event(result: StepResult) -> Profile:
    """The per-timestep view of a step (costs milliseconds: send it at a bounded rate)."""
    trace = result.trace
    series = {k: _floats(v) for k, v in trace.series().items()
              if k not in ("dh_norms", "h_norms")}
    return Profile(step=result.step, dh_norms=_floats(trace.dh_norms),
                   h_norms=_floats(trace.h_norms), series=series,
                   scalars={k: float(v) for k, v in trace.scalars.items()})


def step_event(result: StepResult, seconds: float) -> Step | Diverged:
    if not math.isfinite(result.loss):
        return Diverged(step=result.step, what="loss", value=repr(result.loss))
    if not math.isfinite(result.grad_norm):
        return Diverged(step=result.step, what="grad_norm", value=repr(result.grad_norm))
    # Six significant digits (float32 carries about seven): a step line of ~100 bytes, not ~130.
    return Step(step=result.step, loss=_sig6(result.loss), metric=_sig6(result.metric),
                grad_norm=_sig6(result.grad_norm), seconds=round(seconds, 4))


def _sig6(value: float) -> float:
    return float(f"{value:.6g}")


class ProfileClock:
    """Profiles at most `hz` times a second, plus the first step (and, by the caller, the
    last): enough to watch, never enough to flood the screen or the log."""

    def __init__(self, hz: float) -> None:
        self.interval = 1.0 / hz if hz > 0 else math.inf
        self.last = -math.inf

    def due(self, step: int) -> bool:
        now = time.monotonic()
        if step == 1 or now - self.last >= self.interval:
            self.last = now
            return True
        return False


def events_of_step(result: StepResult, started: float, clock: ProfileClock,
                   last: bool = False) -> list[Event]:
    event = step_event(result, time.monotonic() - started)
    if isinstance(event, Diverged):
        return [event]
    if clock.due(result.step) or last:
        return [event, profile_event(result)]
    return [event]
