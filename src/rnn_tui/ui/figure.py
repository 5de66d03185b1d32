"""The one base of every drawing in a panel (and on the compare screen): a `Figure`.

A figure draws one run's `RunHistory` and says what it shows in a caption, on its own
first line. The base owns the redraw throttle: a figure is stale when its data key moved
AND at least `MIN_INTERVAL` seconds passed since it was last drawn, so the app redraws on
its own timer, never per event. Two kinds: `StripFigure`, which builds the screen's
lines itself (`PlotFigure`, a `Canvas` drawn by hand; the heatmap), and its kind
`TextFigure` (Rich text made into lines for the widget's size, like the law's table).
Building lines costs a few milliseconds where Rich text with a style per cell costs
tens (Rich renders it cell by cell to the same lines).

A figure is one widget, caption included: a caption in a widget of its own, the two in a
box, made three widgets of every figure, and a `v` press lays out and paints each of
them (a third of that frame's CPU went to the boxes and captions).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

from rich.color import Color as RichColor
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from .axes import LogAxis, nice_ticks, round_ticks, tick_label
from .canvas import RGB, Canvas
from .cut import cut_text, first_that_fits
from .history import RunHistory
from .palette import Palette


class Figure(Widget):
    """A drawing of a run's history, with its caption (see the module docstring)."""

    # Seconds between redraws however often the data moves: once a second is plenty
    # to watch training, and it keeps the dashboard's CPU away from the workers'.
    MIN_INTERVAL = 1.0

    def __init__(self, *children: Widget, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.shown_key: Hashable = None
        self.shown_at = -math.inf
        self.shown_run: tuple[int, int] | None = None  # (history, run) it was drawn from
        self.fixed_caption: Text | None = None  # one that never changes (`figure_box`)
        self.drawn: tuple[RunHistory, Palette] | None = None  # what `show` drew last
        self.partners: list[Figure] = []  # figures of the same numbers, drawn with it

    def data_key(self, history: RunHistory) -> Hashable:
        """What this figure shows of a history: a new key means a redraw is due.
        Most figures follow the profiles; the loss plot overrides it (every step)."""
        return (id(history), history.profile_version)

    def is_stale(self, history: RunHistory, now: float) -> bool:
        return self.data_key(history) != self.shown_key and (
            self.shows_old_run(history) or now - self.shown_at >= self.MIN_INTERVAL)

    def shows_old_run(self, history: RunHistory) -> bool:
        """Drawn from another run than the panel's now (a restart, a replay's jump): due
        at once, not within MIN_INTERVAL, or a restarted panel showed the old run's plots
        under the new run's status line."""
        return self.shown_run is not None and self.shown_run != (id(history), history.runs)

    def drawn_for(self, history: RunHistory, palette: Palette) -> bool:
        """Last drawn from this history (a restart makes a new one), in these colours."""
        return self.drawn is not None and self.drawn[0] is history and self.drawn[1] == palette

    def show(self, history: RunHistory, palette: Palette, now: float = 0.0) -> None:
        """Draw the history, and the caption above it."""
        self.drawn = (history, palette)
        self.paint(history, palette)
        self.shown_key, self.shown_at = self.data_key(history), now
        self.shown_run = (id(history), history.runs)

    def paint(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        raise NotImplementedError

    def build_ahead(self) -> None:
        """Build what it can of its lines while hidden (see `StripFigure`)."""

    def note_size(self) -> None:
        """Laid out now (maybe unseen, `RnnTuiApp.lay_out_views`): the size to build
        its lines for ahead."""

    @property
    def shown_width(self) -> int:
        """Its width in cells; hidden (drawn ahead, see `StripFigure`), the width it
        last showed at."""
        return self.size.width

    def caption(self, history: RunHistory, palette: Palette) -> Text:  # pragma: no cover
        """One line above the figure: what it shows, each series in its own colour."""
        raise NotImplementedError

    def colours(self) -> tuple[RGB, RGB, RGB]:
        """Ink, a fainter ink (axes, labels), and paper, from the widget's style."""
        style = self.rich_style
        paper = colour_of(style.bgcolor, (0, 0, 0))
        ink = colour_of(style.color, (224, 224, 224))
        return ink, blend(ink, paper, 0.5), paper

    def fitting(self, *forms: Text) -> Text:
        """The first of a caption's forms (longest first) that fits the figure whole, else
        the last: cut after a word instead, captions lost what they were there to say
        ("faint: init", which dashed line is the bound, the cell path's horizon)."""
        # Cells the caption has, as `StripFigure.lines` lays it out: the content's width
        # (hidden, the last one shown), less a cell of margin each side where the figure
        # has no padding.
        width = self.content_size.width or getattr(self, "strips_size", (0, 0))[0]
        return first_that_fits(forms, width - (2 if self.styles.padding.left == 0 else 0))

    def caption_line(self, width: int) -> Text:
        """The caption for the figure's size now (some say less when narrow), cut to
        `width` cells after a word (an ellipsis where it is cut)."""
        if self.fixed_caption is not None:
            line = self.fixed_caption.copy()
        else:
            line = self.caption(*self.drawn) if self.drawn else Text()
        line.no_wrap = True
        return cut_text(line, max(1, width))


def figure_box(name: str, figure: Figure, caption: Text | None = None) -> Figure:
    """The figure, classes "figure <name>" (the stylesheet sizes figures by name), and
    `caption`: a fixed one (else `show` asks the figure for its own)."""
    figure.add_class("figure", name)
    figure.fixed_caption = caption
    return figure


class StripFigure(Figure):
    """A figure that builds its own lines for the screen (`build_strips`, below its
    caption line), when first shown after a redraw or a resize."""

    DEFAULT_CSS = """
    StripFigure {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.strips: list[Strip] | None = None  # built for `strips_size`, on demand
        self.strips_size = (0, 0)
        self.strips_colours: tuple[RGB, RGB, RGB] | None = None  # and in these colours

    def redrawn(self) -> None:
        """The data changed: build the lines again when next shown."""
        self.strips = None
        self.refresh()

    def notify_style_update(self) -> None:
        # (A new theme: the lines' colours come from the style. Textual restyles every
        # widget of a screen each time it shows again: most of the time nothing moved.)
        super().notify_style_update()
        if self.strips is not None and self.colours() != self.strips_colours:
            self.strips = None

    @property
    def shown_width(self) -> int:
        return self.size.width or self.strips_size[0]

    def note_size(self) -> None:
        size = self.content_size.width, self.content_size.height
        if size[0] and size[1] and size != self.strips_size:
            self.strips, self.strips_size = None, size
            if self.drawn is not None:  # (drawn ahead already, for no size)
                self.build_ahead()

    def build_ahead(self) -> None:
        """The lines for the size it last showed at, built while hidden: Textual renders
        a widget only on the screen (a hidden one has no size there), so a view shown by
        `v` built all its figures' lines in that key's frame."""
        if self.strips is None and self.strips_size != (0, 0):
            self.strips = self.lines(*self.strips_size)

    def render_line(self, y: int) -> Strip:
        size = self.content_size.width, self.content_size.height
        if self.strips is None or self.strips_size != size:
            self.strips, self.strips_size = self.lines(*size), size
        return self.strips[y] if y < len(self.strips) else Strip.blank(size[0])

    def lines(self, width: int, height: int) -> list[Strip]:
        """The caption line, then the figure's own."""
        if height < 1 or width < 1:
            return []
        self.strips_colours = self.colours()
        _, faint, paper = self.strips_colours
        base = Style(color=rgb(faint), bgcolor=rgb(paper))
        # (A cell of margin each side of the caption, as the figure's padding gives text.)
        margin = " " if self.styles.padding.left == 0 else ""
        line = Text(margin, end="").append_text(self.caption_line(width - 2 * len(margin)))
        caption = Strip(Segment.apply_style(line.render(self.app.console), base))
        body = self.build_strips(width, height - 1) if height > 1 else []
        return [caption.adjust_cell_length(width, base), *body]

    def build_strips(self, width: int, height: int) -> list[Strip]:  # pragma: no cover
        """The figure's lines below its caption: `height` of `width` cells."""
        raise NotImplementedError


class PlotFigure(StripFigure):
    """A plot on a `Canvas`. `draw` puts the data on it; the ticks depend on the
    widget's size, so they are chosen when the lines are built: a resize rebuilds with
    ticks that fit, without drawing the data again. Set `log_axis` (log y), or
    `y_ticks`, or `y_range` (round linear ticks), and `x_range` (round integer ticks)."""

    DEFAULT_CSS = """
    PlotFigure {
        background: $surface;  /* the paper; the palette's canvas colour */
        color: $foreground;
    }
    """

    LABEL_MIN_HEIGHT = 9  # below this the x label's row goes to the data

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.canvas = Canvas()
        self.x_label: str | tuple[str, ...] = ""  # (a tuple: the title, then shorter forms)
        self.clear_axes()

    def clear_axes(self) -> None:
        self.log_axis: LogAxis | None = None
        self.y_ticks: tuple[list[float], list[str]] | None = None
        self.y_range: tuple[float, float] | None = None
        self.x_range: tuple[float, float] | None = None

    def paint(self, history: RunHistory, palette: Palette) -> None:
        self.canvas.clear()
        self.clear_axes()
        self.draw(history, palette)
        self.redrawn()

    def build_strips(self, width: int, height: int) -> list[Strip]:
        """The plot's lines for a widget of this size: ticks that fit, then the canvas."""
        canvas = self.canvas
        labelled = height >= self.LABEL_MIN_HEIGHT
        forms = (self.x_label,) if isinstance(self.x_label, str) else self.x_label
        canvas.xlabel(forms[0] if labelled else "", shorter=forms[1:])
        rows = canvas.frame(width, height).rows
        canvas.yticks(*self.y_axis(rows))
        if self.x_range is not None:
            ticks = nice_ticks(*self.x_range, max(2, width // 14))
            canvas.xticks(ticks, [str(t) for t in ticks])
        return canvas.build(width, height, *self.colours())

    def y_axis(self, rows: int) -> tuple[list[float], list[str]]:
        """Ticks and labels of the y axis for this many data rows."""
        if self.log_axis is not None:
            return self.log_axis.ticks(max(3, rows))
        if self.y_ticks is not None:
            return self.y_ticks
        if self.y_range is not None:
            # About one label every other row (two on neighbouring rows read as one).
            ticks = round_ticks(*self.y_range, max(2, (rows + 1) // 2))
            return ticks, [tick_label(t) for t in ticks]
        return [], []

    def draw(self, history: RunHistory, palette: Palette) -> None:  # pragma: no cover
        raise NotImplementedError


def rgb(colour: RGB) -> RichColor:
    return RichColor.from_rgb(*colour)


def colour_of(colour: RichColor | None, fallback: RGB) -> RGB:
    if colour is None:
        return fallback
    triplet = colour.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def blend(a: RGB, b: RGB, share: float) -> RGB:
    """`a` with `share` of `b` mixed in."""
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


class TextFigure(StripFigure):
    """A figure drawn as Rich text under its caption (`build`), made into lines like any
    `StripFigure`'s: for the widget's size, and while hidden when its view is the one `v`
    shows next. (As a `Static`, Textual turned the text into lines in the key's frame:
    the law's table, 3-5 ms of it.)"""

    def paint(self, history: RunHistory, palette: Palette) -> None:
        self.redrawn()  # (`build_strips` reads what `show` drew: `self.drawn`)

    def build_strips(self, width: int, height: int) -> list[Strip]:
        if self.drawn is None:
            return []
        ink, _, paper = self.colours()
        app = self.app
        options = app.console_options.update(highlight=False, width=width, height=height)
        body = self.build(*self.drawn, width, height)
        lines = app.console.render_lines(body, options, style=Style(color=rgb(ink),
                                                                    bgcolor=rgb(paper)))
        return [Strip(line, width) for line in lines]

    def build(self, history: RunHistory, palette: Palette, width: int,
              height: int) -> RenderableType:  # pragma: no cover
        """The Rich text to show in `width` x `height` cells below the caption."""
        raise NotImplementedError
