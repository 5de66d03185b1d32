"""The vocabulary, defined once: the cell kinds, the tasks, the optimizers, and the
allowed range of every setting. Presets, the command line and the dashboard import
these names (the dashboard through `rnn_tui.run.config`, as it may not import the engine).

A new cell kind is one new file in this folder (a `RecurrentModel` subclass with its
`kind`) and one line in `CELLS` below; see docs/extending.md. The engine refuses what
falls outside a setting's range (`Trainer`, `build_model`, `build_task` check), and
presets and flags refuse the same values with the same message, prefixed by where the
value came from.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .gru import GRU
from .lstm import LSTM
from .model import RecurrentModel
from .names import Names, SettingError
from .optim import SGD, Adam
from .rnn import IRNN, ReLURNN, SimpleRNN
from .tasks import AddingTask, CopyTask, Task

# The registries, one line per kind, in the order the dashboard cycles through them.
CELLS: dict[str, type[RecurrentModel]] = {cls.kind: cls for cls in (
    SimpleRNN,
    ReLURNN,
    IRNN,
    LSTM,
    GRU,
)}
TASKS: dict[str, type[Task]] = {cls.name: cls for cls in (
    AddingTask,
    CopyTask,
)}
OPTIMIZERS_BY_NAME: dict[str, Callable[[float, float], Adam | SGD]] = {
    "adam": lambda lr, momentum: Adam(lr),
    "sgd": lambda lr, momentum: SGD(lr, momentum),
}

CELL_KINDS = Names(CELLS)
SIMPLE_CELLS = Names(CELLS, keep=lambda cls: cls.simple)  # h_t = σ(W h_{t-1} + ...): the law
TASK_NAMES = Names(TASKS)
OPTIMIZERS = Names(OPTIMIZERS_BY_NAME)
DTYPES = ("float32", "float64")


@dataclass(frozen=True)
class Setting:
    kind: type  # int, float or str; a float setting takes an int too (and gives a float)
    check: Callable[[Any], bool]
    allowed: Callable[[], str]  # what is allowed, in words (read when asked: names grow)

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if self.kind is int:
            return isinstance(value, numbers.Integral) and self.check(value)
        if self.kind is float:
            return isinstance(value, numbers.Real) and self.check(value)
        return isinstance(value, str) and self.check(value)


def number(kind: type, check: Callable[[Any], bool], allowed: str) -> Setting:
    return Setting(kind, check, lambda: allowed)


def one_of(names: Sequence[str]) -> Setting:
    return Setting(str, lambda v: v in names, lambda: f"one of {', '.join(names)}")


SETTINGS: dict[str, Setting] = {
    "task": one_of(TASK_NAMES),
    "seq_len": number(int, lambda v: v >= 1, "an integer >= 1 (a task may need more)"),
    "hidden_size": number(int, lambda v: 1 <= v <= 4096, "an integer from 1 to 4096"),
    "batch_size": number(int, lambda v: 1 <= v <= 65536, "an integer from 1 to 65536"),
    "optimizer": one_of(OPTIMIZERS),
    "lr": number(float, lambda v: math.isfinite(v) and 0 < v <= 10, "a number in (0, 10]"),
    "momentum": number(float, lambda v: 0 <= v < 1, "a number in [0, 1)"),
    "clip": number(float, lambda v: math.isfinite(v) and v >= 0,
                   "a number >= 0 (0: no clipping)"),
    "dtype": one_of(DTYPES),
    "seed": number(int, lambda v: v >= 0, "an integer >= 0"),
    "steps": number(int, lambda v: v >= 0, "an integer >= 0 (0: until stopped)"),
    "recurrent_scale": number(float, lambda v: math.isfinite(v) and v > 0, "a number > 0"),
}


def check_setting(name: str, value: Any) -> Any:
    """`value` when `name` allows it (an int given for a float setting comes back a
    float), else SettingError: "lr = 20 is not allowed; lr must be a number in (0, 10]"."""
    setting = SETTINGS[name]
    if not setting.accepts(value):
        raise SettingError(f"{name} = {value!r} is not allowed; {name} must be "
                           f"{setting.allowed()}")
    return float(value) if setting.kind is float else value


def check_cell(kind: Any) -> str:
    if kind not in CELL_KINDS:
        raise SettingError(f"unknown cell {kind!r}; choose from {', '.join(CELL_KINDS)}")
    return kind


def check_task_length(task: str, seq_len: int) -> None:
    """The task's own lower bound on seq_len (adding needs a marker in each half)."""
    TASKS[check_setting("task", task)].check_seq_len(check_setting("seq_len", seq_len))


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
        raise SettingError(f"dtype = {dtype!r} is not allowed; dtype must be "
                           f"{SETTINGS['dtype'].allowed()}") from None
    check_setting("dtype", dtype.name)
    model = CELLS[kind](input_size, hidden_size, output_size,
                        rng if rng is not None else np.random.default_rng(), dtype)
    if recurrent_scale != 1.0:
        model.params["W"] = model.params["W"] * model.dtype.type(recurrent_scale)
    return model


def build_task(name: str, seq_len: int) -> Task:
    """A task by name (one of TASK_NAMES)."""
    check_task_length(name, seq_len)
    return TASKS[name](seq_len)


def build_optimizer(name: str, lr: float, momentum: float = 0.9) -> Adam | SGD:
    check_setting("optimizer", name)
    return OPTIMIZERS_BY_NAME[name](check_setting("lr", lr), check_setting("momentum", momentum))
