"""One batch in, one optimiser step out, with the numbers the dashboard shows."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .factory import build_optimizer
from .model import RecurrentModel
from .optim import clip_global_norm, global_norm
from .tasks import Task
from .trace import Trace
from .vocabulary import check_setting


@dataclass(frozen=True, eq=False)
class StepResult:
    step: int  # 1 for the first step
    loss: float
    metric: float
    grad_norm: float  # global norm before clipping
    traced: Callable[[], Trace]  # makes `trace`, when first asked for

    @cached_property
    def trace(self) -> Trace:
        """What the backward pass of the task's memory share saw (`Task.memory_dys`):
        the pass that trained, or (copy) one more pass over the same forward, made only
        for the steps the dashboard plots."""
        return self.traced()

    @property
    def finite(self) -> bool:
        return math.isfinite(self.loss) and math.isfinite(self.grad_norm)


class Trainer:
    """Trains `model` on `task`. The batches come from their own generator seeded with
    `seed`, so two trainers with the same seed see the same batches whatever their cell.
    A step whose loss or gradient is NaN/Inf is reported and not applied."""

    def __init__(self, model: RecurrentModel, task: Task, optimizer: str = "adam",
                 lr: float = 1e-2, clip: float = 1.0, batch_size: int = 64, seed: int = 0,
                 momentum: float = 0.9) -> None:
        for size in ("input_size", "output_size"):  # (else: a shape error at the first step)
            if getattr(model, size) != getattr(task, size):
                raise ValueError(f"the model's {size} is {getattr(model, size)}, the task's "
                                 f"{getattr(task, size)}: build the model with {size}="
                                 f"task.{size}")
        self.model, self.task = model, task
        self.optimizer = build_optimizer(optimizer, lr, momentum)  # checks lr, momentum
        self.clip = check_setting("clip", clip)
        self.batch_size = check_setting("batch_size", batch_size)
        self.data_rng = np.random.default_rng(check_setting("seed", seed))
        self.steps_done = 0

    def step(self) -> StepResult:
        batch = self.task.sample(self.batch_size, self.data_rng, dtype=self.model.dtype)
        # A diverging model overflows to inf and NaN: that is its result (`finite` says
        # so), not a RuntimeWarning, which a worker would print over the dashboard.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            ys, cache = self.model.forward(batch.x)
            loss, dys = self.task.loss(ys, batch)
            metric = self.task.metric(ys, batch)
            grads, trace = self.model.backward(dys, cache)
            norm = global_norm(grads)
        self.steps_done += 1
        memory = self.task.memory_dys(dys)
        traced = (lambda: trace) if memory is None else self.memory_pass(memory, cache)
        result = StepResult(self.steps_done, loss, metric, norm, traced)
        if result.finite:
            self.optimizer.update(self.model.params, clip_global_norm(grads, self.clip, norm))
        return result

    def memory_pass(self, dys: np.ndarray, cache: object) -> Callable[[], Trace]:
        """The trace of a backward pass of `dys` over this step's forward, made when
        called: with the weights of this step (the optimiser puts new arrays in
        `params`, so a copy of the dict keeps these)."""
        model = copy.copy(self.model)
        model.params = dict(self.model.params)

        def trace() -> Trace:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                return model.backward(dys, cache)[1]

        return trace
