"""A plot drawn by hand: lines in quarter blocks (2x2 dots a character), an L-shaped
axis with tick labels, straight to the `Strip`s a widget hands the screen.

It replaces plotext in the dashboard. plotext built a character grid, printed it as
ANSI text, and Rich and Textual then parsed that text back into styled lines: 15-25 ms
of CPU a plot, held under the GIL whether on the event loop or in a thread, so a key
pressed meanwhile waited. Here a plot is a few hundred dots and a few dozen runs of
equal style: about a millisecond (`benchmarks/bench_plots.py` measures both). The
calls keep plotext's names (`plot`, `scatter`, `hline`, `text`, `xlim`, ...), so a view
reads as it did.

Layers, bottom to top: horizontal lines, series in the order drawn (a later series
takes a whole character from an earlier one, as plotext's do), marks, text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

RGB = tuple[int, int, int]

# Quarter-block glyph of a character's 2x2 dots; bits: 1 upper left, 2 upper right,
# 4 lower left, 8 lower right.
QUARTERS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"
DOT = "·"  # a "dot" series: one per character, a dotted line


@dataclass
class Series:
    xs: list[float]
    ys: list[float]
    colour: RGB
    marker: str  # "hd": a line in quarter blocks; "dot": a dotted line; else a mark


@dataclass
class Label:
    text: str
    x: float
    y: float
    colour: RGB
    background: RGB | None


@dataclass
class Frame:
    """Where the data go in a widget of a given size, and how values map to dots."""

    width: int
    height: int
    left: int  # columns of y labels before the axis line
    rows: int  # data rows
    x_lim: tuple[float, float]
    y_lim: tuple[float, float]

    @property
    def cols(self) -> int:
        return self.width - self.left - 2  # (the axis line, and a free column at the right)

    @property
    def scales(self) -> tuple[float, float]:
        """Dots per unit of x, and of y."""
        (x_low, x_high), (y_low, y_high) = self.x_lim, self.y_lim
        return ((2 * self.cols - 1) / ((x_high - x_low) or 1.0),
                (2 * self.rows - 1) / ((y_high - y_low) or 1.0))

    def dot_x(self, x: float) -> float:
        return (x - self.x_lim[0]) * self.scales[0]

    def dot_y(self, y: float) -> float:
        """Dots up from the bottom data row's lower half."""
        return (y - self.y_lim[0]) * self.scales[1]

    def col(self, x: float) -> int:
        """The character column a value falls on (-1, off the plot, if not finite)."""
        dot = self.dot_x(x)
        return round(dot) // 2 if math.isfinite(dot) else -1

    def row(self, y: float) -> int:
        """The data row (0 at the top) a value falls on: the row of its dot."""
        dot = self.dot_y(y)
        return self.rows - 1 - round(dot) // 2 if math.isfinite(dot) else -1


@dataclass
class Canvas:
    """What a view draws, kept until `build` draws it for a size (see the module)."""

    series: list[Series] = field(default_factory=list)
    hlines: list[tuple[float, RGB]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    x_lim: tuple[float, float] = (0.0, 1.0)
    y_lim: tuple[float, float] = (0.0, 1.0)
    x_ticks: tuple[list[float], list[str]] = ([], [])
    y_ticks: tuple[list[float], list[str]] = ([], [])
    x_label: str = ""

    def clear(self) -> None:
        """Nothing drawn, default limits, no ticks: a view draws afresh each redraw."""
        self.__dict__.update(Canvas().__dict__)

    def plot(self, xs: Sequence[float], ys: Sequence[float], color: RGB,
             marker: str = "hd") -> None:
        self.series.append(Series(list(xs), list(ys), color, marker))

    def scatter(self, xs: Sequence[float], ys: Sequence[float], color: RGB,
                marker: str = "x") -> None:
        self.series.append(Series(list(xs), list(ys), color, marker))

    def hline(self, y: float, color: RGB) -> None:
        self.hlines.append((y, color))

    def text(self, label: str, x: float, y: float, color: RGB,
             background: RGB | None = None, alignment: str = "left") -> None:
        self.labels.append(Label(label, x, y, color, background))  # (left-aligned only)

    def xlim(self, low: float, high: float) -> None:
        self.x_lim = (float(low), float(high))

    def ylim(self, low: float, high: float) -> None:
        self.y_lim = (float(low), float(high))

    def xticks(self, ticks: Sequence[float], labels: Sequence[str]) -> None:
        self.x_ticks = (list(ticks), list(labels))

    def yticks(self, ticks: Sequence[float], labels: Sequence[str]) -> None:
        self.y_ticks = (list(ticks), list(labels))

    def xlabel(self, label: str) -> None:
        self.x_label = label

    def frame(self, width: int, height: int) -> Frame:
        left = max((len(label) for label in self.y_ticks[1]), default=0) + 1
        rows = height - 2 - (1 if self.x_label else 0)  # the axis, its ticks, its label
        return Frame(width, height, left, max(1, rows), self.x_lim, self.y_lim)

    def build(self, width: int, height: int, ink: RGB, axis: RGB, paper: RGB) -> list[Strip]:
        """The plot as `height` lines of `width` cells: data in their colours, labels
        in `ink`, axis lines in `axis`, on `paper`."""
        frame = self.frame(width, height)
        if frame.cols < 2 or height < 3:
            return [Strip([Segment(" " * width, style(ink, paper))], width)] * height
        grid = Grid(frame.cols, frame.rows)
        for y, colour in self.hlines:
            grid.fill_row(frame.row(y), "─", colour)
        for series in self.series:
            draw_series(grid, frame, series)
        for label in self.labels:
            grid.write(frame.row(label.y), frame.col(label.x), label.text, label.colour,
                       label.background)
        return self.strips(frame, grid, ink, axis, paper)

    def strips(self, frame: Frame, grid: Grid, ink: RGB, axis: RGB,
               paper: RGB) -> list[Strip]:
        tick_rows = {frame.row(t): label for t, label in zip(*self.y_ticks, strict=True)
                     if 0 <= frame.row(t) < frame.rows}
        lines = []
        for row in range(frame.rows):
            label = tick_rows.get(row, "")
            lines.append([Segment(label.rjust(frame.left - 1) + " ", style(ink, paper)),
                          Segment("┤" if row in tick_rows else "│", style(axis, paper)),
                          *grid.segments(row, paper), Segment(" ", style(ink, paper))])
        tick_cols = [(frame.col(t), label) for t, label in zip(*self.x_ticks, strict=True)
                     if 0 <= frame.col(t) < frame.cols]
        rule = ["─"] * frame.cols
        for col, _ in tick_cols:
            rule[col] = "┬"
        lines.append([Segment(" " * frame.left, style(ink, paper)),
                      Segment("└" + "".join(rule) + " ", style(axis, paper))])
        lines.append([Segment(tick_label_row(frame, tick_cols), style(ink, paper))])
        if self.x_label and frame.height > frame.rows + 2:
            lines.append([Segment(self.x_label.center(frame.width)[:frame.width],
                                  style(ink, paper))])
        blank = [Segment(" " * frame.width, style(ink, paper))]
        lines += [blank] * (frame.height - len(lines))
        return [Strip(segments) for segments in lines[:frame.height]]


def tick_label_row(frame: Frame, tick_cols: list[tuple[int, str]]) -> str:
    """The x tick labels centred under their ticks; one that would touch the label
    before it is left out."""
    row = [" "] * frame.width
    end = -1  # the last column written
    for col, label in tick_cols:
        start = frame.left + 1 + col - len(label) // 2
        start = min(max(start, 0), frame.width - len(label))
        if start <= end + 1 or start < 0:
            continue
        row[start:start + len(label)] = label
        end = start + len(label) - 1
    return "".join(row)


class Grid:
    """Characters and their colours for the data area, one layer on another."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.chars = [[" "] * cols for _ in range(rows)]
        self.colours: list[list[tuple[RGB, RGB | None] | None]] = [
            [None] * cols for _ in range(rows)]

    def put(self, row: int, col: int, char: str, colour: RGB,
            background: RGB | None = None) -> None:
        if 0 <= row < self.rows and 0 <= col < self.cols:
            self.chars[row][col] = char
            self.colours[row][col] = (colour, background)

    def fill_row(self, row: int, char: str, colour: RGB) -> None:
        if 0 <= row < self.rows:
            self.chars[row] = [char] * self.cols
            self.colours[row] = [(colour, None)] * self.cols

    def write(self, row: int, col: int, text: str, colour: RGB,
              background: RGB | None) -> None:
        for offset, char in enumerate(text):
            self.put(row, col + offset, char, colour, background)

    def segments(self, row: int, paper: RGB) -> list[Segment]:
        """The row as runs of one style each."""
        chars, colours = self.chars[row], self.colours[row]
        runs: list[Segment] = []
        start = 0
        for col in range(1, self.cols + 1):
            if col == self.cols or colours[col] != colours[start]:
                fg, bg = colours[start] or (paper, None)
                runs.append(Segment("".join(chars[start:col]), style(fg, bg or paper)))
                start = col
        return runs


def draw_series(grid: Grid, frame: Frame, series: Series) -> None:
    if series.marker == "hd":
        for (row, col), bits in line_dots(frame, series.xs, series.ys).items():
            grid.put(row, col, QUARTERS[bits], series.colour)
    elif series.marker == "dot":
        dx, dy = line_points(frame, series.xs, series.ys)
        rows = frame.rows - 1 - np.rint(dy).astype(int) // 2
        cols = np.rint(dx).astype(int) // 2
        for row, col in set(zip(rows.tolist(), cols.tolist(), strict=True)):
            grid.put(row, col, DOT, series.colour)
    else:
        for x, y in zip(series.xs, series.ys, strict=True):
            grid.put(frame.row(y), frame.col(x), series.marker, series.colour)


def line_points(frame: Frame, xs: Sequence[float],
                ys: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Dot coordinates (x, y) along the line through the points, one or more per dot it
    crosses inside the plot (a gap where a value is not finite). In numpy, all segments
    at once: a plot is ~1000 points, and a Python loop over them took most of the
    lines of a `v` press.

    Per segment a-b between two finite points: the part inside the plot's box (`clip`),
    then dots a unit apart from its start to its end: a + k (b - a) / steps for
    k = 0..steps, steps = the longer side in dots. The start is left out where it is
    the previous segment's end (a inside the box); a point with no finite neighbour
    before it is a dot of its own."""
    box = (-1.0, 2.0 * frame.cols, -1.0, 2.0 * frame.rows)  # a dot's margin round it
    x_scale, y_scale = frame.scales
    with np.errstate(all="ignore"):  # (huge values overflow to inf: not finite, a gap)
        x = (np.asarray(xs, dtype=float) - frame.x_lim[0]) * x_scale
        y = (np.asarray(ys, dtype=float) - frame.y_lim[0]) * y_scale
    finite = np.isfinite(x) & np.isfinite(y)
    inside = finite & (box[0] <= x) & (x <= box[1]) & (box[2] <= y) & (y <= box[3])
    joined = finite[1:] & finite[:-1]  # segment i runs from point i to point i + 1
    alone = inside & ~np.concatenate([[False], finite[:-1]])  # a line's first point
    a = np.flatnonzero(joined)
    x0, y0, x1, y1, kept = clip(x[a], y[a], x[a + 1], y[a + 1], box)
    both = inside[a] & inside[a + 1]  # (inside already: its own ends, not recomputed)
    x0, y0 = np.where(both, x[a], x0), np.where(both, y[a], y0)
    x1, y1 = np.where(both, x[a + 1], x1), np.where(both, y[a + 1], y1)
    first = inside[a][kept].astype(int)  # 1: the start is the previous segment's end
    x0, y0, x1, y1 = x0[kept], y0[kept], x1[kept], y1[kept]
    steps = np.maximum(1, np.ceil(np.maximum(abs(x1 - x0), abs(y1 - y0)))).astype(int)
    counts = steps + 1 - first
    segment = np.repeat(np.arange(len(steps)), counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts - first, counts)
    dx, dy = (x1 - x0) / steps, (y1 - y0) / steps
    return (np.concatenate([x[alone], x0[segment] + dx[segment] * k]),
            np.concatenate([y[alone], y0[segment] + dy[segment] * k]))


def clip(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
         box: tuple[float, float, float, float]) -> tuple[np.ndarray, ...]:
    """The parts of segments (x0, y0)-(x1, y1) inside the box (Liang-Barsky), and which
    segments have any: a line from a value far off the axis costs no more than one
    across the plot."""
    t0, t1 = np.zeros_like(x0), np.ones_like(x0)
    kept = np.ones(len(x0), dtype=bool)
    with np.errstate(all="ignore"):  # (p = 0: t unused; far values: dropped below)
        dx, dy = x1 - x0, y1 - y0
        for p, q in ((-dx, x0 - box[0]), (dx, box[1] - x0), (-dy, y0 - box[2]),
                     (dy, box[3] - y0)):
            kept &= (p != 0) | (q >= 0)  # parallel to this edge, and outside it
            t = q / p
            t0 = np.where(p < 0, np.maximum(t0, t), t0)
            t1 = np.where(p > 0, np.minimum(t1, t), t1)
        ends = x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy
    kept &= (t0 <= t1) & np.isfinite(ends).all(axis=0)  # (1e308 - -1e308 is inf)
    # Into the box: from values far off it, rounding can leave an end outside (1e38
    # dots away from 1e306), and the dots between would be as many.
    (left, right, bottom, top), (xa, ya, xb, yb) = box, ends
    return (np.clip(xa, left, right), np.clip(ya, bottom, top), np.clip(xb, left, right),
            np.clip(yb, bottom, top), kept)


def line_dots(frame: Frame, xs: Sequence[float], ys: Sequence[float]) -> dict[
        tuple[int, int], int]:
    """The quarter-block bits of each character (row, col) the line passes through."""
    top, right = 2 * frame.rows - 1, 2 * frame.cols
    dx, dy = line_points(frame, xs, ys)
    px, py = np.rint(dx).astype(int), np.rint(dy).astype(int)
    on = (0 <= px) & (px < right) & (0 <= py) & (py <= top)
    px, down = px[on], top - py[on]  # dots from the top
    bits = np.zeros(frame.rows * frame.cols, dtype=np.uint8)
    np.bitwise_or.at(bits, (down // 2) * frame.cols + px // 2,
                     (1 << (2 * (down % 2) + px % 2)).astype(np.uint8))
    cells = np.flatnonzero(bits)
    rows, cols = np.divmod(cells, frame.cols)
    return dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), bits[cells].tolist(),
                    strict=True))


STYLES: dict[tuple[RGB, RGB], Style] = {}


def style(colour: RGB, background: RGB) -> Style:
    key = (colour, background)
    if key not in STYLES:
        STYLES[key] = Style(color=Color.from_rgb(*colour), bgcolor=Color.from_rgb(*background))
    return STYLES[key]
