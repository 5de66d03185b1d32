"""The LSTM (docs/theory.md §6), gates stacked as PyTorch stacks them: i, f, g, o.

    [i, f, g, o] = [σ, σ, tanh, σ](W h_{t-1} + U x_t + b)
    c_t = f * c_{t-1} + i * g        (long-term memory)
    h_t = o * tanh(c_t)              (hidden state, short-term memory)

Backward, the path along c multiplies the gradient only by forget gates:
dL/dc_{t-1} gets dL/dc_t * f_t, so where f stays near 1 the memory's gradient stays level.

Layout: the parameters are stacked (4H, ...) as in PyTorch. The pass runs in the column
layout (model.py): a_t = [W | U | b] z_t is one GEMM per step straight into the step's
gate block, (4, H, B), and dL/dh_{t-1} = [W; V]^T e_t one GEMM back. Every per-step array
is time-major and contiguous per step ((T, 4, H, B) gates, (T, H, B) for c, dc, dh), so
each gate is one contiguous (H, B) block: numpy's element-wise loops run 2 to 4 times
slower on strided column slices. Only h (in z) and dL/da (in e, step_gradients.py) are
feature-major, because the readout and the weight gradients read them over many timesteps
at once.
"""

from __future__ import annotations

import numpy as np

from .init import stacked_orthogonal, xavier_uniform
from .jacobian import LSTMStep
from .model import RecurrentModel
from .step_gradients import StepGradients
from .trace import Trace

# The parameters keep PyTorch's gate order i, f, g, o; the pass works in the order o, i, f, g,
# where the three σ gates (o, i, f) are one contiguous block and so are the three gates
# dL/dc_t reaches (i, f, g): one call each for σ forward and for dc's share backward.
INTERNAL = [3, 0, 1, 2]   # block k of the pass is PyTorch's block INTERNAL[k]
PYTORCH = [1, 2, 3, 0]    # and back


def rows(a: np.ndarray) -> np.ndarray:
    """(..., H, B) seen as (..., B, H), the layout the trace promises (a view)."""
    return a.swapaxes(-1, -2)


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
        # σ(a) = (1 + tanh(a / 2)) / 2, so all four gates need ONE tanh per step if the
        # pre-activations of o, i, f come halved: the halving is folded into [W | U | b].
        half = self.dtype.type(0.5)
        Wz = self.stacked_weights().reshape(4, H, -1)[INTERNAL]
        Wz[:3] *= half
        Wz = Wz.reshape(4 * H, -1)
        z = self.column_inputs(x)                         # z[:, t] = [h_{t-1}; x_t; 1] (model.py)
        gates = np.empty((T, 4, H, B), self.dtype)        # o, i, f, g after squashing
        cs = np.empty((T + 1, H, B), self.dtype)          # cs[t+1] = c_t
        cs[0] = 0.0
        tanh_c = np.empty((T, H, B), self.dtype)
        ig = np.empty((H, B), self.dtype)
        for t in range(T):
            s = gates[t]
            np.matmul(Wz, z[:, t], out=s.reshape(4 * H, B))  # a_t = W h_{t-1} + U x_t + b
            np.tanh(s, out=s)                              # g = tanh(a_g), and for o, i, f
            sig = s[:3]                                    # σ(a) = (1 + tanh(a / 2)) / 2
            sig += 1.0
            sig *= half
            o, i, f, g = s
            c = np.multiply(f, cs[t], out=cs[t + 1])       # c_t = f * c_{t-1} + i * g
            c += np.multiply(i, g, out=ig)
            if c_shift is not None:
                c += c_shift[t].T
            np.tanh(c, out=tanh_c[t])
            h = np.multiply(o, tanh_c[t], out=z[:H, t + 1])  # h_t = o * tanh(c_t)
            if h_shift is not None:
                h += h_shift[t].T
        # The cache shows c_t as (T+1, B, H), as everywhere outside this file (a view).
        return self.column_readout(z), (x, z, rows(cs), tanh_c, gates)

    def backward(self, dys, cache):
        _, z, cs, tanh_c, gates = cache
        cs = rows(cs)                                     # (T+1, H, B) again
        p = self.params
        T, _, H, B = gates.shape
        W = p["W"].reshape(4, H, H)[INTERNAL].reshape(4 * H, H)
        WVT = np.concatenate([W, p["V"]]).T               # dL/dh_{t-1} = [W; V]^T e_t
        steps = StepGradients(dys, z, gates=4, hidden_size=H)  # e_t = [da_t; dy_{t-1}]
        dh = np.empty((T, H, B), self.dtype)              # total dL/dh_t
        dc = np.empty((T, H, B), self.dtype)              # total dL/dc_t
        dc_next = np.zeros((H, B), self.dtype)            # dL/dc_t via c_{t+1}: dc_{t+1} * f_{t+1}
        slope = np.empty((4, H, B), self.dtype)           # the step's factors, see below
        dh_c = np.empty((H, B), self.dtype)               # o tanh'(c_t): what dh_t gives dc_t
        # BPTT at step t, from the total dL/dh_t and dL/dc_{t+1} (σ' = σ - σ², tanh' = 1 - tanh²):
        #     dc_t = dh_t * o * tanh'(c_t) + dc_{t+1} * f_{t+1}
        #     da_o = dh_t * tanh(c_t) σ'(o)       da_i = dc_t * g σ'(i)
        #     da_f = dc_t * c_{t-1} σ'(f)          da_g = dc_t * i tanh'(g)
        #     dh_{t-1} = W^T da_t + V^T dy_{t-1}
        # Only dc, da and dh are on the recurrent path: the factors they are multiplied by
        # (tanh(c_t) σ'(o), g σ'(i), ...) are worked out first, in place, in `slope` and `dh_c`.
        for t0, t1 in steps.chunks():
            for t in reversed(range(t0, t1)):
                s = gates[t]
                o, i, f, g = s
                np.multiply(s, s, out=slope)                 # [σ'(o), σ'(i), σ'(f), tanh'(g)]:
                np.subtract(s[:3], slope[:3], out=slope[:3])  #   σ' = σ - σ²
                np.subtract(1.0, slope[3], out=slope[3])     #   tanh' = 1 - g²
                slope[0] *= tanh_c[t]                        # then times what they meet:
                slope[1] *= g                                #   [tanh(c_t) σ'(o), g σ'(i),
                slope[2] *= cs[t]                            #    c_{t-1} σ'(f), i tanh'(g)]
                slope[3] *= i
                np.multiply(tanh_c[t], tanh_c[t], out=dh_c)   # o tanh'(c_t)
                np.subtract(1.0, dh_c, out=dh_c)
                dh_c *= o
                dh_t, dc_t = dh[t], dc[t]
                np.matmul(WVT, steps.e(t + 1), out=dh_t)     # dh_t = W^T da_{t+1} + V^T dy_t
                np.multiply(dh_t, dh_c, out=dc_t)            # dc_t = dh_t * o tanh'(c_t)
                dc_t += dc_next                              #        + dc_{t+1} * f_{t+1}
                da = steps.da(t).reshape(4, H, B)            # da_t, gate by gate:
                np.multiply(dh_t, slope[0], out=da[0])       # da_o = dh_t * tanh(c_t) σ'(o)
                np.multiply(dc_t, slope[1:], out=da[1:])     # [da_i, da_f, da_g] = dc_t * [...]
                np.multiply(dc_t, f, out=dc_next)
        grads = steps.grads(self.input_size)
        for name in ("W", "U", "b"):                      # rows back in PyTorch's order
            grads[name] = grads[name].reshape(4, H, -1)[PYTORCH].reshape(grads[name].shape)
        return grads, Trace(dh=rows(dh), h=z[:H, 1:].transpose(1, 2, 0), c=rows(cs[1:]),
                            dc=rows(dc), f=rows(gates[:, 2]),
                            step_back=LSTMStep(p["W"], gates, cs[1:]))
