"""Cells by name."""

from __future__ import annotations

from typing import Any

import numpy as np

from .gru import GRU
from .lstm import LSTM
from .model import RecurrentModel
from .rnn import IRNN, ReLURNN, SimpleRNN

CELLS: dict[str, type[RecurrentModel]] = {
    cls.kind: cls for cls in (SimpleRNN, ReLURNN, IRNN, LSTM, GRU)
}
CELL_KINDS = tuple(CELLS)


def build_model(kind: str, input_size: int, hidden_size: int, output_size: int,
                rng: np.random.Generator | None = None, dtype: Any = np.float32,
                recurrent_scale: float = 1.0) -> RecurrentModel:
    """A cell by name: rnn (tanh), relu, irnn, lstm, gru.

    `recurrent_scale` multiplies W after its init: above 1 a ReLU RNN's gradient grows
    like ‖W‖^t (the note's explosion), below 1 it decays."""
    if kind not in CELLS:
        raise ValueError(f"unknown cell {kind!r}; choose one of: {', '.join(CELLS)}")
    if not (recurrent_scale > 0 and np.isfinite(recurrent_scale)):
        raise ValueError(f"recurrent_scale must be a positive number, got {recurrent_scale!r}")
    model = CELLS[kind](input_size, hidden_size, output_size,
                        rng if rng is not None else np.random.default_rng(), dtype)
    if recurrent_scale != 1.0:
        model.params["W"] = model.params["W"] * model.dtype.type(recurrent_scale)
    return model
