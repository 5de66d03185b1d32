"""Axes of the plots: round linear ticks, and log axes drawn by hand.

Log axes take the values as log10 on a linear axis whose ticks read 1e-17 ... 1e0.
That lets one axis span thirty decades, and lets exact zeros (the tanh RNN's gradient
underflows) sit on their own labelled row, "0", below the smallest positive value
instead of vanishing or raising.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Decades between labels on a log axis: round steps only (1e-10, 1e-20, not 1e-19, 1e-38).
ROUND_DECADE_STEPS = (1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class LogAxis:
    """A decade range for log10 values, with a row for exact zeros below it if needed."""

    low: int  # exponent of the lowest decade shown
    high: int  # exponent of the highest decade shown
    zero_row: float | None  # where zeros are drawn (None: no zeros in the data)

    @classmethod
    def fit(cls, series: Sequence[Sequence[float]]) -> LogAxis:
        positive = [v for s in series for v in s if v > 0 and math.isfinite(v)]
        has_zero = any(v <= 0 for s in series for v in s)
        if not positive:
            low, high = -1, 0
        else:
            low = math.floor(math.log10(min(positive)))
            high = math.ceil(math.log10(max(positive)))
            if high <= low:
                high = low + 1
        return cls(low, high, low - 1.0 if has_zero else None)

    @property
    def bottom(self) -> float:
        return self.zero_row if self.zero_row is not None else float(self.low)

    def values(self, ys: Sequence[float]) -> list[float]:
        """log10 of each value; zeros (and negatives) go to the zero row."""
        floor = self.bottom
        return [math.log10(y) if y > 0 and math.isfinite(y) else floor for y in ys]

    def ticks(self, rows: int) -> tuple[list[float], list[str]]:
        """Decade ticks for a plot whose data take `rows` rows, thinned so that two
        labels are never on neighbouring rows (they would read as one: "1e-71e-10"):
        every k-th decade for a round k (1e-10, 1e-20, ...), at least two rows apart, so
        rounding a tick to its row leaves a row free between labels. The top decade is
        labelled too when it has room, and so is the zero row; a plot too short for two
        round decades gets its two ends."""
        rows_per_decade = max(1, rows - 1) / (self.high - self.bottom)

        def room(upper: float, lower: float) -> bool:
            return (upper - lower) * rows_per_decade >= 2

        every = next((k for k in ROUND_DECADE_STEPS if k * rows_per_decade >= 2),
                     ROUND_DECADE_STEPS[-1])
        ticks = [float(k) for k in range(self.high, self.low - 1, -1) if k % every == 0]
        if not ticks or (ticks[0] != self.high and room(self.high, ticks[0])):
            ticks.insert(0, float(self.high))
        if len(ticks) < 2 and room(self.high, self.low):  # a short plot: its two ends
            ticks = [float(self.high), float(self.low)]
        if self.zero_row is not None:
            ticks = [t for t in ticks if room(t, self.zero_row)] + [self.zero_row]
        labels = ["0" if t == self.zero_row else decade_label(int(t)) for t in ticks]
        return ticks, labels


def decade_label(exponent: int) -> str:
    return {0: "1", 1: "10", -1: "0.1"}.get(exponent, f"1e{exponent}")


def round_step(span: float, count: int, smallest: float = 0.0) -> float:
    """The tick step for about `count` ticks over `span`: 1, 2 or 5 times 10^k (and
    at least `smallest`, so training steps never tick at 2.5)."""
    raw = max(span, 1e-12) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    return max(step, smallest)


def round_ticks(low: float, high: float, count: int, smallest: float = 0.0) -> list[float]:
    """Ticks at multiples of a round step (see `round_step`) from low to high; a
    smaller round step if that one leaves fewer than two (1 to 4848 by 5000 has no
    tick at all)."""
    step = round_step(high - low, count, smallest)
    while True:
        first = math.ceil(low / step - 1e-9)
        last = math.floor(high / step + 1e-9)
        # Multiply, never accumulate: 0.1 + 0.2 would print as 0.30000000000000004.
        ticks = [round(k * step, 12) for k in range(first, last + 1)]
        if len(ticks) >= min(2, count) or step <= smallest:
            return ticks
        step = max(smaller_round_step(step), smallest)


def smaller_round_step(step: float) -> float:
    """The round step below: 5 -> 2 -> 1 -> 0.5 (times a power of ten)."""
    power = 10 ** math.floor(math.log10(step) + 1e-9)
    mantissa = step / power
    return (2 if mantissa > 2.5 else 1 if mantissa > 1.5 else 0.5) * power


def nice_ticks(low: float, high: float, count: int) -> list[int]:
    """About `count` round integer ticks from low to high (a training step axis)."""
    return [int(t) for t in round_ticks(low, max(high, low + 1), count, smallest=1)]


def tick_label(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
