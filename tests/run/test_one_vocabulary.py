"""Presets, flags and the engine refuse the same values with the same message: the
allowed ranges live in one place (engine/vocabulary.py)."""

from __future__ import annotations

import pytest

from rnn_tui.engine import SettingError, Trainer, build_model, build_task
from rnn_tui.run.config import CELL_KINDS, OPTIMIZERS, SETTINGS, TASK_NAMES
from rnn_tui.run.presets import PresetError, load_preset

from .conftest import python


def engine_refusal(key: str, value) -> str:
    """What the engine says when the value reaches it."""
    task = build_task("adding", 10)
    with pytest.raises(SettingError) as info:
        if key in ("lr", "clip", "batch_size", "momentum", "optimizer", "seed"):
            model = build_model("rnn", task.input_size, 4, task.output_size)
            Trainer(model, task, **{key: value})
        elif key in ("hidden_size", "recurrent_scale", "dtype"):
            kw = {"hidden_size": 4, key: value}
            build_model("rnn", task.input_size, output_size=task.output_size, **kw)
        else:
            build_task(**{"name": "adding", "seq_len": 10, key: value})
    return str(info.value)


@pytest.mark.parametrize("key, value", [
    ("lr", 20.0), ("lr", 0.0), ("clip", -1.0), ("batch_size", 0), ("batch_size", 70000),
    ("momentum", 1.0), ("optimizer", "rmsprop"), ("seed", -1), ("hidden_size", 5000),
    ("recurrent_scale", 0.0), ("dtype", "float16"), ("seq_len", 0), ("seq_len", 1),
])
def test_presets_and_the_engine_refuse_alike(key: str, value) -> None:
    engine = engine_refusal(key, value)
    with pytest.raises(PresetError) as info:
        load_preset("adding-100", {key: value})
    assert str(info.value).endswith(": " + engine), (str(info.value), engine)


def test_every_setting_has_a_range_and_the_names_come_from_the_registries() -> None:
    assert set(SETTINGS) >= {"lr", "clip", "seq_len", "hidden_size", "batch_size"}
    assert tuple(CELL_KINDS) == ("rnn", "relu", "irnn", "lstm", "gru")
    assert tuple(TASK_NAMES) == ("adding", "copy") and tuple(OPTIMIZERS) == ("adam", "sgd")
    assert CELL_KINDS == ["rnn", "relu", "irnn", "lstm", "gru"] and CELL_KINDS != "rnn"
    assert CELL_KINDS.index("lstm") == 3 and "gru" in CELL_KINDS and len(CELL_KINDS) == 5


def test_every_registered_kind_loads_its_class() -> None:
    from rnn_tui.engine import RecurrentModel, Task
    from rnn_tui.engine.vocabulary import CELLS, OPTIMIZER_KINDS, TASKS

    assert all(issubclass(kind.load(), RecurrentModel) for kind in CELLS.values())
    assert all(kind.load().name == name for name, kind in TASKS.items())
    assert all(issubclass(kind.load(), Task) for kind in TASKS.values())
    assert all(hasattr(kind.load(), "update") for kind in OPTIMIZER_KINDS.values())


def test_reading_the_vocabulary_does_not_load_the_maths() -> None:
    """The presets, the command line and the dashboard read the names at start-up;
    numpy and the cells load only when a model is built (in the worker processes)."""
    code = ("import sys, rnn_tui.cli, rnn_tui.run.presets, rnn_tui.ui.app;"
            "rnn_tui.run.presets.load_preset('adding-100');"
            "print(sorted(m for m in sys.modules if m == 'numpy' or m.startswith("
            "('rnn_tui.engine.rnn', 'rnn_tui.engine.trainer'))))")
    result = python("-c", code, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
