"""e_t = [dL/da_t; dy_{t-1}], what BPTT in the column layout (model.py) hands from one step
to the one before, and Σ_t da_t z_t^T, the weight gradient it makes.

    dL/dh_{t-1} = [W; V]^T e_t          dL/d[W | U | b] = Σ_t da_t z_t^T

The e_t are kept for CHUNK steps at a time, feature-major, (G+O, CHUNK+1, B): each chunk's
share of the sum is one GEMM over its steps side by side (a view), and the buffer (1.4 MB
for the LSTM at H=128) stays in the core's 4 MB L2. Kept for all T steps instead (13 MB),
every step's writes of da_t land on 4H rows of fresh cache lines one page apart, which
cost more than the arithmetic: with chunks of 10 steps a whole LSTM step runs 1.07-1.09x
faster than with one (G+O, T+1, B) array, the RNN's 1.04-1.05x (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

CHUNK = 10  # timesteps per chunk: GEMMs over CHUNK * B = 640 columns are still efficient


class StepGradients:
    """Walk the steps backward chunk by chunk (`chunks`); within a chunk, `e(t + 1)` is what
    the GEMM for dL/dh_t reads and `da(t)` where dL/da_t goes. `grads` at the end."""

    def __init__(self, dys: np.ndarray, z: np.ndarray, gates: int, hidden_size: int) -> None:
        T, B, O = dys.shape
        self.dys, self.z, self.H = dys, z, hidden_size
        self.G = gates * hidden_size
        self.buffer = np.empty((self.G + O, CHUNK + 1, B), z.dtype)  # e_t at t - t0
        self.dWUb = np.zeros((self.G, z.shape[0]), z.dtype)  # Σ_t da_t z_t^T so far
        self.t0 = T

    def chunks(self) -> Iterator[tuple[int, int]]:
        """(t0, t1) from the last steps to the first; the caller computes da_t for
        t1 > t >= t0, then this chunk's share of the weight gradient is added."""
        T, G, e = self.dys.shape[0], self.G, self.buffer
        for t1 in range(T, 0, -CHUNK):
            t0 = max(t1 - CHUNK, 0)
            n = t1 - t0
            # e_{t1}: da_{t1} is the first da of the chunk just done (0 for t1 = T: no step T)
            e[:G, n] = e[:G, 0] if t1 < T else 0.0
            e[G:, 1:n + 1] = self.dys[t0:t1].transpose(2, 0, 1)   # dy_{t-1} beside da_t
            self.t0 = t0
            yield t0, t1
            K = self.z.shape[0]
            self.dWUb += e[:G, :n].reshape(G, -1) @ self.z[:, t0:t1].reshape(K, -1).T

    def e(self, t: int) -> np.ndarray:
        """e_t (G+O, B), t0 <= t <= t1 of the current chunk."""
        return self.buffer[:, t - self.t0]

    def da(self, t: int) -> np.ndarray:
        """Where dL/da_t goes, (G, B)."""
        return self.buffer[:self.G, t - self.t0]

    def grads(self, input_size: int) -> dict[str, np.ndarray]:
        """dL/dW, dL/dU, dL/db from Σ_t da_t z_t^T; dL/dV = Σ_t dy_t h_t^T, dL/dc = Σ_t dy_t."""
        H, I, O, dys = self.H, input_size, self.dys.shape[2], self.dys
        dV = dys.reshape(-1, O).T @ self.z[:H, 1:].reshape(H, -1).T
        return {"W": self.dWUb[:, :H], "U": self.dWUb[:, H:H + I], "b": self.dWUb[:, H + I],
                "V": dV, "c": dys.sum(axis=(0, 1))}
