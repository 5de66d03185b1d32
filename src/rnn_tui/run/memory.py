"""Will a run fit? An estimate of one model's memory from its config, made before any
process is spawned, and what the machine has free.

A training step keeps, for every timestep and batch row, the forward cache (h, c, the
squashed gates) and the backward's arrays of the same shapes (dh, dc, the gates'
pre-activation gradients), plus the inputs, outputs and their gradients: PER_ROW numbers
of H per row. Those are the arrays counted in the cells' code, rounded up to the peak
measured for T=2000, B=64, H=128 (rnn 5.2 H, lstm 15.3 H, gru 16.2 H: temporaries and the
trace add to the cache). The parameters cost little beside that: weights, gradients and
Adam's two moments. The estimate refuses the absurd (a T of a billion) before numpy
tries; it is not a budget for a tight fit.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import RunConfig

GATES = {"rnn": 1, "relu": 1, "irnn": 1, "lstm": 4, "gru": 3}
PER_ROW = {"rnn": 6, "relu": 6, "irnn": 6, "lstm": 16, "gru": 17}  # x H, see above
TASK_SIZES = {"adding": (2, 1), "copy": (10, 10)}  # (inputs, outputs) per timestep
COPY_EXTRA_STEPS = 20  # the copy task's sequence is T + 20 steps long
# Bytes per number, by DTYPES name (not numpy's dtype: the dashboard's process checks
# a run's size before its first frame, and importing numpy there costs it 0.1-0.3 s).
ITEMSIZE = {"float32": 4, "float64": 8}
PARAM_COPIES = 4  # weights, gradients, two Adam moments
HEADROOM = 0.9  # refuse beyond 90 % of what is available: the screen needs some too


def timesteps(config: RunConfig) -> int:
    return config.seq_len + (COPY_EXTRA_STEPS if config.task == "copy" else 0)


def run_bytes(config: RunConfig) -> int:
    """About how many bytes one training step of `config` holds at its peak."""
    gates = GATES.get(config.cell, 4)
    inputs, outputs = TASK_SIZES.get(config.task, (10, 10))
    H, B, T = config.hidden_size, config.batch_size, timesteps(config)
    itemsize = ITEMSIZE.get(config.dtype, 8)
    per_row = PER_ROW.get(config.cell, max(PER_ROW.values())) * H + 2 * inputs + 3 * outputs
    params = gates * H * (H + inputs + 1) + outputs * (H + 1)
    return T * B * per_row * itemsize + PARAM_COPIES * params * 8


def available_bytes() -> int | None:
    """MemAvailable from /proc/meminfo (what can be had without swapping), else the free
    physical pages; None when the system will not say."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def human(n: float) -> str:
    """477 GiB, 21.6 GiB, 310 MiB: three significant figures, binary units."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.3g} {unit}" if n < 100 else f"{n:.0f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def does_not_fit(configs: list[RunConfig], replacing: list[RunConfig] = (),
                 available: int | None = None) -> str | None:
    """None when `configs` fit in what is available now plus what the runs they replace
    (`replacing`) give back; else one line, e.g. `needs about 477 GiB; 21.6 GiB available`."""
    free = available_bytes() if available is None else available
    if free is None:
        return None  # cannot tell: let it try, a failure is reported as one
    need = sum(run_bytes(c) for c in configs)
    if need <= HEADROOM * (free + sum(run_bytes(c) for c in replacing)):
        return None
    return f"needs about {human(need)}; {human(free)} available"
