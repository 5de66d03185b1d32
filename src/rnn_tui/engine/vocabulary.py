"""The vocabulary, defined once: the cell kinds, the tasks, the optimizers, and the
allowed range of every setting. Presets, the command line and the dashboard import
these names (the dashboard through `rnn_tui.run.config`, as it may not import the
engine's maths).

This module does not import numpy or the maths: a registry names each kind's class as
"module:Class" and `Kind.load` imports it on first use, so reading the vocabulary
costs a dashboard start nothing. A new cell kind is one new file in this folder and
one line in `CELLS` below (docs/extending.md).

The engine refuses what falls outside a setting's range (`Trainer`, `build_model`,
`build_task` check), and presets and flags refuse the same values with the same
message, prefixed by where the value came from.
"""

from __future__ import annotations

import datetime
import json
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from .names import Names, SettingError


@dataclass(frozen=True)
class Kind:
    """A registered kind: the class that implements it, "module:Class" in this folder
    (imported on first use) or the class itself."""

    implementation: str | type

    def load(self) -> type:
        if isinstance(self.implementation, type):
            return self.implementation
        module, _, name = self.implementation.partition(":")
        return getattr(import_module(f"{__package__}.{module}"), name)


@dataclass(frozen=True)
class CellKind(Kind):
    simple: bool = False  # h_t = σ(W h_{t-1} + U x_t + b): the law of docs/theory.md §4


@dataclass(frozen=True)
class TaskKind(Kind):
    min_seq_len: int = 1  # the shortest T the task makes sense for, and why
    min_seq_len_why: str = ""


# The registries, one line per kind; cells in the order the dashboard's `c` key cycles.
CELLS: dict[str, CellKind] = {
    "rnn": CellKind("rnn:SimpleRNN", simple=True),
    "relu": CellKind("rnn:ReLURNN", simple=True),
    "irnn": CellKind("rnn:IRNN", simple=True),
    "lstm": CellKind("lstm:LSTM"),
    "gru": CellKind("gru:GRU"),
}
TASKS: dict[str, TaskKind] = {
    "adding": TaskKind("tasks:AddingTask", min_seq_len=2,
                       min_seq_len_why="one marker in each half"),
    "copy": TaskKind("tasks:CopyTask", min_seq_len_why="the delay"),
}
OPTIMIZER_KINDS: dict[str, Kind] = {
    "adam": Kind("optim:Adam"),
    "sgd": Kind("optim:SGD"),  # the only one that takes `momentum`
}

CELL_KINDS = Names(CELLS)
SIMPLE_CELLS = Names(CELLS, keep=lambda kind: kind.simple)
TASK_NAMES = Names(TASKS)
OPTIMIZERS = Names(OPTIMIZER_KINDS)
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
    # From 1e-30: below it an update is no float32 number (1e-46 trained nothing, unsaid),
    # and 1e-310, a float64 denormal, read as 0 once a worker flushed denormals.
    "lr": number(float, lambda v: math.isfinite(v) and 1e-30 <= v <= 10,
                 "a number in [1e-30, 10]"),
    "momentum": number(float, lambda v: 0 <= v < 1, "a number in [0, 1)"),
    "clip": number(float, lambda v: math.isfinite(v) and v >= 0,
                   "a number >= 0 (0: no clipping)"),
    "dtype": one_of(DTYPES),
    "seed": number(int, lambda v: v >= 0, "an integer >= 0"),
    "steps": number(int, lambda v: v >= 0, "an integer >= 0 (0: until stopped)"),
    "recurrent_scale": number(float, lambda v: math.isfinite(v) and v > 0, "a number > 0"),
}


def as_written(value: Any) -> str:
    """A value as a preset file spells it (TOML): `true`, "rnn", ["rnn", "lstm"],
    {x = 1}, 1979-05-27, not Python's True, 'rnn', {'x': 1}, datetime.date(...)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # (JSON's escapes are TOML's: a newline stays "\n")
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(as_written(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {as_written(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return repr(value)


def check_setting(name: str, value: Any) -> Any:
    """`value` when `name` allows it (an int given for a float setting comes back a
    float), else SettingError: "lr = 20 is not allowed; lr must be a number in [1e-30, 10]"."""
    setting = SETTINGS[name]
    if not setting.accepts(value):
        raise SettingError(f"{name} = {as_written(value)} is not allowed; {name} must be "
                           f"{setting.allowed()}")
    return float(value) if setting.kind is float else value


def check_cell(kind: Any) -> str:
    if kind not in CELL_KINDS:
        raise SettingError(f"unknown cell {as_written(kind)}; choose from {', '.join(CELL_KINDS)}")
    return kind


def check_task_length(task: str, seq_len: Any) -> int:
    """seq_len as an int if the task allows it (adding needs a marker in each half)."""
    entry = TASKS[check_setting("task", task)]
    seq_len = int(check_setting("seq_len", seq_len))
    if seq_len < entry.min_seq_len:
        why = f" ({entry.min_seq_len_why})" if entry.min_seq_len_why else ""
        raise SettingError(f"seq_len = {seq_len} is too short for {task}; seq_len must be "
                           f"an integer >= {entry.min_seq_len}{why}")
    return seq_len
