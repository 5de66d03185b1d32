"""Our cells against PyTorch's, weight for weight (skipped where torch is not installed).

This is what makes `W` = weight_hh_l0, `U` = weight_ih_l0, `b` = bias_ih + bias_hh (and the
GRU's separate `b_hn`) a tested promise rather than a comment."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_tui.engine import build_model

torch = pytest.importorskip("torch")


def torch_layer(kind: str, model, input_size: int, hidden: int):
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    layer = cls(input_size, hidden, dtype=torch.float64)
    p = model.params
    with torch.no_grad():
        layer.weight_hh_l0.copy_(torch.from_numpy(p["W"]))
        layer.weight_ih_l0.copy_(torch.from_numpy(p["U"]))
        layer.bias_ih_l0.copy_(torch.from_numpy(p["b"]))
        hidden_bias = np.zeros_like(p["b"])
        if kind == "gru":
            hidden_bias[2 * hidden:] = p["b_hn"]
        layer.bias_hh_l0.copy_(torch.from_numpy(hidden_bias))
    return layer


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_forward_and_gradients_match_pytorch(kind: str) -> None:
    rng = np.random.default_rng(0)
    I, H, O, T, B = 3, 5, 2, 7, 4
    model = build_model(kind, I, H, O, rng=rng, dtype=np.float64)
    for name, value in model.params.items():
        model.params[name] = value + 0.2 * rng.standard_normal(value.shape)
    x = rng.standard_normal((T, B, I))
    ys, cache = model.forward(x)
    dys = rng.standard_normal(ys.shape)
    grads, _ = model.backward(dys, cache)

    layer = torch_layer(kind, model, I, H)
    xt = torch.from_numpy(x)
    hs, _ = layer(xt)
    V, c = (torch.from_numpy(model.params[k]).requires_grad_() for k in ("V", "c"))
    yt = hs @ V.T + c
    (yt * torch.from_numpy(dys)).sum().backward()

    np.testing.assert_allclose(ys, yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["W"], layer.weight_hh_l0.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["U"], layer.weight_ih_l0.grad.numpy(), rtol=1e-9, atol=1e-12)
    b_grad = layer.bias_ih_l0.grad.numpy()
    np.testing.assert_allclose(grads["b"], b_grad, rtol=1e-9, atol=1e-12)
    if kind == "gru":
        np.testing.assert_allclose(grads["b_hn"], layer.bias_hh_l0.grad.numpy()[2 * H:],
                                   rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["V"], V.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_lstm_cell_state_matches_pytorch_at_every_step() -> None:
    """h alone could hide a wrong c that tanh and o happen to squash alike: compare c_t."""
    rng = np.random.default_rng(1)
    I, H, O, T, B = 3, 5, 2, 7, 4
    model = build_model("lstm", I, H, O, rng=rng, dtype=np.float64)
    for name, value in model.params.items():
        model.params[name] = value + 0.2 * rng.standard_normal(value.shape)
    x = rng.standard_normal((T, B, I))
    _, (_, _, cs, _, _) = model.forward(x)
    layer = torch_layer("lstm", model, I, H)
    with torch.no_grad():
        for t in range(1, T + 1):
            _, (_, c_t) = layer(torch.from_numpy(x[:t]))
            np.testing.assert_allclose(cs[t], c_t[0].numpy(), rtol=1e-10, atol=1e-12)
