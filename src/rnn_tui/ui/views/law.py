"""The note's law, measured (simple RNNs: rnn, relu, irnn). Going back one step
multiplies the gradient by σ'·W, so it should scale like (mean σ' · ρ(W))^k, k steps
back. The table puts that prediction beside the fitted factor γ; the plot draws the
latest measured profile against the law's line, on a log axis that follows the data
up when the gradient grows (a ReLU RNN exploding) instead of clipping it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ...run.events import Profile
from ..axes import LogAxis
from ..figure import PlotFigure, TextFigure
from ..history import RunHistory
from ..palette import Palette, swatch
from ..profiles import horizon_text, scalar, sequence_length, steps_back

EXPLODES = 1e3  # growth over the sequence that we call an explosion, not a slow rise


def law_line(profile: Profile, gamma: float) -> list[float]:
    """What a per-step factor gamma predicts at each timestep t (indexed like the
    profile), anchored one step before the loss (the last step's readout adds a direct
    term the law is not about): value[t] = anchor * gamma^(T-2-t)."""
    values = profile.dh_norms
    n = len(values)
    anchor = values[-2] if n >= 2 and values[-2] > 0 else (values[-1] if n else 0.0)
    out = []
    for t in range(n):
        back = n - 2 - t
        # Stay finite: a log axis can show 1e-300, not 0 or inf.
        exponent = math.log10(anchor) + back * math.log10(gamma) if anchor > 0 else -300
        out.append(10 ** max(-300.0, min(300.0, exponent)))
    return out


def end_to_end(values: Sequence[float]) -> float | None:
    """How much the gradient changed from one step before the loss back to t = 0."""
    if len(values) < 3 or not values[-2] > 0:
        return None
    return values[0] / values[-2]


def fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


ROWS = (("ρ(W) spectral radius", "ρ(W)", "rho_W"),
        ("σ_max(W) largest s.v.", "σ_max(W)", "sigma_max_W"),
        ("mean σ' along t", "mean σ'", "dsigma_mean"),
        ("predicted γ = σ'·ρ(W)", "σ'·ρ(W)", "gamma_predicted"),
        ("measured γ (fit)", "γ fit", "gamma_h"))


def law_table(history: RunHistory, narrow: bool = False) -> Table:
    """ρ(W), σ_max(W), mean σ', predicted γ beside measured γ, and what γ^T means
    (short labels in a narrow panel, so the numbers keep their room)."""
    first, latest = history.first_profile, history.last_profile
    seq_len = sequence_length(history)
    table = Table(box=None, show_header=True, padding=(0, 1), header_style="dim")
    table.add_column("" if narrow else "the note's law", no_wrap=True)
    table.add_column("step 1" if first else "", justify="right", no_wrap=True)
    table.add_column(f"step {latest.step}" if latest else "now", justify="right",
                     style="bold", no_wrap=True)
    for long, short, name in ROWS:
        table.add_row(short if narrow else long, fmt(scalar(first, name)),
                      fmt(scalar(latest, name)))
    if latest is not None:
        back = seq_len - 2
        predicted, measured = scalar(latest, "gamma_predicted"), end_to_end(latest.dh_norms)
        table.add_row(f"{back} back: law" if narrow else f"{back} steps back: law", "",
                      fmt(predicted ** back if predicted else None, 2))
        table.add_row(f"{back} back: seen" if narrow else f"{back} steps back: measured", "",
                      fmt(measured, 2))
        table.add_row("horizon" if narrow else "horizon (100x smaller)", "",
                      horizon_text(scalar(latest, "horizon_h"), seq_len))
    return table


def verdict(history: RunHistory) -> Text:
    """One line: does the gradient grow, hold or fade going back?"""
    latest = history.last_profile
    gamma = scalar(latest, "gamma_h")
    if gamma is None:
        return Text("waiting for the first profile…", "dim")
    if gamma > 1.005:
        growth = end_to_end(latest.dh_norms) if latest is not None else None
        over = f" (x{growth:.2g} over the sequence)" if growth else ""
        exploding = growth is not None and growth > EXPLODES
        return Text(f"γ = {gamma:.3g} > 1: the gradient GROWS going back{over}"
                    + (": it explodes" if exploding else ""), "bold red" if exploding else "bold")
    horizon = scalar(latest, "horizon_h")
    if horizon is not None and math.isinf(horizon):
        return Text(f"γ = {gamma:.3g}: the gradient reaches the start of the sequence",
                    "bold")
    return Text(f"γ = {gamma:.3g} < 1: 100x smaller after "
                f"{horizon_text(horizon)} back: it forgets", "bold")


class LawTable(TextFigure):
    """The note's numbers for a simple RNN, first profile beside latest."""

    def build(self, history: RunHistory, palette: Palette, width: int, height: int) -> Table:
        outer = Table.grid()
        outer.add_row(verdict(history))
        outer.add_row(law_table(history, narrow=width < 50))
        return outer

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        return Text.assemble(("the note's law ", "bold"),
                             ("per step back the gradient is multiplied by σ'·W", "dim"))


class LawPlot(PlotFigure):
    """Latest ‖∂L/∂h_t‖ against steps back, beside the law's (σ'·ρ(W))^k and the fit γ^k."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        return Text.assemble(("law vs measured ", "bold"),
                             swatch(palette.hidden, "‖∂L/∂h_t‖ now"),
                             swatch(palette.hidden_faint, "step 1"),
                             swatch(palette.baseline, "(σ'·ρ(W))^k", "┄┄"),
                             swatch(palette.cell, "fit γ^k", "┄┄"))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        plt = self.plt
        latest, first = history.last_profile, history.first_profile
        self.x_label = "steps back from the loss"
        predicted, measured = scalar(latest, "gamma_predicted"), scalar(latest, "gamma_h")
        if latest is None or not latest.dh_norms:
            plt.xlim(0, 1)
            return
        lines = []
        if first is not None and first is not latest:
            lines.append((first.dh_norms, palette.hidden_faint, "hd"))
        if predicted and predicted > 0:
            lines.append((law_line(latest, predicted), palette.baseline, "dot"))
        if measured and measured > 0:
            lines.append((law_line(latest, measured), palette.cell, "dot"))
        lines.append((latest.dh_norms, palette.hidden, "hd"))  # last: drawn on top
        axis = LogAxis.fit([values for values, _, _ in lines])
        for values, colour, marker in lines:
            ks, ys = steps_back(values)
            plt.plot(ks, axis.values(ys), color=colour, marker=marker)
        plt.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (0, max(1, sequence_length(history) - 1))
        plt.xlim(*self.x_range)
