"""Task generators against their definitions; baselines against their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_tui.engine import build_task


@pytest.mark.parametrize("T", [2, 3, 11, 100])
def test_adding_batches_follow_the_definition(T: int) -> None:
    task = build_task("adding", T)
    batch = task.sample(500, np.random.default_rng(T))
    assert batch.x.shape == (T, 500, 2) and batch.y.shape == (500,)
    values, markers = batch.x[..., 0], batch.x[..., 1]
    assert np.all((values >= 0) & (values <= 1))
    assert np.all(markers.sum(axis=0) == 2) and set(np.unique(markers)) <= {0.0, 1.0}
    half = T // 2
    assert np.all(markers[:half].sum(axis=0) == 1)       # one in the first half
    assert np.all(markers[half:].sum(axis=0) == 1)       # one in the second
    np.testing.assert_allclose(batch.y, (values * markers).sum(axis=0))


def test_adding_markers_cover_each_half_uniformly() -> None:
    T = 10
    batch = build_task("adding", T).sample(20_000, np.random.default_rng(0))
    counts = batch.x[..., 1].sum(axis=1)                   # per timestep
    np.testing.assert_allclose(counts / 20_000, np.full(T, 1 / 5), atol=0.015)


def test_adding_baseline_is_the_loss_of_always_predicting_one() -> None:
    task = build_task("adding", 50)
    assert task.baseline_loss == pytest.approx(1 / 6)
    batch = task.sample(100_000, np.random.default_rng(1))
    ys = np.ones((50, 100_000, 1))
    loss, _ = task.loss(ys, batch)
    assert loss == pytest.approx(1 / 6, rel=0.02)
    # ... and no constant does better: the best constant is the mean, 1.
    assert task.loss(ys * 1.1, batch)[0] > loss and task.loss(ys * 0.9, batch)[0] > loss


def test_adding_metric_counts_answers_within_tolerance() -> None:
    task = build_task("adding", 4)
    batch = task.sample(4, np.random.default_rng(0))
    ys = np.zeros((4, 4, 1))
    ys[-1, :, 0] = batch.y + np.array([0.0, 0.039, -0.05, 0.5])
    assert task.metric(ys, batch) == 0.5
    assert task.solved(0.01, 0.0) and not task.solved(0.011, 1.0)


@pytest.mark.parametrize("T", [1, 5, 50])
def test_copy_batches_follow_the_definition(T: int) -> None:
    task = build_task("copy", T)
    batch = task.sample(300, np.random.default_rng(T))
    assert task.steps == T + 20
    assert batch.x.shape == (T + 20, 300, 10) and batch.y.shape == (T + 20, 300)
    assert np.all(batch.x.sum(axis=-1) == 1)               # one-hot
    symbols = batch.x.argmax(axis=-1)
    data = symbols[:10]
    assert np.all((data >= 1) & (data <= 8))
    assert np.all(symbols[10:T + 9] == 0)                  # T-1 blanks
    assert np.all(symbols[T + 9] == 9)                     # the delimiter
    assert np.all(symbols[T + 10:] == 0)                   # 10 blanks
    assert np.all(batch.y[:T + 10] == 0)
    np.testing.assert_array_equal(batch.y[T + 10:], data)
    assert set(np.unique(data)) == set(range(1, 9))        # all 8 data symbols are drawn


def test_copy_baseline_is_the_memoryless_optimum() -> None:
    T = 30
    task = build_task("copy", T)
    assert task.baseline_loss == pytest.approx(10 * math.log(8) / (T + 20))
    batch = task.sample(20_000, np.random.default_rng(2))
    # Memoryless best: blank for sure until the recall, then uniform over the 8 symbols.
    ys = np.full((T + 20, 20_000, 10), -60.0)
    ys[:T + 10, :, 0] = 60.0
    ys[T + 10:, :, 1:9] = 0.0
    loss, _ = task.loss(ys, batch)
    assert loss == pytest.approx(task.baseline_loss, rel=1e-6)


def test_copy_loss_is_stable_for_huge_logits_and_metric_is_recall_accuracy() -> None:
    task = build_task("copy", 3)
    batch = task.sample(2, np.random.default_rng(0))
    ys = np.eye(10)[batch.y] * 1e4                         # confident and right
    loss, dys = task.loss(ys, batch)
    assert loss == pytest.approx(0.0, abs=1e-12) and np.all(np.isfinite(dys))
    assert task.metric(ys, batch) == 1.0
    ys[-1] = np.roll(ys[-1], 1, axis=-1)                   # last recalled symbol wrong
    assert task.metric(ys, batch) == pytest.approx(0.9)
    assert task.solved(1.0, 0.99) and not task.solved(0.0, 0.98)


def test_copys_memory_share_is_the_recalls_loss_and_addings_is_all_of_it() -> None:
    """memory_dys is the gradient of the recall's share of the loss (the last ten
    steps), in the loss's own scale; adding scores only what needs memory."""
    task = build_task("copy", 3)
    batch = task.sample(2, np.random.default_rng(1))
    ys = np.random.default_rng(2).standard_normal((task.steps, 2, 10))
    _, dys = task.loss(ys, batch)

    def recall_loss() -> float:
        logp = task.log_softmax(ys)
        picked = np.take_along_axis(logp, batch.y[..., None], axis=-1)[..., 0]
        return float(-picked[-10:].sum() / picked.size)

    numeric = np.zeros_like(ys)
    for idx in np.ndindex(ys.shape):
        old = ys[idx]
        ys[idx] = old + 1e-6
        up = recall_loss()
        ys[idx] = old - 1e-6
        numeric[idx] = (up - recall_loss()) / 2e-6
        ys[idx] = old
    assert np.allclose(task.memory_dys(dys), numeric, atol=1e-9)
    assert np.all(task.memory_dys(dys)[:-10] == 0)
    assert build_task("adding", 5).memory_dys(dys) is None


@pytest.mark.parametrize("name, bad", [("adding", 1), ("adding", 0), ("copy", 0),
                                       ("adding", 2.5), ("copy", -3)])
def test_bad_lengths_say_what_is_allowed(name: str, bad) -> None:
    with pytest.raises(ValueError, match="seq_len must be an integer >="):
        build_task(name, bad)


def test_bad_batch_size_and_unknown_task() -> None:
    task = build_task("adding", 10)
    with pytest.raises(ValueError, match="batch size must be an integer >= 1"):
        task.sample(0, np.random.default_rng())
    with pytest.raises(ValueError, match="task must be one of adding, copy"):
        build_task("parity", 10)
