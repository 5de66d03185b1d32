"""The events a run emits: the contract between the training side and the screen.

Each event is a small frozen dataclass that turns into one JSON object (one line of a
run log) and back. `to_dict` / `from_dict` are the only (de)serialisers; a log written
by an older version stays readable because unknown keys are ignored and new fields
have defaults.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Literal

EndReason = Literal["finished", "stopped", "interrupted", "restarted", "diverged", "failed"]


@dataclass(frozen=True)
class RunStarted:
    """Header of a run log: everything needed to reproduce the run."""

    kind: ClassVar[str] = "run_started"
    config: dict[str, Any]
    seed: int
    baseline_loss: float
    versions: dict[str, str] = field(default_factory=dict)
    blas: list[dict[str, Any]] = field(default_factory=list)
    started_at: str = ""  # ISO 8601, UTC
    # When the task counts as solved: {"loss_at_most": 0.01} or {"metric_at_least": 0.99}.
    solved_when: dict[str, float] = field(default_factory=dict)
    metric_name: str = ""
    steps: int = 0  # sequence length the model sees (T for adding, T + 20 for copy)
    log_path: str = ""  # where this run's log is written ("" when not logged)
    # Whose gradient the profiles' ∂L/∂h_t is (`Task.memory_loss`): "the recall's loss" on
    # copy; the whole loss on adding (all of it needs memory) and in older logs.
    profile_loss: str = "the loss"
    # How many final steps that loss is spread over (`Task.memory_steps`): 10 on copy (the
    # recall), 1 on adding and in older logs.
    profile_loss_steps: int = 1


@dataclass(frozen=True)
class Step:
    """Scalars of one training step (sent every step)."""

    kind: ClassVar[str] = "step"
    step: int
    loss: float
    metric: float
    grad_norm: float  # global norm before clipping
    seconds: float  # wall time since the run started


@dataclass(frozen=True)
class Profile:
    """Per-timestep series of one step (sent at a bounded rate).

    `series` holds the cell's own per-timestep quantities beside the two every cell
    has, e.g. LSTM `c_norms`, `dc_norms`, `forget_mean`; GRU `update_mean`.
    `scalars` holds per-step numbers that are not per timestep (e.g. `rho_W`).
    """

    kind: ClassVar[str] = "profile"
    step: int
    dh_norms: list[float]
    h_norms: list[float]
    series: dict[str, list[float]] = field(default_factory=dict)
    scalars: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Paused:
    kind: ClassVar[str] = "paused"
    step: int


@dataclass(frozen=True)
class Resumed:
    kind: ClassVar[str] = "resumed"
    step: int


@dataclass(frozen=True)
class Diverged:
    """A NaN or Inf showed up; the run stopped cleanly at this step."""

    kind: ClassVar[str] = "diverged"
    step: int
    what: str  # "loss" or "grad_norm"
    value: str  # repr of the offending value: "nan", "inf"


@dataclass(frozen=True)
class RunFailed:
    kind: ClassVar[str] = "run_failed"
    step: int
    message: str


@dataclass(frozen=True)
class RunEnded:
    kind: ClassVar[str] = "run_ended"
    step: int
    reason: EndReason


@dataclass(frozen=True)
class LogStopped:
    """The run's log could not be created or written (a full disk, a read-only or missing
    directory): the run carries on unlogged. Sent to the screen only, never logged."""

    kind: ClassVar[str] = "log_stopped"
    step: int
    message: str


Event = (RunStarted | Step | Profile | Paused | Resumed | Diverged | RunFailed | RunEnded
         | LogStopped)

EVENT_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (RunStarted, Step, Profile, Paused, Resumed, Diverged, RunFailed, RunEnded,
                LogStopped)
}


def _json_float(value: float) -> float | str:
    # JSON has no NaN/Inf: write them as strings so every line stays strict JSON.
    return value if math.isfinite(value) else repr(float(value))


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_dict(event: Event) -> dict[str, Any]:
    """The event as a JSON-ready dict, its type under the key `event`."""
    return {"event": event.kind, **_clean(asdict(event))}


def _float_back(value: Any) -> Any:
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    if isinstance(value, list):
        return [_float_back(v) for v in value]
    if isinstance(value, dict):
        return {k: _float_back(v) for k, v in value.items()}
    return value


def from_dict(data: dict[str, Any]) -> Event:
    """Inverse of `to_dict`. Raises ValueError on an unknown event type."""
    cls = EVENT_TYPES.get(data.get("event", ""))
    if cls is None:
        raise ValueError(f"unknown event type {data.get('event')!r}")
    names = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in data.items() if k in names}
    if cls in (Step, Profile):
        kwargs = {k: _float_back(v) for k, v in kwargs.items()}
    return cls(**kwargs)
