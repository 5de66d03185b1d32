"""The numerical core: cells with hand-written BPTT, tasks, optimisers and the Trainer.

Pure numpy; reads like the derivation in docs/theory.md. Nothing here touches files,
processes or the screen. The vocabulary (cell kinds, tasks, optimizers, allowed ranges)
is defined once, in `vocabulary.py`.
"""

from .cpu import flush_denormals, keep_denormals, keep_freed_memory, tune_for_training
from .model import RecurrentModel
from .names import Names, SettingError
from .optim import SGD, Adam, clip_global_norm, global_norm
from .tasks import AddingTask, Batch, CopyTask, Task
from .trace import Trace
from .trainer import StepResult, Trainer
from .vocabulary import (
    CELL_KINDS,
    CELLS,
    DTYPES,
    OPTIMIZERS,
    SETTINGS,
    SIMPLE_CELLS,
    TASK_NAMES,
    TASKS,
    build_model,
    build_optimizer,
    build_task,
    check_cell,
    check_setting,
    check_task_length,
)

__all__ = [
    "CELLS", "CELL_KINDS", "DTYPES", "OPTIMIZERS", "SETTINGS", "SIMPLE_CELLS", "TASKS",
    "TASK_NAMES", "Adam", "AddingTask", "Batch", "CopyTask", "Names", "RecurrentModel",
    "SGD", "SettingError", "StepResult", "Task", "Trace", "Trainer", "build_model",
    "build_optimizer", "build_task", "check_cell", "check_setting", "check_task_length",
    "clip_global_norm", "flush_denormals", "global_norm", "keep_denormals",
    "keep_freed_memory", "tune_for_training",
]
