"""The numerical core: cells with hand-written BPTT, tasks, optimisers and the Trainer.

Pure numpy; reads like the derivation in the note. Nothing here touches files, processes
or the screen.
"""

from .cpu import flush_denormals, keep_denormals, keep_freed_memory, tune_for_training
from .factory import CELL_KINDS, CELLS, build_model
from .model import RecurrentModel
from .optim import SGD, Adam, clip_global_norm, global_norm
from .tasks import TASKS, AddingTask, Batch, CopyTask, Task, build_task
from .trace import Trace
from .trainer import StepResult, Trainer

__all__ = [
    "CELLS", "CELL_KINDS", "TASKS", "Adam", "AddingTask", "Batch", "CopyTask",
    "RecurrentModel", "SGD", "StepResult", "Task", "Trace", "Trainer", "build_model",
    "build_task", "clip_global_norm", "flush_denormals", "global_norm", "keep_denormals",
    "keep_freed_memory", "tune_for_training",
]
