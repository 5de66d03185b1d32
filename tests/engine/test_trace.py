"""The per-timestep gate statistics behind the LSTM's "gates" view."""

from __future__ import annotations

import numpy as np

from rnn_tui.engine.trace import gate_product_from, gate_quantiles, hold_share


def test_gate_product_from_t_to_the_end() -> None:
    gates = np.random.default_rng(0).uniform(0.5, 1.0, size=(6, 3, 4))
    product = gate_product_from(gates)
    for t in range(6):
        np.testing.assert_allclose(product[t], np.prod(gates[t + 1:], axis=0))


def test_hold_share_counts_units_whose_product_stays_above_a_tenth() -> None:
    T = 50
    gates = np.full((T, 1, 4), 0.5)          # three units forget at once...
    gates[:, 0, 0] = 0.999                   # ...one holds its memory for the whole gap
    share = hold_share(gates)
    assert share[0] == 0.25 and share[-1] == 1.0
    assert share[-4] == 1.0                  # three gates after it: 0.5^3 = 0.125 > 0.1
    assert share[-5] == 0.25                 # four: 0.5^4 = 0.0625 < 0.1


def test_gate_quantiles_match_numpy_nearest_rank_exactly() -> None:
    gates = np.random.default_rng(1).uniform(size=(7, 5, 9)).astype(np.float32)
    ours = gate_quantiles(gates)
    ref = np.quantile(gates.reshape(7, -1), (0.1, 0.5, 0.9), axis=1, method="nearest")
    np.testing.assert_array_equal(ours, ref)


def test_gate_quantiles_are_the_values_at_the_nearest_rank() -> None:
    # 11 values per timestep, 0..10 shuffled (shifted by t): the q-quantile is rank 10 q.
    rng = np.random.default_rng(2)
    gates = np.stack([rng.permutation(11).reshape(1, 11) + t for t in range(4)]) / 16
    expected = (np.array([[1, 5, 9]]).T + np.arange(4)) / 16   # sixteenths: exact in binary
    np.testing.assert_array_equal(gate_quantiles(gates), expected)
