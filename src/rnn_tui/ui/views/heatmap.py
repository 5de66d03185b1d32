"""Gradient flow over training: one row per profile (oldest at the top, newest at the
bottom), one column per timestep, colour = log10 of the gradient norm on a FIXED scale,
so two panels' colours compare. Half-block cells ("▀", foreground = upper row,
background = lower row) put two profiles in each line of text, and exact zeros
(underflow) get a colour of their own, off the ramp."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from ...run.events import Profile
from ..axes import decade_label
from ..figure import StripFigure
from ..history import RunHistory, reaches_back
from ..palette import RGB, Palette
from ..profiles import memory_series, profiles_over_training, resample

# The fixed scale: 1e-20 (below the tanh RNN's usual 1e-17 before it underflows) up to
# 1e6 (a ReLU RNN exploding at its start). Outside it, clamped to the ends.
LOW_DECADE, HIGH_DECADE = -20, 6
# An inferno-like ramp: dark = the gradient does not get there, bright = it does.
RAMP: tuple[RGB, ...] = ((0, 0, 4), (40, 11, 84), (101, 21, 110), (159, 42, 99),
                         (212, 72, 66), (245, 125, 21), (250, 193, 39), (252, 255, 164))
ZERO: RGB = (64, 160, 200)  # exactly zero: a cold blue that the ramp never reaches
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
    first and the latest kept; of the profiles a row stands for, one that reaches back
    level where its first does not), each repeated over several rows when there are
    fewer, so the map always fills its height."""
    n = len(profiles)
    if n == 0:
        return []
    if n > slots:
        if slots <= 1:
            return [profiles[-1]]
        starts = [round(i * (n - 1) / (slots - 1)) for i in range(slots)]
        rows = [profiles[starts[0]]]
        for start, end in zip(starts[1:-1], starts[2:], strict=True):
            window = profiles[start:end]
            rows.append(next((p for p in window if reaches_back(p)), window[0]))
        return rows + [profiles[-1]]
    return [profiles[i * n // slots] for i in range(slots)]


@lru_cache(maxsize=4096)
def _style(upper: RGB, lower: RGB) -> Style:
    return Style(color=Color.from_rgb(*upper), bgcolor=Color.from_rgb(*lower))


def legend(width: int, faint: RGB, paper: RGB) -> list[Segment]:
    """The scale: low decade, the ramp, high decade, and the underflow swatch."""
    bar = max(4, min(32, width - 30))
    return [Segment(f"{decade_label(LOW_DECADE)} ", _style(faint, paper)),
            *(Segment("█", _style(ramp_colour(i / (bar - 1)), paper)) for i in range(bar)),
            Segment(f" {decade_label(HIGH_DECADE)}   ", _style(faint, paper)),
            Segment("██", _style(ZERO, paper)), Segment(" = 0", _style(faint, paper))]


def colour_row(profile: Profile, columns: int) -> list[RGB]:
    """One profile's row of the map: `columns` cells' colours."""
    return [norm_colour(v) for v in resample(memory_series(profile)[1], columns)]


ColourRow = Callable[[Profile, int], list[RGB]]


def heatmap_lines(profiles: Sequence[Profile], width: int, height: int, faint: RGB,
                  paper: RGB, colours: ColourRow = colour_row) -> list[Strip]:
    """The heatmap as `height` lines of `width` cells: `height - 2` lines of cells (two
    profiles each), an axis line and the legend; labels in `faint`, on `paper`.
    `colours` gives a profile's row (the widget's remembers the rows it made)."""
    lines: list[list[Segment]] = []
    body = max(1, height - 2)
    columns = max(4, width - GUTTER)
    rows = pick_rows(profiles, 2 * body)
    seq_len = len(memory_series(rows[-1])[1]) if rows else 0
    colour_rows = [colours(p, columns) for p in rows]
    filled = (len(rows) + 1) // 2
    labelled = {0, (filled - 1) // 2, filled - 1}  # first, middle and latest lines
    for line in range(body):
        upper = colour_rows[2 * line] if 2 * line < len(rows) else None
        lower = colour_rows[2 * line + 1] if 2 * line + 1 < len(rows) else None
        # The last line's label names its newest profile (its lower half, if any).
        shown = rows[min(len(rows) - 1, 2 * line + (line == filled - 1))] if upper else None
        label = f"{shown.step:>{GUTTER - 1}} " if shown and line in labelled else ""
        segments = [Segment(label[-GUTTER:].ljust(GUTTER), _style(faint, paper))]
        if upper is not None:
            # One segment per run of equal cells: a row of the map is a few dozen
            # segments, not one per column (the screen's cost grows with them).
            pairs = list(zip(upper, lower if lower else [paper] * columns, strict=True))
            start = 0
            for col in range(1, columns + 1):
                if col == columns or pairs[col] != pairs[start]:
                    segments.append(Segment("▀" * (col - start), _style(*pairs[start])))
                    start = col
        lines.append(segments)
    lines.append([Segment(axis_line(seq_len, width), _style(faint, paper))])
    lines.append([Segment(" " * GUTTER, _style(faint, paper)),
                  *legend(width - GUTTER, faint, paper)])
    blank = Style(bgcolor=Color.from_rgb(*paper))
    return [Strip(segments).adjust_cell_length(width, blank)
            for segments in lines[:height]]


def axis_line(seq_len: int, width: int) -> str:
    """`step t=0 … t=99 → loss` under the map; narrower, the end loses "→ loss", then
    "step" goes: with four panels in 80 columns it read "step t=0t=99 → │"."""
    last = f"t={max(0, seq_len - 1)}"
    for left, right in ((f"{'step':>{GUTTER - 1}} t=0", f"{last} → loss"),
                        (f"{'step':>{GUTTER - 1}} t=0", last), (f"{'':>{GUTTER - 1}} t=0", last)):
        if len(left) + 1 + len(right) <= width:
            return left + right.rjust(width - len(left))
    return f"{'':>{GUTTER - 1}} t=0"[:width]


class GradientHeatmap(StripFigure):
    """Gradient flow of one panel's run over training (see the module docstring)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.history: RunHistory | None = None
        # Rows already coloured, by profile: a redraw adds one profile or two, and a
        # map coloured afresh cost ~6 ms of the frame that shows it (a `v` press).
        self.rows: dict[int, tuple[Profile, int, list[RGB]]] = {}

    def remembered_row(self, profile: Profile, columns: int) -> list[RGB]:
        """`colour_row`, once per profile and width."""
        kept = self.rows.get(id(profile))
        if kept is not None and kept[0] is profile and kept[1] == columns:
            return kept[2]
        row = colour_row(profile, columns)
        self.rows[id(profile)] = (profile, columns, row)
        return row

    def paint(self, history: RunHistory, palette: Palette) -> None:
        self.history = history
        self.redrawn()

    def build_strips(self, width: int, height: int) -> list[Strip]:
        _, faint, paper = self.colours()
        profiles = profiles_over_training(self.history) if self.history else []
        if not profiles:
            waiting = Segment("waiting for the first profile…", _style(faint, paper))
            blank = Style(bgcolor=Color.from_rgb(*paper))
            return ([Strip([waiting]).adjust_cell_length(width, blank)]
                    + [Strip.blank(width, blank)] * (height - 1))[:height]
        lines = heatmap_lines(profiles, width, height, faint, paper, self.remembered_row)
        self.forget_all_but(profiles)
        return lines

    def forget_all_but(self, profiles: list[Profile]) -> None:
        """Rows of the profiles the history still keeps (64) stay: those thinned out of
        it go (at T=1000 they held ~35 MB a minute of training)."""
        alive = {id(p) for p in profiles}
        self.rows = {key: kept for key, kept in self.rows.items() if key in alive}

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile
        # Which series it maps is the profiles' to say (an LSTM's is its cell path's).
        name = f"log10 {memory_series(latest)[0]}" if latest is not None else ""
        axes = (" · rows: training step ↓, columns: timestep t", "dim")
        return self.fitting(Text.assemble(("gradient flow ", "bold"), name, axes),
                            Text.assemble(("gradient flow ", "bold"), name),
                            Text(name))
