"""The GRU, gates stacked as in torch.nn.GRU: r, z, n.

    r = σ(U_r x_t + W_r h_{t-1} + b_r)
    z = σ(U_z x_t + W_z h_{t-1} + b_z)
    n = tanh(U_n x_t + b_n + r * (W_n h_{t-1} + b_hn))
    h_t = (1 - z) * n + z * h_{t-1}

z is the update gate: where z stays near 1 the state (and its gradient) is carried over
unchanged, the GRU's counterpart of the LSTM's forget gate.

Biases: for r and z only the sum matters, so b = bias_ih + bias_hh there. The n gate's
hidden bias sits inside r * (...), so it cannot be folded into b: it is kept apart as
`b_hn` (= PyTorch's bias_hh_l0[2H:]), and b's n block is bias_ih_l0[2H:] alone.
"""

from __future__ import annotations

import numpy as np

from .gates import sigmoid
from .init import stacked_orthogonal, xavier_uniform
from .jacobian import GRUStep
from .model import RecurrentModel
from .trace import Trace


class GRU(RecurrentModel):
    def init_recurrent(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        H, I = self.hidden_size, self.input_size
        return {"W": stacked_orthogonal(rng, 3, H), "U": xavier_uniform(rng, 3 * H, I),
                "b": np.zeros(3 * H), "b_hn": np.zeros(H)}

    def forward(self, x, h_shift=None, c_shift=None):
        self.check_input(x)
        b_hn = self.params["b_hn"]
        T, B, _ = x.shape
        H = self.hidden_size
        WT = self.recurrent_matrix_t()
        ax = self.input_projection(x)                     # U x_t + b for every t, one matmul
        rz = np.empty((T, B, 2 * H), self.dtype)         # r, z
        n = np.empty((T, B, H), self.dtype)
        wn = np.empty((T, B, H), self.dtype)             # W_n h_{t-1} + b_hn (r multiplies it)
        hs = np.zeros((T + 1, B, H), self.dtype)
        for t in range(T):
            wh = np.matmul(hs[t], WT)                     # W h_{t-1}, all three blocks
            np.add(wh[:, 2 * H:], b_hn, out=wn[t])
            sigmoid(np.add(ax[t, :, :2 * H], wh[:, :2 * H]), out=rz[t])
            r, z = rz[t, :, :H], rz[t, :, H:]
            np.multiply(r, wn[t], out=n[t])
            n[t] += ax[t, :, 2 * H:]
            np.tanh(n[t], out=n[t])
            h = hs[t + 1]                                  # h_t = n + z * (h_{t-1} - n)
            np.subtract(hs[t], n[t], out=h)
            h *= z
            h += n[t]
            if h_shift is not None:
                h += h_shift[t]
        return self.readout(hs[1:]), (x, hs, rz, n, wn)

    def backward(self, dys, cache):
        x, hs, rz, n, wn = cache
        W = self.params["W"]
        T, B, H = n.shape
        grads, dh_from_y = self.readout_backward(dys, hs[1:])
        r, z = rz[..., :H], rz[..., H:]
        drz_da = rz * (1.0 - rz)                          # σ' for r and z
        dn_da = 1.0 - n * n                               # tanh' for n
        dh = np.empty((T, B, H), self.dtype)
        dx_gates = np.empty((T, B, 3 * H), self.dtype)   # dL/d(U x + b) per gate
        dw_gates = np.empty((T, B, 3 * H), self.dtype)   # dL/d(W h_{t-1}) per gate
        dh_next = np.zeros((B, H), self.dtype)
        for t in reversed(range(T)):
            np.add(dh_from_y[t], dh_next, out=dh[t])
            dx, dw = dx_gates[t], dw_gates[t]
            da_n = dh[t] * (1.0 - z[t]) * dn_da[t]                           # through n
            np.multiply(dh[t], hs[t] - n[t], out=dx[:, H:2 * H])            # dL/dz
            np.multiply(da_n, wn[t], out=dx[:, :H])                          # dL/dr
            dx[:, :2 * H] *= drz_da[t]
            dx[:, 2 * H:] = da_n
            dw[:, :2 * H] = dx[:, :2 * H]
            np.multiply(da_n, r[t], out=dw[:, 2 * H:])                       # r * (W_n h + b_hn)
            dh_next = np.matmul(dw, W)
            dh_next += dh[t] * z[t]                                          # the z * h_{t-1} path
        grads |= self.weight_grads(dw_gates, dx_gates, hs, x)
        grads["b_hn"] = dw_gates[..., 2 * H:].sum(axis=(0, 1))
        return grads, Trace(dh=dh, h=hs[1:], z=z, step_back=GRUStep(W, hs[1:], rz, n, wn))
