"""The configuration of one model's run: everything a worker needs to build a Trainer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

CELL_KINDS = ("rnn", "relu", "irnn", "lstm", "gru")
# The cells without gates: going back one step multiplies the gradient by σ'·W alone.
SIMPLE_CELLS = ("rnn", "relu", "irnn")
TASK_NAMES = ("adding", "copy")


@dataclass(frozen=True)
class RunConfig:
    """One model on one task. Two panels = two RunConfigs that differ in `cell` (or lr)."""

    cell: str = "lstm"
    task: str = "adding"
    seq_len: int = 100
    hidden_size: int = 128
    batch_size: int = 64
    optimizer: Literal["adam", "sgd"] = "adam"
    lr: float = 1e-2
    momentum: float = 0.9  # SGD only
    clip: float = 1.0  # global-norm clip; 0 disables
    dtype: Literal["float32", "float64"] = "float32"
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
