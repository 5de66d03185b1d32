"""The memory horizon against training step: how many steps back the gradient falls
100x, fitted by the engine on every profile (`horizon_h`, and the LSTM's cell path
`horizon_c`). "> T" (it never fell 100x) is drawn on its own row above T."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from ..axes import nice_ticks
from ..canvas import Frame
from ..figure import PlotFigure
from ..history import RunHistory
from ..palette import Palette, swatch
from ..profiles import horizon_points, horizon_text, scalar, sequence_length

SERIES = (("horizon_h", "gamma_h", "‖∂L/∂h_t‖"), ("horizon_c", "gamma_c", "‖∂L/∂c_t‖"))
SHORT = {"‖∂L/∂h_t‖": "∂h", "‖∂L/∂c_t‖": "∂c"}  # (two panels in 80 columns)
BEYOND = 1.2  # × T: where "> T" sits, above the T line, never clipped


class HorizonPlot(PlotFigure):
    """Horizon (steps back at which the gradient is 100x smaller) against training step."""

    seq_len = 0
    beyond_label = "> T"
    end_forms: tuple[list[str], list[str]] = ([], [])  # the T line's label: with "above", without

    def y_axis(self, rows: int) -> tuple[list[float], list[str]]:
        if not self.seq_len:
            return [], []
        # Ticks thinned to the height (labels on neighbouring rows would read as one).
        ticks = nice_ticks(0, self.seq_len, max(1, rows // 3))
        beyond = self.seq_len * BEYOND
        # Four rows or fewer (80x24): "> T" falls on the T line's own row, and the line's
        # "above: > 120" pointed at nothing; there the row and the words go.
        frame = Frame(0, 0, 0, rows, (0.0, 1.0), self.canvas.y_lim)
        apart = frame.row(beyond) != frame.row(self.seq_len)
        with_above, plain = self.end_forms
        for i, label in enumerate(self.canvas.labels):
            if label.y == self.seq_len and with_above:
                forms = with_above if apart else plain
                self.canvas.labels[i] = replace(label, text=forms[0], shorter=tuple(forms[1:]))
        if not apart:
            return [float(t) for t in ticks], [str(t) for t in ticks]
        return ([float(t) for t in ticks] + [beyond],
                [str(t) for t in ticks] + [self.beyond_label])

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile

        # "horizon", not "memory horizon": the LSTM's two series then fit a half-width
        # panel at 160 columns ("… → 33 steps", not "… → 33 s…"); narrower, γ goes, then
        # the title, then the names shorten, so that the cell path's is not the one cut.
        def legend(with_gamma: bool, short: bool = False) -> list[Text]:
            parts = []
            colours = (palette.hidden, palette.cell)
            for (horizon, gamma, label), colour in zip(SERIES, colours, strict=True):
                if scalar(latest, horizon) is None and (latest is None
                                                        or horizon != "horizon_h"):
                    continue
                g = f"γ={scalar(latest, gamma):.3g} " if with_gamma else ""
                now = f"{g}→ {horizon_text(scalar(latest, horizon), sequence_length(history))}"
                name = SHORT[label] if short else label
                parts.append(swatch(colour, f"{name} {now if latest else ''}".rstrip()))
            return parts

        title = Text("horizon ", "bold")
        return self.fitting(Text.assemble(title, *legend(True)),
                            Text.assemble(title, *legend(False)),
                            Text.assemble(*legend(False)), Text.assemble(*legend(False, True)))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        self.x_label = "training step"
        seq_len = sequence_length(history)
        if not seq_len:
            canvas.xlim(0, 1)
            return
        beyond = seq_len * BEYOND
        first_step, last_step = None, None
        for (horizon, _, _), colour in zip(SERIES, (palette.hidden, palette.cell), strict=True):
            steps, values = horizon_points(history, horizon, beyond)
            if not steps:
                continue
            canvas.plot(steps, values, color=colour, marker="hd")
            first_step = steps[0] if first_step is None else min(first_step, steps[0])
            last_step = steps[-1] if last_step is None else max(last_step, steps[-1])
        if first_step is None or last_step is None:
            canvas.xlim(0, 1)
            return
        # The sequence's end in the axes' own faint ink: in the baseline's colour (the
        # theme's warning) it was the same orange as the ‖∂L/∂h_t‖ horizon (its accent).
        _, axes_ink, _ = self.colours()
        canvas.hline(seq_len, color=axes_ink)
        said, plain, self.beyond_label = end_label(history, seq_len)
        self.end_forms = (said, plain)
        canvas.text(said[0], x=first_step, y=seq_len, color=axes_ink,
                    background=palette.canvas, shorter=said[1:])
        canvas.ylim(0, beyond * 1.05)
        self.seq_len = seq_len
        self.x_range = (first_step, max(last_step, first_step + 1))
        canvas.xlim(*self.x_range)


def end_label(history: RunHistory, seq_len: int) -> tuple[list[str], list[str], str]:
    """What the line at the sequence's start says (longest first), the same without
    "above" (for a plot too short for that row), and the row above it. On copy the
    sequence is T + 20 steps long: "T=220" under the header's "copy T=200" named two
    numbers T, so there the line gives its length."""
    task_t = history.config.seq_len if history.config is not None else seq_len
    if seq_len == task_t:
        return [f"T={seq_len}; above: > T", f"T={seq_len}"], [f"T={seq_len}"], "> T"
    n = seq_len
    return ([f"all {n} steps (T+{n - task_t}); above: > {n}", f"{n} steps; above: > {n}",
             f"{n} steps"], [f"all {n} steps (T+{n - task_t})", f"{n} steps"], f"> {n}")
