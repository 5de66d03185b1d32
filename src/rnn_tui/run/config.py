"""The configuration of one model's run: everything a worker needs to build a Trainer.

The vocabulary is the engine's (engine/vocabulary.py); it is re-exported here for the
layers that may not import the engine (the dashboard). The names are live views of the
registries: a cell kind registered later shows up in them too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from ..engine.vocabulary import (
    CELL_KINDS,
    DTYPES,
    OPTIMIZERS,
    SETTINGS,
    SIMPLE_CELLS,
    TASK_NAMES,
    check_cell,
    check_setting,
    check_task_length,
)

__all__ = ["CELL_KINDS", "DTYPES", "OPTIMIZERS", "SETTINGS", "SIMPLE_CELLS", "TASK_NAMES",
           "RunConfig", "check_cell", "check_setting", "check_task_length"]


@dataclass(frozen=True)
class RunConfig:
    """One model on one task. Two panels = two RunConfigs that differ in `cell` (or lr)."""

    cell: str = "lstm"  # one of CELL_KINDS
    task: str = "adding"  # one of TASK_NAMES
    seq_len: int = 100
    hidden_size: int = 128
    batch_size: int = 64
    optimizer: str = "adam"  # one of OPTIMIZERS
    lr: float = 1e-2
    momentum: float = 0.9  # SGD only
    clip: float = 1.0  # global-norm clip; 0 disables
    dtype: str = "float32"  # one of DTYPES
    seed: int = 0
    steps: int = 0  # 0 = until stopped
    recurrent_scale: float = 1.0  # multiplies W after init (>1: the ReLU RNN's explosion)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def with_(self, **changes: Any) -> RunConfig:
        return replace(self, **changes)
