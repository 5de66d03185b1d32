"""The simple RNN (docs/theory.md §1): a_t = W h_{t-1} + U x_t + b,  h_t = σ(a_t).

Backward, each step multiplies the gradient by σ'(a_t) and then by W (§3): the product
of those factors over many steps is what vanishes (tanh) or may explode (ReLU with
‖W‖ > 1), §4.
"""

from __future__ import annotations

import numpy as np

from .init import orthogonal, xavier_uniform
from .model import RecurrentModel
from .step_gradients import StepGradients
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
        """σ'(a) written in terms of s = σ(a): tanh' = 1 - s² (one new array, not three)."""
        slope = np.multiply(s, s)
        return np.subtract(1.0, slope, out=slope)

    def forward(self, x, h_shift=None, c_shift=None):
        self.check_input(x)
        T, B, _ = x.shape
        H = self.hidden_size
        Wz = self.stacked_weights()                # [W | U | b]
        z = self.column_inputs(x)                  # z[:, t] = [h_{t-1}; x_t; 1] (model.py)
        # σ(a_t) before any shift, (H, T, B) like h in z: h itself when nothing is shifted
        s = z[:H, 1:] if h_shift is None else np.empty((H, T, B), self.dtype)
        a = np.empty((H, B), self.dtype)
        for t in range(T):
            np.matmul(Wz, z[:, t], out=a)          # a_t = W h_{t-1} + U x_t + b
            self.sigma(a, out=s[:, t])             # h_t = σ(a_t)
            if h_shift is not None:
                np.add(s[:, t], h_shift[t].T, out=z[:H, t + 1])
        return self.column_readout(z), (x, z, s)

    def backward(self, dys, cache):
        _, z, s = cache
        W, (H, T, B) = self.params["W"], s.shape
        dsigma = self.sigma_prime(s)               # σ'(a_t) for every t at once, (H, T, B)
        WVT = np.concatenate([W, self.params["V"]]).T  # dL/dh_{t-1} = [W; V]^T e_t (model.py)
        steps = StepGradients(dys, z, gates=1, hidden_size=H)  # e_t = [da_t; dy_{t-1}]
        dh = np.empty((T, H, B), self.dtype)       # total dL/dh_t
        for t0, t1 in steps.chunks():
            for t in reversed(range(t0, t1)):
                np.matmul(WVT, steps.e(t + 1), out=dh[t])          # dh_t = W^T da_{t+1} + V^T dy_t
                np.multiply(dh[t], dsigma[:, t], out=steps.da(t))  # da_t = dh_t * σ'(a_t)
        grads = steps.grads(self.input_size)
        return grads, Trace(dh=dh.swapaxes(1, 2), h=z[:H, 1:].transpose(1, 2, 0),
                            dsigma=dsigma.transpose(1, 2, 0), W=W)


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
