"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from rnn_tui.engine.rnn import SimpleRNN
from rnn_tui.engine.vocabulary import CELLS, CellKind


class LinearRNN(SimpleRNN):
    """A toy sixth cell kind: the simple RNN with σ the identity, h_t = W h_{t-1} + U x_t + b.
    Registered at test time, as docs/extending.md says a new cell kind is."""

    def sigma(self, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        out[...] = a
        return out

    def sigma_prime(self, s: np.ndarray) -> np.ndarray:
        return np.ones_like(s)


@pytest.fixture
def toy_cell(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Registers `LinearRNN` for one test (the registry line of docs/extending.md)."""
    monkeypatch.setitem(CELLS, "linear", CellKind(LinearRNN, simple=True))
    yield "linear"
