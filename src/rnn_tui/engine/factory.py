"""Cells, tasks and optimizers by name (the names and ranges are engine/vocabulary.py's)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .model import RecurrentModel
from .names import SettingError
from .optim import SGD, Adam
from .tasks import Task
from .vocabulary import (
    CELLS,
    OPTIMIZER_KINDS,
    SETTINGS,
    TASKS,
    as_written,
    check_cell,
    check_setting,
    check_task_length,
)


def build_model(kind: str, input_size: int, hidden_size: int, output_size: int,
                rng: np.random.Generator | None = None, dtype: Any = np.float32,
                recurrent_scale: float = 1.0) -> RecurrentModel:
    """A cell by name (one of CELL_KINDS).

    `recurrent_scale` multiplies W after its init: above 1 a ReLU RNN's gradient can grow
    like ‖W‖^t (docs/theory.md §4), below 1 it decays."""
    check_cell(kind)
    check_setting("hidden_size", hidden_size)
    recurrent_scale = check_setting("recurrent_scale", recurrent_scale)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise SettingError(f"dtype = {as_written(dtype)} is not allowed; dtype must be "
                           f"{SETTINGS['dtype'].allowed()}") from None
    check_setting("dtype", dtype.name)
    model = CELLS[kind].load()(input_size, hidden_size, output_size,
                               rng if rng is not None else np.random.default_rng(), dtype)
    if recurrent_scale != 1.0:
        # A scale past the dtype's range makes W infinite: the run then diverges at its
        # first step and says so (as the Trainer does), not a RuntimeWarning on stderr.
        with np.errstate(over="ignore"):
            model.params["W"] = model.params["W"] * model.dtype.type(recurrent_scale)
    return model


def build_task(name: str, seq_len: int) -> Task:
    """A task by name (one of TASK_NAMES)."""
    seq_len = check_task_length(name, seq_len)
    return TASKS[name].load()(seq_len)


def build_optimizer(name: str, lr: float, momentum: float = 0.9) -> Adam | SGD:
    check_setting("optimizer", name)
    lr, momentum = check_setting("lr", lr), check_setting("momentum", momentum)
    optimizer = OPTIMIZER_KINDS[name].load()
    return optimizer(lr, momentum) if optimizer is SGD else optimizer(lr)
