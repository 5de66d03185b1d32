"""The story the dashboard tells, measured on real training (fixed seeds, a few seconds).

The tanh RNN learns to forget: the gradient that reaches the first step collapses by
many orders of magnitude while the loss sits on the baseline. The LSTM, once it solves
the task, carries the gradient along its cell path undiminished."""

from __future__ import annotations

import math

import numpy as np

from rnn_tui.engine import Trainer, build_model, build_task


def trainer(kind: str, seq_len: int, hidden: int, seed: int = 0) -> Trainer:
    task = build_task("adding", seq_len)
    model = build_model(kind, task.input_size, hidden, task.output_size,
                        rng=np.random.default_rng(seed), dtype=np.float64)
    return Trainer(model, task, optimizer="adam", lr=1e-2, clip=1.0, batch_size=32, seed=seed)


def ratio(profile: np.ndarray) -> float:
    return profile[0] / profile[-1]


def test_tanh_rnn_learns_to_forget() -> None:
    t = trainer("rnn", seq_len=100, hidden=32)
    at_init = ratio(t.step().trace.dh_norms)
    losses = [t.step().loss for _ in range(299)]
    trace = t.step().trace
    after = ratio(trace.dh_norms)
    assert after < 1e-8 and after < at_init * 1e-4
    assert trace.scalars["horizon_h"] < 30
    assert np.mean(losses[-50:]) > 0.1                      # still on the baseline (1/6)


def test_solved_lstm_has_a_level_cell_path() -> None:
    t = trainer("lstm", seq_len=30, hidden=32)
    losses: list[float] = []
    for _ in range(800):
        result = t.step()
        losses.append(result.loss)
        if len(losses) >= 50 and np.mean(losses[-50:]) < 0.01:
            break
    assert np.mean(losses[-50:]) < 0.01, "the LSTM should solve adding T=30 in 800 steps"
    assert ratio(result.trace.dc_norms) > 0.1
    assert math.isinf(result.trace.scalars["horizon_c"])     # level: "> T"
