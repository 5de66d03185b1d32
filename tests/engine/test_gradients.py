"""Every backward pass against central finite differences, in float64."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from rnn_tui.engine import CELL_KINDS, Trainer, build_model, build_task
from rnn_tui.engine.trace import batch_mean_norm

EPS = 1e-6
TOL = 1e-6


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-12))


def setup(kind: str, task_name: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    task = build_task(task_name, seq_len=6 if task_name == "adding" else 3)
    model = build_model(kind, task.input_size, 5, task.output_size, rng=rng, dtype=np.float64)
    # Move off the init (biases 0, W = I for irnn) so every path carries gradient.
    for name, p in model.params.items():
        model.params[name] = p + 0.3 * rng.standard_normal(p.shape)
    batch = task.sample(3, rng)
    return task, model, batch


def loss_of(task, model, batch, **shifts) -> float:
    ys, _ = model.forward(batch.x, **shifts)
    return task.loss(ys, batch)[0]


def numeric_grad(f, array: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        old = array[idx]
        array[idx] = old + EPS
        up = f()
        array[idx] = old - EPS
        down = f()
        array[idx] = old
        grad[idx] = (up - down) / (2 * EPS)
    return grad


@pytest.mark.parametrize("task_name", ["adding", "copy"])
@pytest.mark.parametrize("kind", CELL_KINDS)
def test_parameter_gradients(kind: str, task_name: str) -> None:
    task, model, batch = setup(kind, task_name)
    ys, cache = model.forward(batch.x)
    _, dys = task.loss(ys, batch)
    grads, _ = model.backward(dys, cache)
    assert grads.keys() == model.params.keys()
    for name, p in model.params.items():
        assert grads[name].shape == p.shape
        numeric = numeric_grad(lambda: loss_of(task, model, batch), p)
        assert rel_error(grads[name], numeric) <= TOL, name


STATE_GRADIENTS = [(kind, "h") for kind in CELL_KINDS] + [("lstm", "c")]


@pytest.mark.parametrize("task_name", ["adding", "copy"])
@pytest.mark.parametrize("kind, state", STATE_GRADIENTS)
def test_profile_norms_are_the_total_gradient_wrt_the_state(kind, state, task_name) -> None:
    """trace.dh (dc) against the gradient of the loss w.r.t. a shift added to h_t (c_t)."""
    task, model, batch = setup(kind, task_name, seed=1)
    ys, cache = model.forward(batch.x)
    _, dys = task.loss(ys, batch)
    _, trace = model.backward(dys, cache)
    T, B = batch.x.shape[:2]
    shift = np.zeros((T, B, model.hidden_size))
    numeric = numeric_grad(lambda: loss_of(task, model, batch, **{f"{state}_shift": shift}),
                           shift)
    assert rel_error(getattr(trace, f"d{state}"), numeric) <= TOL
    norms = getattr(trace, f"d{state}_norms")
    assert rel_error(norms, batch_mean_norm(numeric)) <= TOL


@pytest.mark.parametrize("task_name", ["adding", "copy"])
def test_loss_gradient_wrt_outputs(task_name: str) -> None:
    task, model, batch = setup("rnn", task_name)
    ys, _ = model.forward(batch.x)
    _, dys = task.loss(ys, batch)
    numeric = numeric_grad(lambda: task.loss(ys, batch)[0], ys)
    assert rel_error(dys, numeric) <= TOL


@pytest.mark.parametrize("kind, state", [("rnn", "h"), ("lstm", "h"), ("lstm", "c"), ("gru", "h")])
def test_on_copy_a_steps_trace_is_the_gradient_of_the_recalls_loss(kind, state) -> None:
    """The profile a copy step reports: the total gradient w.r.t. h_t (c_t) of the
    recall's share of the loss, with the weights that step used (the optimiser has
    moved them by the time it is asked for), on the batch it trained on."""
    task, model, _ = setup(kind, "copy", seed=2)
    trainer = Trainer(model, task, lr=0.1, batch_size=3, seed=4)
    rng = copy.deepcopy(trainer.data_rng)
    before = copy.copy(model)
    before.params = dict(model.params)
    result = trainer.step()
    assert model.params["W"] is not before.params["W"], "the step did not move W"
    batch = task.sample(3, rng, dtype=np.float64)
    T, B = batch.x.shape[:2]
    shift = np.zeros((T, B, model.hidden_size))

    def recall_loss() -> float:
        ys, _ = before.forward(batch.x, **{f"{state}_shift": shift})
        logp = np.take_along_axis(task.log_softmax(ys), batch.y[..., None], axis=-1)
        return float(-logp[-10:].sum() / (T * B))  # the last ten steps' share of the mean

    numeric = numeric_grad(recall_loss, shift)
    assert rel_error(getattr(result.trace, f"d{state}"), numeric) <= TOL
