"""What every recurrent model shares: parameters by name and the readout y_t = V h_t + c."""

from __future__ import annotations

from typing import Any

import numpy as np

from .init import xavier_uniform
from .trace import Trace

Grads = dict[str, np.ndarray]


def flat_matmul(a: np.ndarray, m: np.ndarray) -> np.ndarray:
    """(T, B, K) @ (K, N) -> (T, B, N) as ONE 2-D GEMM: a 3-D matmul would loop over T."""
    T, B, K = a.shape
    if K == 1:  # an outer product: a broadcast multiply is 2-3x faster than a K = 1 GEMM
        return np.multiply(a, m[0])
    return (a.reshape(T * B, K) @ m).reshape(T, B, m.shape[1])


def with_ones(x: np.ndarray) -> np.ndarray:
    """(T, B, I) -> (T * B, I + 1): the input with a constant 1 appended, so that U x + b
    is one GEMM with [U | b] and dL/d[U | b] one GEMM with it (b is U's weight on a 1)."""
    T, B, I = x.shape
    out = np.ones((T * B, I + 1), x.dtype)
    out[:, :I] = x.reshape(T * B, I)
    return out


class RecurrentModel:
    """Base of every cell (registered by name in engine/vocabulary.py). Subclasses add
    their recurrent parameters (W, U, b, ...) and implement `forward(x) -> (ys, cache)`
    and `backward(dys, cache) -> (grads, trace)`.

    Arrays are time-major: `x` is (T, B, input_size), `ys` (T, B, output_size).
    `forward` takes optional `h_shift` (and for the LSTM `c_shift`), (T, B, H) arrays
    added to h_t (c_t) right after it is computed: the gradient of the loss with respect
    to them is the total dL/dh_t (dL/dc_t), which is how tests check `trace.dh_norms`.
    """


    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 rng: np.random.Generator, dtype: Any = np.float32) -> None:
        for name, size in (("input_size", input_size), ("hidden_size", hidden_size),
                           ("output_size", output_size)):
            if not isinstance(size, int | np.integer) or size < 1:
                raise ValueError(f"{name} must be a positive integer, got {size!r}")
        self.input_size, self.hidden_size, self.output_size = input_size, hidden_size, output_size
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self.params: dict[str, np.ndarray] = {}
        self.params |= self.init_recurrent(rng)
        self.params["V"] = xavier_uniform(rng, output_size, hidden_size)
        self.params["c"] = np.zeros(output_size)
        self.params = {k: v.astype(self.dtype) for k, v in self.params.items()}

    def init_recurrent(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def forward(self, x: np.ndarray, h_shift: np.ndarray | None = None,
                c_shift: np.ndarray | None = None) -> tuple[np.ndarray, Any]:
        raise NotImplementedError

    def backward(self, dys: np.ndarray, cache: Any) -> tuple[Grads, Trace]:
        raise NotImplementedError

    # y_t = V h_t + c, for every t in one matmul.
    def readout(self, hs: np.ndarray) -> np.ndarray:
        return flat_matmul(hs, self.params["V"].T) + self.params["c"]

    # U x_t + b, for every t in one matmul (the input needs no recurrence).
    def input_projection(self, x: np.ndarray) -> np.ndarray:
        T, B, _ = x.shape
        Ub = np.concatenate([self.params["U"], self.params["b"][:, None]], axis=1)
        return (with_ones(x) @ Ub.T).reshape(T, B, -1)

    def recurrent_matrix_t(self) -> np.ndarray:
        """W^T, laid out contiguously: the per-step h @ W^T runs ~30 % faster so."""
        return np.ascontiguousarray(self.params["W"].T)

    # dL/dV = Σ_t dy_t ⊗ h_t,  dL/dc = Σ_t dy_t,  and the readout's share of dL/dh_t = dy_t V
    # (a new array: the caller may add the recurrent share into it in place).
    def readout_backward(self, dys: np.ndarray, hs: np.ndarray) -> tuple[Grads, np.ndarray]:
        O, H = self.output_size, self.hidden_size
        grads = {"V": dys.reshape(-1, O).T @ hs.reshape(-1, H), "c": dys.sum(axis=(0, 1))}
        return grads, flat_matmul(dys, self.params["V"])

    # dL/dW = Σ_t da_t ⊗ h_{t-1},  dL/dU = Σ_t da_t ⊗ x_t,  dL/db = Σ_t da_t: one GEMM each
    # over all timesteps at once. `da_rec` is what multiplies W h_{t-1}, `da_in` what
    # multiplies U x_t + b (the same array except for the GRU's n gate).
    def weight_grads(self, da_rec: np.ndarray, da_in: np.ndarray, hs: np.ndarray,
                     x: np.ndarray) -> Grads:
        G, H, I = da_rec.shape[-1], self.hidden_size, self.input_size
        rec, inp = da_rec.reshape(-1, G), da_in.reshape(-1, G)
        dUb = inp.T @ with_ones(x)                   # [dL/dU | dL/db] in one pass over da
        return {"W": rec.T @ hs[:-1].reshape(-1, H), "U": dUb[:, :I], "b": dUb[:, I]}

    # The column layout (the simple RNN and the LSTM): vectors are columns, as in the
    # formulas, so sequence b is column b of every per-step matrix, and a step's GEMM is
    # a_t = W h_{t-1} with h_{t-1} (H, B). Input and bias ride along with the state:
    #     a_t = W h_{t-1} + U x_t + b = [W | U | b] z_t,   z_t = [h_{t-1}; x_t; 1]  (K, B)
    # so a step needs ONE GEMM and no add, and backward, with e_t = [da_t; dy_{t-1}],
    #     dL/dh_{t-1} = W^T da_t + V^T dy_{t-1} = [W; V]^T e_t
    # is one GEMM too: the total gradient at h_{t-1}, readout share included.
    # z is feature-major, (K, T+1, B), so that z[:, t] is z_t and z[:, :T] is every z_t
    # side by side as one (K, T*B) matrix (a view, no copy): the readout and the weight
    # gradients are one GEMM each over many timesteps. The e_t: step_gradients.py.
    def column_inputs(self, x: np.ndarray) -> np.ndarray:
        """z (K, T+1, B), K = H + I + 1: z[:, t] = [h_{t-1}; x_t; 1] with h_{-1} = 0. The
        forward pass writes h_t into z[:H, t+1]; z[H:, T] is never read (no step T)."""
        T, B, I = x.shape
        H = self.hidden_size
        z = np.empty((H + I + 1, T + 1, B), self.dtype)
        z[:H, 0] = 0.0
        z[H:H + I, :T] = x.transpose(2, 0, 1)
        z[H + I] = 1.0
        z[H:H + I, T] = 0.0
        return z

    def stacked_weights(self) -> np.ndarray:
        """[W | U | b]: (G, K), what multiplies z_t."""
        p = self.params
        return np.concatenate([p["W"], p["U"], p["b"][:, None]], axis=1)

    def column_readout(self, z: np.ndarray) -> np.ndarray:
        """y_t = V h_t + c for every t, one GEMM over the (H, T*B) view z[:H, 1:]: (T, B, O)."""
        H, (_, T1, B) = self.hidden_size, z.shape
        ys = self.params["V"] @ z[:H, 1:].reshape(H, -1) + self.params["c"][:, None]
        return np.ascontiguousarray(ys.reshape(-1, T1 - 1, B).transpose(1, 2, 0))

    def check_input(self, x: np.ndarray) -> None:
        if x.ndim != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must be (T, B, {self.input_size}), got shape {x.shape}")
