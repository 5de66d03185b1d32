"""A plot drawn by hand: lines in quarter blocks (2x2 dots a character), an L-shaped
axis with tick labels, straight to the `Strip`s a widget hands the screen.

It replaces plotext in the dashboard. plotext built a character grid, printed it as
ANSI text, and Rich and Textual then parsed that text back into styled lines: 15-25 ms
of CPU a plot, held under the GIL whether on the event loop or in a thread, so a key
pressed meanwhile waited. Here a plot is a few hundred dots and a few dozen runs of
equal style: about a millisecond (`benchmarks/bench_plots.py` measures both). The
calls keep plotext's names (`plot`, `scatter`, `hline`, `text`, `xlim`, ...), so a view
reads as it did.

Where a line's dots fall is `raster.py`'s (numpy). Layers, bottom to top: horizontal
lines, series in the order drawn (a later series takes a whole character from an
earlier one, as plotext's do), marks, text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from .cut import cut_plain

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
    shorter: tuple[str, ...] = ()  # what it may say instead where it does not fit


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
    x_label_shorter: tuple[str, ...] = ()

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
             background: RGB | None = None, alignment: str = "left",
             shorter: Sequence[str] = ()) -> None:
        """A label at (x, y), left-aligned; where it does not fit whole, the first of
        `shorter` that does."""
        self.labels.append(Label(label, x, y, color, background, tuple(shorter)))

    def xlim(self, low: float, high: float) -> None:
        self.x_lim = (float(low), float(high))

    def ylim(self, low: float, high: float) -> None:
        self.y_lim = (float(low), float(high))

    def xticks(self, ticks: Sequence[float], labels: Sequence[str]) -> None:
        self.x_ticks = (list(ticks), list(labels))

    def yticks(self, ticks: Sequence[float], labels: Sequence[str]) -> None:
        self.y_ticks = (list(ticks), list(labels))

    def xlabel(self, label: str, shorter: Sequence[str] = ()) -> None:
        """The axis title; where it does not fit whole, the first of `shorter` that does."""
        self.x_label, self.x_label_shorter = label, tuple(shorter)

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
            # Whole or not at all: "T=10" of "T=100" is another number.
            room = frame.cols - frame.col(label.x)
            text = next((t for t in (label.text, *label.shorter) if len(t) <= room), None)
            if text is not None:
                grid.write(frame.row(label.y), frame.col(label.x), text, label.colour,
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
            forms = (self.x_label, *self.x_label_shorter)
            title = next((form for form in forms if cell_len(form) <= frame.width), forms[-1])
            lines.append([Segment(cut_plain(title, frame.width).center(frame.width),
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
    # (numpy only once there is a line to draw: the dashboard's first frame comes first.)
    from .raster import dot_cells, line_dots

    if series.marker == "hd":
        for (row, col), bits in line_dots(frame, series.xs, series.ys).items():
            grid.put(row, col, QUARTERS[bits], series.colour)
    elif series.marker == "dot":
        for row, col in dot_cells(frame, series.xs, series.ys):
            grid.put(row, col, DOT, series.colour)
    else:
        for x, y in zip(series.xs, series.ys, strict=True):
            grid.put(frame.row(y), frame.col(x), series.marker, series.colour)


STYLES: dict[tuple[RGB, RGB], Style] = {}


def style(colour: RGB, background: RGB) -> Style:
    key = (colour, background)
    if key not in STYLES:
        STYLES[key] = Style(color=Color.from_rgb(*colour), bgcolor=Color.from_rgb(*background))
    return STYLES[key]
