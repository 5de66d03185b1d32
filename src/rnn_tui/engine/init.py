"""Weight initialisers. Each takes the rng explicitly so a seed fixes every weight."""

from __future__ import annotations

import numpy as np


def xavier_uniform(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Glorot & Bengio 2010: U(-a, a), a = sqrt(6 / (fan_in + fan_out))."""
    a = np.sqrt(6.0 / (rows + cols))
    return rng.uniform(-a, a, size=(rows, cols))


def orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random orthogonal (n, n) matrix (Saxe et al. 2014): all singular values 1, so
    at init W neither shrinks nor grows the gradient that crosses it."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))  # sign fix makes the distribution uniform (Haar)


def stacked_orthogonal(rng: np.random.Generator, gates: int, n: int) -> np.ndarray:
    """(gates*n, n): one orthogonal block per gate, stacked as PyTorch stacks them."""
    return np.concatenate([orthogonal(rng, n) for _ in range(gates)], axis=0)
