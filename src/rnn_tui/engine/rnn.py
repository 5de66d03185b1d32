"""The simple RNN (docs/theory.md §1): a_t = W h_{t-1} + U x_t + b,  h_t = σ(a_t).

Backward, each step multiplies the gradient by σ'(a_t) and then by W (§3): the product
of those factors over many steps is what vanishes (tanh) or may explode (ReLU with
‖W‖ > 1), §4.
"""

from __future__ import annotations

import numpy as np

from .init import orthogonal, xavier_uniform
from .model import RecurrentModel
from .trace import Trace


class SimpleRNN(RecurrentModel):
    """tanh RNN. W orthogonal (gradient neither shrinks nor grows through W at init),
    U and V Xavier-uniform, b = 0."""

    def init_recurrent(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        H, I = self.hidden_size, self.input_size
        return {"W": orthogonal(rng, H), "U": xavier_uniform(rng, H, I), "b": np.zeros(H)}

    def sigma(self, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        return np.tanh(a, out=out)

    def sigma_prime(self, s: np.ndarray) -> np.ndarray:
        """σ'(a) written in terms of s = σ(a): tanh' = 1 - s²."""
        return 1.0 - s * s

    def forward(self, x, h_shift=None, c_shift=None):
        self.check_input(x)
        T, B, _ = x.shape
        WT = self.recurrent_matrix_t()
        ax = self.input_projection(x)              # U x_t + b for every t, one matmul
        hs = np.zeros((T + 1, B, self.hidden_size), self.dtype)  # hs[t+1] = h_t, hs[0] = h_0 = 0
        s = hs[1:] if h_shift is None else np.empty_like(hs[1:])  # σ(a_t) before any shift
        for t in range(T):
            a = np.matmul(hs[t], WT)               # a_t = W h_{t-1} + U x_t + b
            a += ax[t]
            self.sigma(a, out=s[t])                # h_t = σ(a_t)
            if h_shift is not None:
                hs[t + 1] = s[t] + h_shift[t]
        return self.readout(hs[1:]), (x, hs, s)

    def backward(self, dys, cache):
        x, hs, s = cache
        W = self.params["W"]
        T, B, H = s.shape
        grads, dh = self.readout_backward(dys, hs[1:])   # dh_t = dy_t V so far
        dsigma = self.sigma_prime(s)               # σ'(a_t) for every t at once
        da = np.empty_like(s)                      # dL/da_t
        dh_next = np.zeros((B, H), self.dtype)     # dL/dh_t through h_{t+1}
        for t in reversed(range(T)):
            dh[t] += dh_next                                # dL/dh_t = dy_t V + dL/da_{t+1} W
            np.multiply(dh[t], dsigma[t], out=da[t])        # dL/da_t = dL/dh_t * σ'(a_t)
            dh_next = np.matmul(da[t], W, out=dh_next)
        grads |= self.weight_grads(da, da, hs, x)
        return grads, Trace(dh=dh, h=hs[1:], dsigma=dsigma, W=W)


class ReLURNN(SimpleRNN):
    """ReLU RNN: σ' is 1 where active, so the bound on the gradient grows like ‖W‖^t
    (docs/theory.md §4)."""

    def sigma(self, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        return np.maximum(a, 0, out=out)

    def sigma_prime(self, s: np.ndarray) -> np.ndarray:
        return (s > 0).astype(s.dtype)


class IRNN(ReLURNN):
    """Le, Jaitly & Hinton 2015: ReLU with W = I, U ~ N(0, 0.001²), b = 0, so at init the
    state is carried unchanged and the gradient flows back undamped."""

    def init_recurrent(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        H, I = self.hidden_size, self.input_size
        return {"W": np.eye(H), "U": rng.normal(0.0, 1e-3, size=(H, I)), "b": np.zeros(H)}
