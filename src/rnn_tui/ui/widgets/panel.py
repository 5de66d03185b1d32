"""One model's panel: a status line, a message line (errors, a lost log), and a switcher of views.

The views are whatever `registry.VIEWS` holds when the panel is composed (the
`views` package registers the built-in ones); the panel reads them through the
`View` protocol alone and draws the figures each one says apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.geometry import Region
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from ..cut import cut_text, first_that_fits
from ..figure import Figure
from ..history import RunHistory
from ..palette import Palette
from ..registry import VIEWS, View, next_view, view_title


def format_seconds(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_text(history: RunHistory, width: int = 80) -> Text:
    """Cell, size, lr, speed, loss, metric, and when it beat the baseline and was
    solved: two lines that never wrap, each in the longest form its width fits."""
    config = history.config
    if config is None:
        return Text("waiting for the run to start…", "dim")
    width = max(8, width)
    lines = [state_line(history, width), numbers_line(history, width)]
    return Text("\n").join(cut_text(line, width) for line in lines)


def cell_name(cell: str) -> str:
    """The cell as the status line names it: RNN, LSTM, GRU, IRNN, and ReLU (not "RELU",
    which no text calls it)."""
    return "ReLU" if cell == "relu" else cell.upper()


def rate_text(per_second: float) -> str:
    """Steps a second, whole; below 10 to two figures: an LSTM at T=1000 read "0/s
    running", as if stalled."""
    return f"{per_second:.0f}" if per_second >= 9.5 else f"{per_second:.2g}"


def state_line(history: RunHistory, width: int) -> Text:
    """Cell, size, lr, step, speed and state. Where it does not fit, the hidden size
    goes first, then "step" shortens to "@", then the speed and the state go (the header
    says the state), then a W scaled at init (relu-exploding's 1.5: an RNN started at
    ρ(W) = 1.5 is not the one that forgets), and last the learning rate."""
    config = history.config
    assert config is not None
    scale = "" if config.recurrent_scale == 1.0 else f" W×{config.recurrent_scale:g}"
    # A speed only while it trains: "0/s finished" read as a run that never moved.
    speed = f"{rate_text(history.steps_per_second)}/s " if history.state == "running" else ""

    def form(size: str, step: str, speed: str, state: bool = True,
             scale: str = scale, lr: bool = True) -> Text:
        said = [" · ", speed, (history.state, "italic")] if state else []
        rate = f" lr={config.lr:g}" if lr else ""
        return Text.assemble((cell_name(config.cell), "bold"),
                             f"{size}{rate}{scale} · {step}", *said)

    long_step, short_step = f"step {history.step}", f"@{history.step}"
    forms = [form(f" H={config.hidden_size}", long_step, speed), form("", long_step, speed),
             form("", short_step, speed), form("", short_step, ""),
             form("", short_step, "", state=False),
             form("", short_step, "", state=False, scale=""),
             form("", short_step, "", state=False, scale="", lr=False)]  # (four in 80)
    return first_that_fits(forms, width)


def numbers_line(history: RunHistory, width: int) -> Text:
    """Loss, metric and the milestones, in the longest form that fits `width`: the
    labels give way first, then the gaps, then the metric, then "beat"; "solved @N"
    goes last (it is the moment the app exists to show). The word "loss" stays while
    anything else is shown: a bare 0.000176 beside "beat @810" reads as nothing."""
    loss = f"{history.smoothed_loss:.3g}" if history.smoothed_loss is not None else "–"
    metric = f"{history.smoothed_metric:.2f}" if history.smoothed_metric is not None else "–"

    def milestone(label: str, value: tuple[int, float] | None, timed: bool,
                  gap: str = "  ") -> list:
        if value is None:
            return [gap, (f"{label} –", "dim")]
        when = f" ({format_seconds(value[1])})" if timed else ""
        return [gap, (f"{label} @{value[0]}{when}", "bold")]

    solved = milestone("solved", history.solved, False)
    beat = milestone("beat", history.beat, False)
    forms = [
        [("loss ", "dim"), loss, ("  metric ", "dim"), metric,
         *milestone("beat baseline", history.beat, True),
         *milestone("solved", history.solved, True)],
        [("loss ", "dim"), loss, (" m ", "dim"), metric, *beat, *solved],
        [("loss ", "dim"), loss, *beat, *solved],
        [("loss ", "dim"), loss, *milestone("beat", history.beat, False, " "),
         *milestone("solved", history.solved, False, " ")],
        [("loss ", "dim"), loss, *solved],
        [("L ", "dim"), loss, *solved],  # (L as in ∂L/∂h_t: three panels in 80 columns)
    ]
    if history.solved is not None:  # (four panels in 80: the step, not "solved…")
        forms += [[loss, *solved], milestone("solved", history.solved, False, "")[1:]]
    else:  # ("0.232  solved –": a bare number beside a dash read as nothing)
        forms += [[("L ", "dim"), loss]]
    texts = [Text.assemble(*parts) for parts in forms]
    return first_that_fits(texts, width)


class PanelStatus(Static):
    """Two lines of numbers about the run."""


class PanelMessage(Static):
    """A diverged or failed run's message, in the error colour, and a lost log's, in the
    warning colour, for as long as the run lasts; hidden when there is neither."""


def message_lines(history: RunHistory) -> list[Content]:
    """What the message line says: both when the log was lost and the run later failed."""
    lines = []
    if history.state in ("diverged", "failed"):
        lines.append(Content(history.message))  # Content: a message's [brackets] stay text
    if history.log_warning:
        lines.append(Content.styled(history.log_warning, "$warning"))
    return lines


class PanelViews(Vertical):
    """The panel's views, one shown at a time (`ModelPanel.view`)."""


class ModelPanel(Vertical):
    """One model's run. `selected` marks the panel the keys act on.

    What `tab` and `v` change is on the border, and only a border row is repainted for
    them (`edge_only`): Textual's setters for a border's title or colour repaint every
    line of the panel, and the screen then composites everything inside it again (one
    panel's repaint: 5-13 ms of CPU, taken from the workers' cores)."""

    # `var`s: their watchers change just what shows them (a reactive repaints the panel).
    selected: var[bool] = var(False)
    view: var[str] = var("plots")

    def __init__(self, slot: int, history: RunHistory) -> None:
        super().__init__(id=f"panel-{slot}", classes="panel")
        self.slot = slot
        self.history = history
        self._shown: tuple[int, int] = (-1, -1)
        self._edge_row: int | None = None  # see `edge_only`
        self.title_markup = ""  # the border title as last set (see `update_title`)
        # Its parts, found once when mounted (a query walks the DOM: several a tick add up).
        self.status: PanelStatus | None = None
        self.message: PanelMessage | None = None
        self.view_widgets: dict[str, View] = {}

    def compose(self) -> ComposeResult:
        yield PanelStatus(classes="status")
        yield PanelMessage(classes="message")
        # (Not a ContentSwitcher: it hides with `display`, and its `current` is a
        # reactive that repaints all of it.)
        with PanelViews(classes="views"):
            for entry in VIEWS.values():
                view = entry.make()
                view.id = entry.name  # what `view` names
                view.display = entry.name == self.view
                yield view

    def on_mount(self) -> None:
        self.status, self.message = self.query_one(PanelStatus), self.query_one(PanelMessage)
        views = self.query_one(PanelViews)
        self.view_widgets = {w.id: cast(View, w) for w in views.children if w.id}
        self.border_subtitle = self.view_subtitle(self.view)

    def on_resize(self, _event: Resize) -> None:
        # The status says more or less as the panel's width allows (the app's own
        # redraw on a resize runs before the panels are laid out at the new size).
        self.update_text(force=True)

    def on_unmount(self) -> None:
        self.status, self.message, self.view_widgets = None, None, {}

    def watch_selected(self, selected: bool) -> None:
        self.mark_selected()

    def mark_selected(self) -> None:
        """The selected panel's top edge in the accent colour, its title bold. Set on
        the panel alone, and only its top row repainted: a class toggle refreshes every
        widget inside it (a 40-110 ms frame on each tab), a whole border every line."""
        if not self.is_attached:
            return
        border = "accent" if self.selected else "panel-lighten-2"
        with self.edge_only(0):
            self.styles.border_top = ("round", Color.parse(self.app.theme_variables[border]))
            self.update_title()

    def update_title(self) -> None:
        history = self.history
        title = f"{self.slot + 1} · {history.config.cell}" if history.config else str(self.slot + 1)
        title = f"[bold $accent]{title}[/]" if self.selected else title
        # (Compared with what was set: `border_title` reads back as Content, never
        # equal to the markup, and setting it repaints the whole panel.)
        if self.title_markup != title:
            with self.edge_only(0):
                self.border_title = self.title_markup = title

    def watch_view(self, old: str, new: str) -> None:
        if not self.view_widgets:
            return  # not mounted yet: `compose` shows the view
        self.display_view(new)
        # On the border, not in a toast: the view's name stays, and a toast's coming
        # and going repainted the screen between it and the panel.
        with self.edge_only(self.outer_size.height - 1):
            self.border_subtitle = self.view_subtitle(new)

    def display_view(self, name: str) -> None:
        """Lay out view `name`'s widget, the others hidden (`view` switches; see also
        `RnnTuiApp.lay_out_views`)."""
        for key, widget in self.view_widgets.items():
            if cast(Widget, widget).display != (key == name):
                cast(Widget, widget).display = key == name

    @contextmanager
    def edge_only(self, row: int) -> Iterator[None]:
        """Within it, a repaint of the whole panel asked for is one of border row `row`."""
        self._edge_row = row if self.outer_size.height > row >= 0 else None
        try:
            yield
        finally:
            self._edge_row = None

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> ModelPanel:
        row = self._edge_row
        if row is not None and not (regions or layout or recompose):
            # (Regions are given relative to the content, inside the border.)
            x, y = self.content_offset
            regions = (Region(-x, row - y, self.outer_size.width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @staticmethod
    def view_subtitle(view: str) -> str:
        return f"v: {view_title(view)}"

    def figures(self, compact: bool = False) -> list[Figure]:
        """The figures the current view shows for this panel's history (on a short
        screen when `compact`)."""
        view = self.view_widgets.get(self.view)
        if view is None:  # not mounted yet (or already taken down)
            return []
        return view.figures(self.history, compact)

    def update_text(self, force: bool = False) -> None:
        """Title, status and message: cheap, so on every tick that changed them."""
        history = self.history
        key = (id(history), history.version)
        status, message = self.status, self.message
        if (key == self._shown and not force) or status is None or message is None:
            return  # nothing new, or not mounted yet (or already taken down)
        self._shown = key
        self.update_title()
        # Fixed-size widgets: update without a layout pass (which would re-composite
        # the whole screen, several times a second).
        status.update(status_text(history, status.size.width or self.size.width), layout=False)
        lines = message_lines(history)
        if lines or message.display:
            message.display = bool(lines)
            message.update(Content("\n").join(lines))

    def stale_figures(self, now: float, force: bool = False,
                      compact: bool = False) -> list[Figure]:
        """Shown figures whose data moved (and whose own rate limit allows a redraw)."""
        return [figure for figure in self.figures(compact)
                if force or figure.is_stale(self.history, now)]

    def draw_figure(self, figure: Figure, palette: Palette, now: float) -> list[Figure]:
        """Draw `figure`, and its partners where they show other data: which were drawn."""
        drawn = [figure]
        figure.show(self.history, palette, now)
        for partner in figure.partners:
            if partner.display and (partner.shown_key != partner.data_key(self.history)
                                    or not partner.drawn_for(self.history, palette)):
                partner.show(self.history, palette, now)
                drawn.append(partner)
        return drawn

    def next_figures(self, compact: bool = False) -> list[Figure]:
        """The figures the view that `v` shows next would show (hidden now)."""
        name = next_view(self.view)
        view = self.view_widgets.get(name)
        return [] if view is None or name == self.view else view.figures(self.history, compact)

    def draw_ahead(self, palette: Palette, now: float, compact: bool = False) -> bool:
        """One figure of the next view drawn, and its lines built, while it is hidden, if
        its data moved: `v` then shows it as it is (drawing a view's figures and building
        their lines at the key was a third of that key's frame). Whether one was."""
        for figure in self.next_figures(compact):
            if figure.drawn_for(self.history, palette) and not figure.is_stale(
                    self.history, now):
                continue
            for drawn in self.draw_figure(figure, palette, now):
                drawn.build_ahead()
            return True
        return False
