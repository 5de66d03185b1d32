"""Gradient flow over training: one row per profile (oldest at the top, newest at the
bottom), one column per timestep, colour = log10 of the gradient norm on a FIXED scale,
so two panels' colours compare. Half-block cells ("▀", foreground = upper row,
background = lower row) put two profiles in each line of text, and exact zeros
(underflow) get a colour of their own, off the ramp."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from rich.color import Color
from rich.style import Style
from rich.text import Text

from ...run.events import Profile
from ..axes import decade_label
from ..figure import TextFigure
from ..history import RunHistory
from ..palette import RGB, Palette
from ..profiles import memory_series, profiles_over_training, resample

# The fixed scale: 1e-20 (below the tanh RNN's usual 1e-17 before it underflows) up to
# 1e6 (a ReLU RNN exploding at its start). Outside it, clamped to the ends.
LOW_DECADE, HIGH_DECADE = -20, 6
# An inferno-like ramp: dark = the gradient does not get there, bright = it does.
RAMP: tuple[RGB, ...] = ((0, 0, 4), (40, 11, 84), (101, 21, 110), (159, 42, 99),
                         (212, 72, 66), (245, 125, 21), (250, 193, 39), (252, 255, 164))
ZERO: RGB = (64, 160, 200)  # exactly zero: a cold blue that the ramp never reaches
EMPTY: RGB | None = None  # no profile in that half-row yet: the background shows
GUTTER = 7  # columns for the step labels on the left


def ramp_colour(fraction: float) -> RGB:
    """The ramp at 0 <= fraction <= 1, linearly between its stops."""
    x = min(1.0, max(0.0, fraction)) * (len(RAMP) - 1)
    i = min(len(RAMP) - 2, int(x))
    a, b, w = RAMP[i], RAMP[i + 1], x - i
    return (round(a[0] + (b[0] - a[0]) * w), round(a[1] + (b[1] - a[1]) * w),
            round(a[2] + (b[2] - a[2]) * w))


LEVELS = 64  # colours on the ramp: finer than the eye reads, few enough to cache styles


def norm_colour(value: float) -> RGB:
    """The colour of one gradient norm: zero (or not a number) is ZERO, else the ramp
    (quantised to LEVELS steps, so neighbouring cells share styles and merge)."""
    if not value > 0 or math.isnan(value):
        return ZERO
    if math.isinf(value):
        return RAMP[-1]
    fraction = (math.log10(value) - LOW_DECADE) / (HIGH_DECADE - LOW_DECADE)
    return _ramp_level(round(min(1.0, max(0.0, fraction)) * (LEVELS - 1)))


@lru_cache(maxsize=LEVELS)
def _ramp_level(level: int) -> RGB:
    return ramp_colour(level / (LEVELS - 1))


def pick_rows(profiles: Sequence[Profile], slots: int) -> list[Profile]:
    """Exactly `slots` profiles in step order: evenly spread when there are more (the
    first and the latest kept), each repeated over several rows when there are fewer,
    so the map always fills its height."""
    n = len(profiles)
    if n == 0:
        return []
    if n > slots:
        if slots <= 1:
            return [profiles[-1]]
        return [profiles[round(i * (n - 1) / (slots - 1))] for i in range(slots)]
    return [profiles[i * n // slots] for i in range(slots)]


@lru_cache(maxsize=4096)
def _style(upper: RGB | None, lower: RGB | None) -> Style:
    return Style(color=Color.from_rgb(*upper) if upper else None,
                 bgcolor=Color.from_rgb(*lower) if lower else None)


def legend(width: int) -> Text:
    """The scale: low decade, the ramp, high decade, and the underflow swatch."""
    bar = max(4, min(32, width - 30))
    text = Text(f"{decade_label(LOW_DECADE)} ", "dim")
    for i in range(bar):
        text.append("█", Style(color=Color.from_rgb(*ramp_colour(i / (bar - 1)))))
    text.append(f" {decade_label(HIGH_DECADE)} ", "dim")
    text.append("  ██", Style(color=Color.from_rgb(*ZERO)))
    text.append(" = 0", "dim")
    return text


def heatmap_text(profiles: Sequence[Profile], width: int, height: int) -> Text:
    """The heatmap as lines of text: `height - 2` lines of cells (two profiles each),
    an axis line and the legend."""
    lines: list[Text] = []
    body = max(1, height - 2)
    columns = max(4, width - GUTTER)
    rows = pick_rows(profiles, 2 * body)
    seq_len = len(memory_series(rows[-1])[1]) if rows else 0
    colour_rows = [[norm_colour(v) for v in resample(memory_series(p)[1], columns)]
                   for p in rows]
    filled = (len(rows) + 1) // 2
    labelled = {0, (filled - 1) // 2, filled - 1}  # first, middle and latest lines
    for line in range(body):
        upper = colour_rows[2 * line] if 2 * line < len(rows) else None
        lower = colour_rows[2 * line + 1] if 2 * line + 1 < len(rows) else None
        # The last line's label names its newest profile (its lower half, if any).
        shown = rows[min(len(rows) - 1, 2 * line + (line == filled - 1))] if upper else None
        label = f"{shown.step:>{GUTTER - 1}} " if shown and line in labelled else ""
        text = Text(label[-GUTTER:].ljust(GUTTER), "dim")
        if upper is None:
            lines.append(text)
            continue
        # One span per run of equal cells: a row of the map is a few dozen spans, not
        # one per column (Rich's cost grows with spans, and this redraws every second).
        pairs = list(zip(upper, lower if lower else [EMPTY] * columns, strict=True))
        start = 0
        for col in range(1, columns + 1):
            if col == columns or pairs[col] != pairs[start]:
                text.append("▀" * (col - start), _style(*pairs[start]))
                start = col
        lines.append(text)
    axis = f"{'step':>{GUTTER - 1}} t=0"
    end = f"t={max(0, seq_len - 1)} → loss"
    lines.append(Text(axis + end.rjust(max(1, width - len(axis))), "dim"))
    lines.append(Text(" " * GUTTER) + legend(width - GUTTER))
    return Text("\n").join(lines)


class GradientHeatmap(TextFigure):
    """Gradient flow of one panel's run over training (see the module docstring)."""

    def build(self, history: RunHistory, palette: Palette, width: int, height: int) -> Text:
        profiles = profiles_over_training(history)
        if not profiles:
            return Text("waiting for the first profile…", "dim")
        return heatmap_text(profiles, width, height)

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile
        name = memory_series(latest)[0] if latest is not None else "‖∂L/∂h_t‖"
        return Text.assemble(("gradient flow ", "bold"), f"log10 {name}",
                             (" · rows: training step ↓, columns: timestep t", "dim"))
