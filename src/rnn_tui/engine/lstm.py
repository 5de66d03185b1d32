"""The LSTM (docs/theory.md §6), gates stacked as PyTorch stacks them: i, f, g, o.

    [i, f, g, o] = [σ, σ, tanh, σ](W h_{t-1} + U x_t + b)
    c_t = f * c_{t-1} + i * g        (long-term memory)
    h_t = o * tanh(c_t)              (hidden state, short-term memory)

Backward, the path along c multiplies the gradient only by forget gates:
dL/dc_{t-1} gets dL/dc_t * f_t, so where f stays near 1 the memory's gradient stays level.
"""

from __future__ import annotations

import numpy as np

from .gates import sigmoid
from .init import stacked_orthogonal, xavier_uniform
from .model import RecurrentModel
from .trace import Trace


class LSTM(RecurrentModel):
    """W (4H, H) and U (4H, I) map one-to-one onto torch.nn.LSTM's weight_hh_l0 and
    weight_ih_l0, b onto bias_ih_l0 + bias_hh_l0. W orthogonal per gate, U Xavier,
    forget-gate bias 1 (Gers et al. 2000; Jozefowicz et al. 2015): f starts at σ(1) ≈ 0.73."""

    def init_recurrent(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        H, I = self.hidden_size, self.input_size
        b = np.zeros(4 * H)
        b[H:2 * H] = 1.0
        return {"W": stacked_orthogonal(rng, 4, H), "U": xavier_uniform(rng, 4 * H, I), "b": b}

    def forward(self, x, h_shift=None, c_shift=None):
        self.check_input(x)
        T, B, _ = x.shape
        H = self.hidden_size
        WT = self.recurrent_matrix_t()
        ax = self.input_projection(x)                      # U x_t + b for every t, one matmul
        gates = np.empty((T, B, 4 * H), self.dtype)       # [i, f, g, o] after squashing
        hs = np.zeros((T + 1, B, H), self.dtype)          # hs[t+1] = h_t
        cs = np.zeros((T + 1, B, H), self.dtype)          # cs[t+1] = c_t
        tanh_c = np.empty((T, B, H), self.dtype)
        for t in range(T):
            a = np.matmul(hs[t], WT)                       # a_t = W h_{t-1} + U x_t + b
            a += ax[t]
            g_t = gates[t]
            sigmoid(a, out=g_t)                            # i, f, o (g's block redone below)
            np.tanh(a[:, 2 * H:3 * H], out=g_t[:, 2 * H:3 * H])
            i, f, g, o = g_t[:, :H], g_t[:, H:2 * H], g_t[:, 2 * H:3 * H], g_t[:, 3 * H:]
            c = np.multiply(f, cs[t], out=cs[t + 1])       # c_t = f * c_{t-1} + i * g
            c += i * g
            if c_shift is not None:
                c += c_shift[t]
            np.tanh(c, out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=hs[t + 1])       # h_t = o * tanh(c_t)
            if h_shift is not None:
                hs[t + 1] += h_shift[t]
        return self.readout(hs[1:]), (x, hs, cs, tanh_c, gates)

    def backward(self, dys, cache):
        x, hs, cs, tanh_c, gates = cache
        W = self.params["W"]
        T, B, H = tanh_c.shape
        grads, dh_from_y = self.readout_backward(dys, hs[1:])
        i, f, g, o = (gates[..., k * H:(k + 1) * H] for k in range(4))
        dtanh_c = 1.0 - tanh_c * tanh_c                  # tanh'(c_t), all t at once
        dgate = np.empty((B, 4 * H), self.dtype)        # the gates' slopes at step t
        dh = np.empty((T, B, H), self.dtype)            # total dL/dh_t
        dc = np.empty((T, B, H), self.dtype)            # total dL/dc_t
        da = np.empty((T, B, 4 * H), self.dtype)        # dL/da_t, the pre-activations
        dh_next = np.zeros((B, H), self.dtype)
        dc_next = np.zeros((B, H), self.dtype)          # dL/dc_t via c_{t+1}: dc_{t+1} * f_{t+1}
        for t in reversed(range(T)):
            np.add(dh_from_y[t], dh_next, out=dh[t])
            # dL/dc_t = dL/dh_t * o_t * tanh'(c_t) + dL/dc_{t+1} * f_{t+1}
            np.multiply(dh[t], o[t], out=dc[t])
            dc[t] *= dtanh_c[t]
            dc[t] += dc_next
            d = da[t]
            np.multiply(dc[t], g[t], out=d[:, :H])              # dL/di = dc * g
            np.multiply(dc[t], cs[t], out=d[:, H:2 * H])        # dL/df = dc * c_{t-1}
            np.multiply(dc[t], i[t], out=d[:, 2 * H:3 * H])     # dL/dg = dc * i
            np.multiply(dh[t], tanh_c[t], out=d[:, 3 * H:])     # dL/do = dh * tanh(c_t)
            np.subtract(1.0, gates[t], out=dgate)               # σ' = σ(1 - σ) for i, f, o
            dgate *= gates[t]
            np.multiply(g[t], g[t], out=dgate[:, 2 * H:3 * H])  # tanh' = 1 - g² for g
            np.subtract(1.0, dgate[:, 2 * H:3 * H], out=dgate[:, 2 * H:3 * H])
            d *= dgate                                          # through σ' / tanh'
            dc_next = dc[t] * f[t]
            dh_next = np.matmul(d, W)
        grads |= self.weight_grads(da, da, hs, x)
        return grads, Trace(dh=dh, h=hs[1:], c=cs[1:], dc=dc, f=f)
