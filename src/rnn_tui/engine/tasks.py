"""Long-memory tasks: each makes batches, scores outputs, and knows the loss of the best
model that remembers nothing (its baseline)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .vocabulary import check_task_length


@dataclass(frozen=True)
class Batch:
    x: np.ndarray  # (steps, B, input_size)
    y: np.ndarray  # the targets, task-specific shape


def check_batch_size(batch_size: int) -> None:
    if not isinstance(batch_size, int | np.integer) or batch_size < 1:
        raise ValueError(f"batch size must be an integer >= 1, got {batch_size!r}")


class Task:
    name: str = ""  # its name in the registry (engine/vocabulary.py)
    input_size: int
    output_size: int
    seq_len: int  # the task's T
    steps: int  # the length of x (T for adding, T + 20 for copy)
    baseline_loss: float
    metric_name: str
    memory_loss = "the loss"  # what `memory_dys` differentiates, as the dashboard says it
    # How many final steps carry that loss: before them ∂L/∂h_t only flows back (the
    # bound σ_max·max σ' holds from the first of them back, not from the end).
    memory_steps = 1

    def sample(self, batch_size: int, rng: np.random.Generator,
               dtype: Any = np.float64) -> Batch:
        raise NotImplementedError

    def loss(self, ys: np.ndarray, batch: Batch) -> tuple[float, np.ndarray]:
        """(loss, dL/dys)."""
        raise NotImplementedError

    def memory_dys(self, dys: np.ndarray) -> np.ndarray | None:
        """dL/dys of the loss's share that only memory can lower, when that is not all of
        it (None: it is). The gradient the dashboard plots, ‖∂L/∂h_t‖ against the steps
        back, is the one this share sends back: a share scored at every step would add
        its own fresh gradient at every step and hide how the memory's fades."""
        return None

    def metric(self, ys: np.ndarray, batch: Batch) -> float:
        raise NotImplementedError

    def solved(self, loss: float, metric: float) -> bool:
        raise NotImplementedError


class AddingTask(Task):
    """Le et al. 2015 / Arjovsky et al. 2016. Channel 0 holds values ~ U[0, 1], channel 1
    marks exactly two steps: one uniform in the first half, one in the second. The target
    is the sum of the two marked values, read from the last step's output (MSE)."""

    name = "adding"
    input_size = 2
    output_size = 1
    metric_name = "share |err| < 0.04"
    # Remembering nothing, the best guess is E[sum] = 1, with loss Var(u1 + u2) = 2/12.
    baseline_loss = 1.0 / 6.0
    tolerance = 0.04
    solved_loss = 0.01

    def __init__(self, seq_len: int) -> None:
        self.seq_len = self.steps = check_task_length(self.name, seq_len)

    def sample(self, batch_size, rng, dtype=np.float64):
        check_batch_size(batch_size)
        T, half = self.seq_len, self.seq_len // 2
        x = np.zeros((T, batch_size, 2), dtype)
        x[:, :, 0] = rng.uniform(0.0, 1.0, size=(T, batch_size))
        first = rng.integers(0, half, size=batch_size)
        second = rng.integers(half, T, size=batch_size)
        cols = np.arange(batch_size)
        x[first, cols, 1] = 1.0
        x[second, cols, 1] = 1.0
        y = x[first, cols, 0].astype(np.float64) + x[second, cols, 0]
        return Batch(x=x, y=y)

    def loss(self, ys, batch):
        B = ys.shape[1]
        err = ys[-1, :, 0].astype(np.float64) - batch.y      # only the last step is scored
        dys = np.zeros_like(ys)
        dys[-1, :, 0] = 2.0 * err / B
        return float(np.mean(err * err)), dys

    def metric(self, ys, batch):
        return float(np.mean(np.abs(ys[-1, :, 0] - batch.y) < self.tolerance))

    def solved(self, loss, metric):
        return loss <= self.solved_loss


class CopyTask(Task):
    """Arjovsky, Shah & Bengio 2016. Symbols: 0 blank, 1..8 data, 9 delimiter. Input: 10
    data symbols, T-1 blanks, the delimiter, 10 blanks (T + 20 steps, one-hot). Target:
    T + 10 blanks, then the 10 data symbols. Loss: mean cross-entropy over all steps; the
    share that needs memory is the recall's, the last 10 steps (`memory_dys`)."""

    name = "copy"
    input_size = 10
    output_size = 10
    metric_name = "recall accuracy"
    symbols = 10  # how many to copy
    data_symbols = 8
    blank, delimiter = 0, 9
    solved_accuracy = 0.99
    memory_loss = "the recall's loss"
    memory_steps = symbols

    def __init__(self, seq_len: int) -> None:
        self.seq_len = check_task_length(self.name, seq_len)
        self.steps = self.seq_len + 2 * self.symbols
        # Remembering nothing: blanks are certain, each recalled symbol is 1 of 8.
        self.baseline_loss = self.symbols * math.log(self.data_symbols) / self.steps

    def sample(self, batch_size, rng, dtype=np.float64):
        check_batch_size(batch_size)
        n, T = self.symbols, self.seq_len
        data = rng.integers(1, self.data_symbols + 1, size=(n, batch_size))
        inputs = np.full((self.steps, batch_size), self.blank)
        inputs[:n] = data
        inputs[n + T - 1] = self.delimiter
        targets = np.full((self.steps, batch_size), self.blank)
        targets[-n:] = data
        x = np.eye(self.input_size, dtype=dtype)[inputs]
        return Batch(x=x, y=targets)

    def log_softmax(self, ys: np.ndarray) -> np.ndarray:
        # log p = y - logsumexp(y), with the max taken out so exp never overflows.
        ys = ys.astype(np.float64)
        shifted = ys - ys.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

    def loss(self, ys, batch):
        steps, B, _ = ys.shape
        logp = self.log_softmax(ys)
        picked = np.take_along_axis(logp, batch.y[..., None], axis=-1)[..., 0]
        # dL/dy = (softmax - onehot) / (steps * B)
        dys = np.exp(logp)
        np.put_along_axis(dys, batch.y[..., None],
                          np.take_along_axis(dys, batch.y[..., None], axis=-1) - 1.0, axis=-1)
        return float(-picked.mean()), (dys / (steps * B)).astype(ys.dtype)

    def memory_dys(self, dys):
        # The recall: its last `symbols` steps. The blanks before it are the same in
        # every sequence; a model learns them without any memory.
        out = np.zeros_like(dys)
        out[-self.symbols:] = dys[-self.symbols:]
        return out

    def metric(self, ys, batch):
        n = self.symbols
        return float(np.mean(ys[-n:].argmax(axis=-1) == batch.y[-n:]))

    def solved(self, loss, metric):
        return metric >= self.solved_accuracy

