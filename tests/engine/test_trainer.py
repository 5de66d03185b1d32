"""The Trainer: reproducible, same batches for every cell, clipping, NaN handling."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from rnn_tui.engine import (
    CELL_KINDS,
    Trainer,
    build_model,
    build_task,
    clip_global_norm,
    global_norm,
)


def make(kind: str, seed: int = 0, dtype=np.float64, **kw) -> Trainer:
    task = build_task("adding", 12)
    model = build_model(kind, task.input_size, 8, task.output_size,
                        rng=np.random.default_rng(seed), dtype=dtype)
    return Trainer(model, task, **{"batch_size": 4, "seed": seed, **kw})


def recorded_batches(trainer: Trainer) -> list:
    """Every batch `trainer.step` draws from now on, kept as the task hands it out."""
    seen = []
    sample = trainer.task.sample

    def recording(*args, **kwargs):
        seen.append(sample(*args, **kwargs))
        return seen[-1]

    trainer.task.sample = recording
    return seen


def test_same_seed_same_batches_whatever_the_cell() -> None:
    batches = {}
    for kind in CELL_KINDS:
        trainer = make(kind)
        batches[kind] = recorded_batches(trainer)
        for _ in range(3):
            trainer.step()
    first = batches.pop("rnn")
    assert len(first) == 3 and not np.array_equal(first[0].x, first[1].x)
    for kind, seen in batches.items():
        for a, b in zip(seen, first, strict=True):
            np.testing.assert_array_equal(a.x, b.x, err_msg=kind)
            np.testing.assert_array_equal(a.y, b.y, err_msg=kind)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_same_seed_same_numbers(optimizer: str) -> None:
    a, b = make("lstm", optimizer=optimizer), make("lstm", optimizer=optimizer)
    for _ in range(5):
        ra, rb = a.step(), b.step()
        assert (ra.loss, ra.metric, ra.grad_norm) == (rb.loss, rb.metric, rb.grad_norm)
    assert ra.step == 5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", CELL_KINDS)
def test_training_lowers_the_loss_in_both_dtypes(kind: str, dtype) -> None:
    trainer = make(kind, dtype=dtype, lr=1e-2)
    losses = [trainer.step().loss for _ in range(60)]
    assert np.mean(losses[-10:]) < np.mean(losses[:10])
    assert all(p.dtype == dtype for p in trainer.model.params.values())


def test_clip_scales_to_the_max_norm_and_reports_the_norm_before() -> None:
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    assert global_norm(grads) == 5.0
    clipped = clip_global_norm(grads, 1.0, 5.0)
    assert global_norm(clipped) == pytest.approx(1.0)
    assert clip_global_norm(grads, 10.0, 5.0) is grads
    assert clip_global_norm(grads, 0.0, 5.0) is grads          # 0 disables


def test_a_diverged_step_is_reported_and_not_applied() -> None:
    trainer = make("rnn")
    trainer.model.params["V"][0, 0] = np.nan
    before = {k: v.copy() for k, v in trainer.model.params.items()}
    result = trainer.step()
    assert not result.finite and math.isnan(result.loss)
    for k, v in trainer.model.params.items():
        np.testing.assert_array_equal(v, before[k])


def test_a_diverging_run_says_so_in_its_result_not_in_numpy_warnings() -> None:
    # A worker shares the terminal with the dashboard: a RuntimeWarning from numpy
    # ("overflow encountered in matmul") was printed over the screen as a ReLU RNN at
    # lr=10 blew up. Diverging is a result (StepResult.finite), not a warning.
    task = build_task("adding", 20)
    model = build_model("relu", task.input_size, 16, task.output_size,
                        rng=np.random.default_rng(0), dtype=np.float32)
    trainer = Trainer(model, task, batch_size=8, seed=0, lr=10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [trainer.step() for _ in range(20)]
    assert not all(r.finite for r in results), "lr=10 on a ReLU RNN never diverged"


@pytest.mark.parametrize("kw, match", [
    ({"lr": 0}, r"lr = 0 is not allowed; lr must be a number in \[1e-30, 10\]"),
    ({"lr": 20.0}, r"lr = 20.0 is not allowed; lr must be a number in \[1e-30, 10\]"),
    ({"clip": -1}, "clip = -1 is not allowed; clip must be a number >= 0"),
    ({"batch_size": 0}, "batch_size = 0 is not allowed; batch_size must be"),
    ({"momentum": 1.0}, "momentum = 1.0 is not allowed"),
    ({"optimizer": "rmsprop"}, "optimizer must be one of adam, sgd")])
def test_bad_settings_say_what_is_allowed(kw, match) -> None:
    with pytest.raises(ValueError, match=match):
        make("rnn", **kw)


def test_bad_model_arguments_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="choose from rnn, relu, irnn, lstm, gru"):
        build_model("transformer", 2, 8, 1)
    with pytest.raises(ValueError, match="hidden_size = 0 is not allowed; hidden_size must be"):
        build_model("rnn", 2, 0, 1)
    with pytest.raises(ValueError, match="hidden_size = 5000 is not allowed"):
        build_model("rnn", 2, 5000, 1)
    with pytest.raises(ValueError, match="dtype must be one of float32, float64"):
        build_model("rnn", 2, 8, 1, dtype=np.float16)


def test_a_model_built_for_another_task_is_refused_when_paired() -> None:
    # It was taken, and the first step failed deep in the forward pass on x's shape.
    with pytest.raises(ValueError, match="the model's input_size is 2, the task's 10"):
        Trainer(build_model("rnn", 2, 3, 1), build_task("copy", 10))
    with pytest.raises(ValueError, match="the model's output_size is 10, the task's 1"):
        Trainer(build_model("lstm", 2, 3, 10), build_task("adding", 10))


def test_cell_specific_trace_series() -> None:
    series = {kind: make(kind).step().trace.series() for kind in CELL_KINDS}
    for kind, s in series.items():
        assert s["dh_norms"].shape == s["h_norms"].shape == (12,), kind
    assert {"c_norms", "dc_norms", "forget_mean", "forget_hold"} <= series["lstm"].keys()
    assert {"update_mean", "update_hold"} <= series["gru"].keys()
    assert "dsigma_mean" in series["rnn"] and "c_norms" not in series["rnn"]
    assert np.all((series["lstm"]["forget_hold"] >= 0) & (series["lstm"]["forget_hold"] <= 1))


def test_irnn_starts_as_identity_and_lstm_forget_bias_is_one() -> None:
    irnn = build_model("irnn", 2, 6, 1, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(irnn.params["W"], np.eye(6))
    assert np.abs(irnn.params["U"]).max() < 0.01 and not irnn.params["b"].any()
    lstm = build_model("lstm", 2, 6, 1, rng=np.random.default_rng(0))
    assert lstm.params["W"].shape == (24, 6) and lstm.params["U"].shape == (24, 2)
    np.testing.assert_array_equal(lstm.params["b"][6:12], 1.0)
    assert not lstm.params["b"][:6].any() and not lstm.params["b"][12:].any()
    gru = build_model("gru", 2, 6, 1, rng=np.random.default_rng(0))
    assert gru.params["W"].shape == (18, 6) and gru.params["b_hn"].shape == (6,)
