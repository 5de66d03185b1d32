"""`?`: the keys, and what each plot shows and why."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..help_markdown import markdown_content

PLOTS = """\
## What you are looking at

Every panel trains on **the same batches** of a task that needs memory. In *adding*,
two numbers far apart must be summed at the end; in *copy*, ten symbols must be
recalled after a long gap. A model that remembers nothing can only guess: that is the
**memoryless baseline** drawn across the loss plot.

**Loss** (log scale): faint is each step's loss, bold a smoothed one. A model that
has found the memory drops through the baseline line; one that has not sits on it.

**Gradient** ‖∂L/∂h_t‖ against *steps back from the loss* (log scale). Going back one
step multiplies the gradient by σ'·W. For the tanh RNN σ' is often small, so the
product shrinks like a power of the distance: a few steps back it is 1e-5, a few
dozen back it reaches 1e-17 or underflows to exactly **0** (drawn as `x` on the
bottom row, labelled 0). Nothing that far back can learn: the RNN forgets. The faint line is the
first profile of the run, for comparison; the RNN *learns* to forget.

On *copy*, L here is **the recall's loss**, its last ten steps: the blanks before it
need no memory, and their own gradient, fresh at every step, would hide how the
memory's fades (training still uses the whole loss).

For the LSTM, ‖∂L/∂c_t‖ follows the cell path, `c_t = f_t * c_{t-1} + i_t * c̃_t`,
where going back one step multiplies only by the forget gate f. While the LSTM sits
on the baseline this profile falls steeply too; when it solves the task, some units
hold f near 1 across the whole gap and the profile **turns level**: the gradient
reaches the start of the sequence and the memory is kept.

**State** ‖h_t‖ (and ‖c_t‖ for the LSTM) across the sequence, from the latest step
(log scale, so that the LSTM's ‖h_t‖ stays in sight under its larger ‖c_t‖).

## The other views (`v`, for the selected panel)

**Gradient flow**: a heatmap of the same gradient over training. Rows are profiles
(the first step at the top, the latest at the bottom, the step written on the left),
columns are timesteps t (the loss at the right edge), colour is log10 of the norm on
one fixed scale from 1e-20 to 1e6 for every panel, so colours compare across panels.
**Blue** is exactly 0 (it underflowed), a colour the scale never uses. Watch the tanh
RNN's rows darken from the left as it trains, and the LSTM's turn bright from edge to
edge where it solves. Below it, the **memory horizon** per profile: steps back until
the gradient is 100x smaller; "> T" (its own row, above the T line) means it never
gets that small within the sequence. (On copy the sequence is T+20 steps long, and the
line and its row say that length: "all 220 steps", "> 220".)

**Law** (tanh RNN, ReLU RNN, IRNN): each step back multiplies the gradient by σ'·W.
The plot draws the latest profile divided by its value at the loss, against steps
back, with two dotted lines (the caption names each): the rate of the **exact
product** of those steps (the rate the model has), and the **bound** σ_max(W)·max σ'
(an envelope the measurement never crosses: below 1 it guarantees vanishing, above 1
it only permits growth). The table gives ρ(W), σ_max(W), σ' and each rate at step 1
and now; the line above it says what the product means: how many steps back the
gradient is 100x smaller, or that it grows.

**Gates** (LSTM, GRU): along the cell path the gradient is multiplied by the forget
gate alone, so memory lives in each unit's **product** of f from t to the end. The
upper plot draws the share of (sequence, unit) pairs whose product stays above 0.1,
with the median and 10-90% band of f (for the GRU, its update gate z); the lower one
‖∂L/∂c_t‖ and ‖∂L/∂h_t‖.
A solved LSTM's median f is far below 1: a few units holding f near 1 carry the memory.

The status line gives cell, hidden size, learning rate, steps per second, the
smoothed loss and task metric, and the step (and time) at which the model first
beat the baseline (smoothed loss below 90% of it) and first counted as solved.
The metric (`m` in a narrow panel) is, like the loss, a mean over the last 50 steps:
on *adding* the share of answers within 0.04 of the true sum, on *copy* the share of
recalled symbols that are right. Solved means a smoothed loss of at most 0.01 on
adding, a metric of at least 0.99 on copy.
"""


class HelpText(Static):
    """Markdown shown as one Content (help_markdown), not as Textual's Markdown widget:
    that one takes a few hundred ms to build and lay out, this a few. `source` is the
    Markdown it shows."""

    def __init__(self, source: str, dark: bool, id: str) -> None:
        super().__init__(markdown_content(source, dark), id=id, classes="help-markdown")
        self.source, self.dark = source, dark
        self.display = bool(source)

    def show(self, source: str, dark: bool | None = None) -> bool:
        """Show `source` (in the colours for a dark or a light theme, if given); whether
        that changed what it shows."""
        dark = self.dark if dark is None else dark
        if (source, dark) == (self.source, self.dark):
            return False
        self.source, self.dark = source, dark
        content = markdown_content(source, dark)
        # The live numbers change digits, rarely the text's height: the help is laid
        # out again only if it moved (a layout there cost the `?` frame 5-10 ms, and
        # a scrollbar update a second whole-screen frame after it).
        width, height = self.content_size
        relayout = not (self.display and source and width
                        and content.get_height(self.styles, width) == height)
        self.display = bool(source)
        self.update(content, layout=relayout)
        return True


class HelpScreen(ModalScreen[None]):
    """Keys and the story of the plots; any of escape, ?, q closes it."""

    # `s` too: the help lists it, and a modal screen keeps the app's keys from working
    # under it (a teacher's screenshot of this screen did nothing, said nothing).
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close help"),
                Binding("s", "app.screenshot", "screenshot", show=False)]

    def __init__(self, keys: Iterable[tuple[str, str]], teaching: str = "") -> None:
        super().__init__()
        self.keys = list(keys)
        self.teaching = teaching  # the insight views' text, with the live numbers
        self.prepared = False  # laid out and rendered before it was first shown (by the app)
        self.accent: str | None = None  # the theme's accent the key table was made in
        self.plots = PLOTS  # what the panels' plots show ("" on the sweep map)
        self.styled: tuple[object, ...] | None = None  # `styles_key` when last restyled

    def compose(self) -> ComposeResult:
        dark = self.app.current_theme.dark
        with VerticalScroll(id="help-body"):
            yield Static("[b]rnn-tui[/b]: keys (also in the command palette, ctrl+p)"
                         "[dim] · q or esc: close · ↑ ↓ pgup pgdn: scroll[/]",
                         id="help-title")
            yield Static(self.key_table(), id="help-keys")
            yield HelpText(self.teaching, dark, id="help-teaching")
            yield HelpText(self.plots, dark, id="help-text")

    def key_table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        self.accent = self.app.theme_variables.get("accent")
        accent = self.accent or "yellow"
        table.add_column(style=f"bold {accent}", no_wrap=True)
        table.add_column()
        for key, what in self.keys:
            table.add_row(key, what)
        return table

    def bring_up_to_date(self, keys: Iterable[tuple[str, str]], teaching: str,
                         plots: str = PLOTS) -> bool:
        """Shown again (the app keeps it): the keys, the live numbers and the theme's
        colours as they are now; `plots` "" on a screen without the panels. Whether
        anything changed."""
        keys = list(keys)
        self.plots = plots
        if not self.is_mounted:  # not built yet: `compose` takes these
            self.keys, self.teaching = keys, teaching
            return True
        accent = self.app.theme_variables.get("accent")
        changed = (keys, accent) != (self.keys, self.accent)
        if changed:
            self.keys, self.accent = keys, accent
            self.query_one("#help-keys", Static).update(self.key_table())
        self.teaching = teaching
        dark = self.app.current_theme.dark
        changed |= self.query_one("#help-teaching", HelpText).show(teaching, dark)
        return self.query_one("#help-text", HelpText).show(plots, dark) or changed

    def action_close(self) -> None:
        self.dismiss(None)

    def styles_key(self) -> tuple[object, ...]:
        """What its styles depend on beyond its own DOM: the app's CSS (a new theme
        counts up) and the app's classes (-compact at a small size)."""
        return self.app._css_update_count, frozenset(self.app.classes)  # (private, pinned)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles a pushed screen's every widget, and a restyle throws away each
        # one's rendered lines: a `?` re-rendered the whole help (7-8 ms of its frame,
        # on a core shared with the workers) to the styles it had.
        key = self.styles_key()
        if key == self.styled:
            event.refresh_styles = False
        self.styled = key
        super()._on_screen_resume(event)
