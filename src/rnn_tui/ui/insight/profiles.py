"""What the insight views read from a run's history: its profiles over training and
the quantity each cell's memory shows best in. Plain data, no widgets."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...run.events import Profile
from ..history import RunHistory


def profiles_over_training(history: RunHistory) -> list[Profile]:
    """The kept profiles (evenly spread over the run) plus the latest one, in step order."""
    rows = [p for p in history.profiles.rows if isinstance(p, Profile)]
    latest = history.last_profile
    if latest is not None and (not rows or rows[-1].step != latest.step):
        rows.append(latest)
    return rows


def memory_series(profile: Profile) -> tuple[str, list[float]]:
    """The gradient profile that shows the cell's memory: the LSTM's cell path
    ‖∂L/∂c_t‖ (its forget-gate path, where the change is clearest), else ‖∂L/∂h_t‖."""
    if "dc_norms" in profile.series:
        return "‖∂L/∂c_t‖", list(profile.series["dc_norms"])
    return "‖∂L/∂h_t‖", list(profile.dh_norms)


def scalar(profile: Profile | None, name: str) -> float | None:
    """A profile's scalar, or None when absent or NaN (inf stays: it means "> T")."""
    if profile is None:
        return None
    value = profile.scalars.get(name)
    if value is None or isinstance(value, str):
        return None if value is None else float(value)
    return None if math.isnan(value) else float(value)


def horizon_text(horizon: float | None, seq_len: int | None = None) -> str:
    """A horizon as read aloud: "23 steps", "> T" (or "> 100") when it never fell 100x."""
    if horizon is None:
        return "–"
    if math.isinf(horizon):
        return f"> {seq_len}" if seq_len else "> T"
    return f"{horizon:.0f} steps"


def cell_kind(history: RunHistory) -> str:
    return history.config.cell if history.config is not None else ""


def resample(values: Sequence[float], width: int) -> list[float]:
    """`width` samples of a series, each the value at its column's centre timestep."""
    n = len(values)
    if n == 0 or width <= 0:
        return []
    return [values[min(n - 1, int((col + 0.5) * n / width))] for col in range(width)]
