"""The LSTM's path (and the GRU's): going back along c multiplies the gradient by the
forget gate alone, so what carries memory is the per-unit PRODUCT of forget gates from
t to the end. Means hide it (a solved LSTM's mean f of ~0.57 multiplies to ~1e-25
over 100 steps): a few units hold f near 1 across the gap while the rest forget. So
this view shows, per timestep, the share of units whose product stays above 0.1, the
spread of f (10th-90th percentile band and median), and beside them ‖∂L/∂c_t‖ and
‖∂L/∂h_t‖ on a log axis. For the GRU the update gate z plays f's part."""

from __future__ import annotations

from rich.text import Text

from ...run.events import Profile
from ..axes import LogAxis
from ..figure import PlotFigure
from ..history import RunHistory
from ..palette import Palette, swatch
from ..profiles import scalar, sequence_length, share_text


def gate_name(profile: Profile | None) -> str:
    """"forget" for the LSTM, "update" for the GRU, "" for cells without gates."""
    if profile is None:
        return ""
    for name in ("forget", "update"):
        if f"{name}_hold" in profile.series:
            return name
    return ""


def gate_symbol(name: str) -> str:
    return {"forget": "f", "update": "z"}.get(name, "gate")


class GatesPlot(PlotFigure):
    """Share of units holding memory from t to the end, and the gate's quantile band."""

    def y_axis(self, rows: int) -> tuple[list[float], list[str]]:
        # Quarters when there are rows for them, else halves (labels on neighbouring
        # rows would read as one).
        ticks = [0, 0.25, 0.5, 0.75, 1] if rows >= 9 else [0, 0.5, 1]
        return ticks, [f"{t:g}".lstrip("0") or "0" for t in ticks]

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile
        name = gate_name(latest)
        if latest is None:  # (a restart to a gated cell: its first profile comes soon)
            return Text("gates: waiting for the first profile…", "dim")
        if not name:
            return Text("gates: this cell has none (c switches cell)", "dim")
        g = gate_symbol(name)
        held = scalar(latest, f"{name}_hold_all")
        whole = f" · whole sequence: {share_text(held)}" if held is not None else ""
        short = f" over T: {share_text(held)}" if held is not None else ""
        title, median = Text("gates ", "bold"), swatch(palette.hidden, f"{g} median")
        spread = swatch(palette.hidden_faint, f"{g} 10–90%", "┄┄")
        # Narrower, the share of units that hold over the whole sequence stays (it was
        # the part cut off), the spread's legend and the title go.
        return self.fitting(
            Text.assemble(title, swatch(palette.cell, f"units with Π{g} > 0.1{whole}"),
                          median, spread),
            Text.assemble(title, swatch(palette.cell, f"Π{g} > 0.1{short}"), median, spread),
            Text.assemble(swatch(palette.cell, f"Π{g} > 0.1{short}"), median),
            Text.assemble(swatch(palette.cell, f"Π{g} > 0.1{short}")))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        latest = history.last_profile
        name = gate_name(latest)
        self.x_label = "timestep t"
        if latest is None or not name:
            canvas.xlim(0, 1)
            return
        series = latest.series
        ts = list(range(len(series[f"{name}_hold"])))
        for key, colour, marker in ((f"{name}_q10", palette.hidden_faint, "dot"),
                                    (f"{name}_q90", palette.hidden_faint, "dot"),
                                    (f"{name}_q50", palette.hidden, "hd"),
                                    (f"{name}_hold", palette.cell, "hd")):
            if key in series:
                canvas.plot(ts, list(series[key]), color=colour, marker=marker)
        canvas.ylim(0, 1.02)
        self.x_range = (0, max(1, len(ts) - 1))
        canvas.xlim(*self.x_range)


class PathGradientPlot(PlotFigure):
    """‖∂L/∂c_t‖ and ‖∂L/∂h_t‖ against timestep t (log y), aligned with the gates above."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile
        parts = [("gradient ", "bold")]
        if latest is not None and "dc_norms" in latest.series:
            parts.append(swatch(palette.cell, "‖∂L/∂c_t‖"))
        parts.append(swatch(palette.hidden, "‖∂L/∂h_t‖"))
        return Text.assemble(*parts)

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        latest = history.last_profile
        self.x_label = "timestep t"
        if latest is None:
            canvas.xlim(0, 1)
            return
        lines = [(list(latest.dh_norms), palette.hidden)]
        if "dc_norms" in latest.series:
            lines.append((list(latest.series["dc_norms"]), palette.cell))
        axis = LogAxis.fit([values for values, _ in lines])
        ts = list(range(sequence_length(history)))
        for values, colour in lines:
            canvas.plot(ts, axis.values(values), color=colour, marker="hd")
        canvas.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (0, max(1, len(ts) - 1))
        canvas.xlim(*self.x_range)
