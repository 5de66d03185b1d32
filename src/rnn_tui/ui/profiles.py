"""What the insight views read from a run's history: its profiles over training and
the quantity each cell's memory shows best in. Plain data, no widgets: the views,
the compare screen and the help text all read a history through these."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..run.events import Profile
from .history import RunHistory


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
    """A horizon as read aloud: "23 steps", "> T" (or "> 100") when it never fell 100x.
    Whole steps rounded up, so that "100x smaller after n steps" holds: γ = 0.0272 is a
    horizon of 1.28 steps, and one step back it is only 37x smaller."""
    if horizon is None:
        return "–"
    if math.isinf(horizon):
        return f"> {seq_len}" if seq_len else "> T"
    return steps_text(max(1, math.ceil(horizon - 1e-9)))  # (1e-9: 2.0000000001 is 2)


def share_text(share: float | None) -> str:
    """A share as a percentage that is 0 only when it is: "0.4%", "< 0.1%", "> 99%"
    (to whole percent, 0.4% of a GRU's units read "0%" beside its level gradient)."""
    if share is None or math.isnan(share):
        return "–"
    if share <= 0 or share >= 1:
        return f"{share:.0%}"
    if share < 0.001:
        return "< 0.1%"
    if share < 0.01:
        return f"{share:.1%}"
    return "> 99%" if share > 0.99 else f"{share:.0%}"


EXPLODES = 1e3  # growth over the sequence that we call an explosion, not a slow rise
GROWS = 1.005  # a per-step factor above this grows the gradient going back


def growth(gamma: float, seq_len: int) -> float:
    """γ^(T-1): how much the gradient grows from the loss back to t = 0 (inf past float)."""
    log = max(1, seq_len - 1) * math.log10(gamma)
    return math.inf if log > 300 else 10 ** log


def times(factor: float) -> str:
    """A growth factor as read aloud: 2.8, 290, 1.2e+06 (not "2.9e+02")."""
    return f"{factor:.2g}" if factor < 100 or factor >= 1e6 else f"{factor:.0f}"


def power_text(log10: float, digits: int = 2) -> str:
    """10^log10 as a number, also where a float has none: 0.298^999 is 1.1e-525, not 0."""
    if math.isinf(log10):
        return "0" if log10 < 0 else "inf"
    if -300 < log10 < 300:
        return f"{10 ** log10:.{digits}g}"
    exponent = math.floor(log10)
    mantissa = f"{10 ** (log10 - exponent):.{digits}g}"
    if mantissa == "10":  # (9.96 rounds up)
        mantissa, exponent = "1", exponent + 1
    return f"{mantissa}e{exponent:+03d}"


def steps_text(n: int) -> str:
    """ "1 step", "12 steps" (a trained tanh RNN's horizon can be a single step)."""
    return f"{n} step" if n == 1 else f"{n} steps"


def law_rate(profile: Profile | None) -> tuple[float | None, str]:
    """A simple RNN's per-step factor as the app states it, and where it comes from: the
    product of the step factors (engine/jacobian.py), or in a log written before the
    product existed, the fit of the measured profile."""
    product = scalar(profile, "gamma_product")
    if product is not None:
        return product, "product"
    return scalar(profile, "gamma_h"), "fit"


def rate_horizon(gamma: float, seq_len: int) -> float:
    """Steps back for a per-step factor gamma to shrink the gradient 100x (inf: not within
    the sequence)."""
    if gamma <= 0:
        return 0.0
    if gamma >= 1:
        return math.inf
    steps = math.log(100.0) / -math.log(gamma)
    return steps if steps <= seq_len else math.inf


def underflow_back(values: Sequence[float]) -> int | None:
    """Steps back from the loss from which a measured gradient profile is exactly 0 (None
    when it never is): float32 has flushed it, the rate itself is still there."""
    n = len(values)
    return next((k for k in range(n) if values[n - 1 - k] == 0.0), None)


def loss_start(history: RunHistory) -> int:
    """The timestep of L's first term: T-1 when L is the loss at the end, the recall's
    first step on copy. From it back, ∂L/∂h_t only flows back, one step at a time, and
    the bound σ_max·max σ' caps each step (inside the recall each term adds its share)."""
    n = sequence_length(history)
    return max(0, n - max(1, history.profile_loss_steps))


def sequence_length(history: RunHistory) -> int:
    """T of the latest profile (0 before the first one)."""
    latest = history.last_profile
    return len(latest.dh_norms) if latest is not None else 0


def horizon_points(history: RunHistory, name: str, beyond: float
                   ) -> tuple[list[float], list[float]]:
    """(steps, horizons) of one fitted series; "> T" becomes `beyond`, missing values go."""
    steps: list[float] = []
    values: list[float] = []
    for profile in profiles_over_training(history):
        value = scalar(profile, name)
        if value is None:
            continue
        steps.append(float(profile.step))
        values.append(beyond if math.isinf(value) else value)
    return steps, values


def cell_kind(history: RunHistory) -> str:
    return history.config.cell if history.config is not None else ""


def resample(values: Sequence[float], width: int) -> list[float]:
    """`width` samples of a series, each the value at its column's centre timestep."""
    n = len(values)
    if n == 0 or width <= 0:
        return []
    return [values[min(n - 1, int((col + 0.5) * n / width))] for col in range(width)]


def envelope(rows: Sequence[tuple[int, float, float]], buckets: int
             ) -> tuple[list[float], list[float], list[float], list[float]]:
    """At most `buckets` columns of loss rows: the raw loss as each column's min and
    max (so the noise band survives), the smoothed loss as the column's mean.
    Returns (raw x, raw y, smooth x, smooth y)."""
    if len(rows) <= 2 * buckets:
        steps = [float(r[0]) for r in rows]
        return steps, [r[1] for r in rows], steps, [r[2] for r in rows]
    raw_x: list[float] = []
    raw_y: list[float] = []
    smooth_x: list[float] = []
    smooth_y: list[float] = []
    size = len(rows) / buckets
    for b in range(buckets):
        chunk = rows[int(b * size):int((b + 1) * size)]
        if not chunk:
            continue
        x = (chunk[0][0] + chunk[-1][0]) / 2
        raw = [r[1] for r in chunk]
        raw_x += [x, x]
        raw_y += [min(raw), max(raw)]
        smooth_x.append(x)
        smooth_y.append(sum(r[2] for r in chunk) / len(chunk))
    return raw_x, raw_y, smooth_x, smooth_y


def steps_back_label(history: RunHistory) -> tuple[str, ...]:
    """The x label of a plot against steps back, with whose loss L is when it is not the
    whole loss (copy: the recall's, whose gradient is the memory's), and its shorter
    forms (four panels in 80 columns: "steps back from…")."""
    if history.profile_loss == "the loss":
        return "steps back from the loss", "steps back"
    return (f"steps back from the end · L: {history.profile_loss}", "steps back from the end",
            "steps back")


def steps_back(values: Sequence[float]) -> tuple[list[int], list[float]]:
    """A per-timestep series as (k, value) with k = steps back from the loss (T-1-t)."""
    n = len(values)
    return list(range(n)), [values[n - 1 - k] for k in range(n)]
