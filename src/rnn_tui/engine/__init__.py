"""The numerical core: cells with hand-written BPTT, tasks, optimisers and the Trainer.

Pure numpy; reads like the derivation in docs/theory.md. Nothing here touches files,
processes or the screen. The vocabulary (cell kinds, tasks, optimizers, allowed ranges)
is defined once, in `vocabulary.py`.

Names are imported from their modules on first use: `rnn_tui.engine.vocabulary` can be
read (by the presets and the dashboard) without loading numpy and the maths.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "cpu": ("flush_denormals", "keep_denormals", "keep_freed_memory", "tune_for_training"),
    "factory": ("build_model", "build_optimizer", "build_task"),
    "model": ("RecurrentModel",),
    "names": ("Names", "SettingError"),
    "optim": ("SGD", "Adam", "clip_global_norm", "global_norm"),
    "tasks": ("AddingTask", "Batch", "CopyTask", "Task"),
    "trace": ("Trace",),
    "trainer": ("StepResult", "Trainer"),
    "vocabulary": ("CELLS", "CELL_KINDS", "DTYPES", "OPTIMIZERS", "SETTINGS", "SIMPLE_CELLS",
                   "TASKS", "TASK_NAMES", "check_cell", "check_setting", "check_task_length"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)


def __dir__() -> list[str]:
    return __all__
