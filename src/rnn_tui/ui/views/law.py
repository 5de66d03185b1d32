"""The note's law, told true (simple RNNs: rnn, relu, irnn).

Going back one step multiplies the gradient by Wᵀ·diag(σ'_t). The note's argument is an
inequality: no step can stretch it by more than σ_max(W)·max σ' (the bound). Below 1 the
bound guarantees that the gradient vanishes; above 1 it only permits an explosion. The
rate the model actually has is the product's: the same chain of factors applied to
probe vectors (engine/jacobian.py). The plot draws the measured ‖∂L/∂h_t‖ normalised at
the loss, the product's γ^k, and the bound's γ^k, an envelope the measurement never
crosses; the table gives the numbers behind them; the verdict reads the product.

Logs written before the product existed carry `gamma_predicted` (mean σ'·ρ(W)): they
still replay, with the measured fit standing in for the product and no bound.
"""

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
from ..profiles import (
    EXPLODES,
    GROWS,
    growth,
    horizon_text,
    law_rate,
    loss_start,
    power_text,
    rate_horizon,
    scalar,
    sequence_length,
    steps_back_label,
    times,
    underflow_back,
)

ABOVE_DATA = 2  # decades the bound's envelope may rise above the data before it leaves
BOUND_AT_ONE = 1e-6  # a bound this close to 1 is 1 (float32's σ_max of an orthogonal W)


def normalised(values: Sequence[float]) -> list[float]:
    """A gradient profile divided by its value at the loss (the last step)."""
    at_loss = values[-1] if values else 0.0
    return [v / at_loss if at_loss > 0 else 0.0 for v in values]


def power_line(gamma: float, n: int) -> list[float]:
    """γ^k at each timestep t of a profile of length n (k = n-1-t steps back), kept
    finite and positive for a log axis (1e-300 ... 1e300)."""
    if gamma <= 0:
        return [1.0] + [1e-300] * (n - 1) if n else []
    log_gamma = math.log10(gamma)
    return [10 ** max(-300.0, min(300.0, (n - 1 - t) * log_gamma)) for t in range(n)]


def from_start(powers: list[float], at_start: float) -> list[float]:
    """γ^k from L's first term back (t = 0 .. start), scaled to the measured value there
    (1 where L is the loss at the end): positive, for the log axis."""
    scale = at_start if at_start > 0 else 1.0
    return [max(1e-300, p * scale) for p in powers]


def end_to_end(values: Sequence[float]) -> float | None:
    """How much the gradient changed from the loss back to t = 0."""
    if len(values) < 2 or not values[-1] > 0:
        return None
    return values[0] / values[-1]


def fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


# (long label, short label, scalar): the numbers under the law, then the three factors.
ROWS = (("ρ(W) spectral radius", "ρ(W)", "rho_W"),
        ("σ_max(W) largest s.v.", "σ_max(W)", "sigma_max_W"),
        ("bound σ_max·max σ'", "bound", "gamma_bound"),
        ("product ∏σ'·W", "product", "gamma_product"),
        ("measured (fit)", "measured", "gamma_h"))


def slopes(profile: Profile | None) -> str:
    """mean / RMS / max σ' in one cell."""
    values = [scalar(profile, f"dsigma_{name}") for name in ("mean", "rms", "max")]
    return "/".join(fmt(v, 2) for v in values) if values[0] is not None else "–"


def law_table(history: RunHistory, narrow: bool = False) -> Table:
    """The law's numbers at step 1 and now, then what they mean over the sequence (short
    labels in a narrow panel, so the numbers keep their room)."""
    first, latest = history.first_profile, history.last_profile
    seq_len = sequence_length(history)
    table = Table(box=None, show_header=True, padding=(0, 1), header_style="dim",
                  pad_edge=not narrow)  # (narrow: the two edge cells' room to the numbers)
    table.add_column("" if narrow else "per step back", no_wrap=True)
    # ("step 1" even before it comes: a blank header read as "now" over "–  –")
    table.add_column("step 1", justify="right", no_wrap=True)
    table.add_column(f"step {latest.step}" if latest else "now", justify="right",
                     style="bold", no_wrap=True)
    if narrow:  # (three numbers in one cell took the room of the others at 80 columns)
        for name in ("mean", "max"):
            table.add_row(f"σ' {name}", fmt(scalar(first, f"dsigma_{name}"), 2),
                          fmt(scalar(latest, f"dsigma_{name}"), 2))
    else:
        table.add_row("σ' mean / RMS / max", slopes(first), slopes(latest))
    for long, short, name in ROWS:
        table.add_row(short if narrow else long, fmt(scalar(first, name)),
                      fmt(scalar(latest, name)))
    if latest is None:
        return table
    # From L's first term back to t = 0 (on copy, from the recall's first step: inside
    # the recall each of its terms adds its own share).
    back = min(loss_start(history), seq_len - 1)
    steps = f"{back} steps back" if back == seq_len - 1 else f"{back} steps before the recall"
    gamma, source = law_rate(history.last_profile)
    # (narrow: "99 back: product" beside "from 33 back" did not fit an 80-column panel)
    short = "∏" if source == "product" else source
    table.add_row(f"{back} back: {short}" if narrow else f"{steps}: {source}", "",
                  power_text(back * math.log10(gamma)) if gamma else "–")
    zero = underflow_back(latest.dh_norms)
    if zero is None:
        table.add_row(f"{back} back: seen" if narrow else f"{steps}: measured",
                      "", fmt(end_to_end(latest.dh_norms[:back + 1]), 2))
    else:  # float32 flushed it: the product above still gives the rate
        table.add_row("measured = 0" if narrow else "measured is 0", "",
                      f"from {zero} back", style="red")
    return table


def verdict(history: RunHistory) -> Text:
    """What the product says (grow, hold, fade), then what the bound can and cannot say."""
    latest = history.last_profile
    gamma, source = law_rate(history.last_profile)
    if latest is None or gamma is None:
        return Text("waiting for the first profile…", "dim")
    seq_len = sequence_length(history)
    name = "product γ" if source == "product" else "γ (fit, old log)"
    if gamma > GROWS:
        grown = growth(gamma, seq_len)
        exploding = grown > EXPLODES
        line = Text(f"{name} = {gamma:.3g} > 1: the gradient GROWS going back "
                    f"(x{times(grown)} over the sequence)"
                    + (": it explodes" if exploding else ""),
                    "bold red" if exploding else "bold")
    else:
        horizon = rate_horizon(gamma, seq_len)
        if math.isinf(horizon):
            line = Text(f"{name} = {gamma:.3g}: the gradient reaches the start of the "
                        "sequence", "bold")
        else:
            line = Text(f"{name} = {gamma:.3g} < 1: 100x smaller after "
                        f"{horizon_text(horizon)} back: it forgets", "bold")
    bound = scalar(latest, "gamma_bound")
    if bound is not None:
        line.append("\nbound ", "dim")
        line.append(bound_words(bound), "dim")
    return line


def bound_words(bound: float) -> str:
    """What the bound says. At 1 (an orthogonal W at init, tanh: 1.000000035 in float32)
    it lets nothing grow and guarantees nothing: "1 ≥ 1: permits growth" was untrue."""
    if bound < 1 - BOUND_AT_ONE:
        return f"{bound:.3g} < 1: vanishing is guaranteed"
    if bound <= 1 + BOUND_AT_ONE:
        return f"{bound:.3g}: no growth is possible, nor is vanishing guaranteed"
    return f"{bound:.3g} > 1: permits growth, does not force it"


class LawTable(TextFigure):
    """The law's numbers for a simple RNN, first profile beside latest, under a verdict."""

    def build(self, history: RunHistory, palette: Palette, width: int, height: int) -> Table:
        outer = Table.grid()
        outer.add_row(verdict(history))
        if width >= 30:  # (four panels in 80 columns: the numbers were cut, "bound 1  1.…")
            outer.add_row(law_table(history, narrow=width < 50))
        return outer

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        # (It said "the note's law": a student has no note. The bound: the table's row.)
        return self.fitting(
            Text.assemble(("the bound", "bold"),
                          (" is an inequality; the product is the rate", "dim")),
            Text.assemble(("bound", "bold"), (": an inequality; ", "dim"),
                          ("product", "bold"), (": the rate", "dim")),
            Text.assemble(("the product is the rate", "dim")),
            Text.assemble(("product = rate", "dim")))  # (four panels in 80 columns)


class LawPlot(PlotFigure):
    """Latest ‖∂L/∂h_t‖ (÷ its value at the loss) against steps back, beside the
    product's γ^k and the bound's γ^k."""

    def caption(self, history: RunHistory, palette: Palette) -> Text:
        latest = history.last_profile

        def legend(power: str) -> list[Text]:
            parts = [swatch(palette.hidden, "measured")]
            if scalar(latest, "gamma_product") is not None:
                parts.append(swatch(palette.loss, f"product{power}", "┄┄"))
            elif scalar(latest, "gamma_h") is not None:
                parts.append(swatch(palette.loss, f"fit{power}", "┄┄"))
            if scalar(latest, "gamma_bound") is not None:
                parts.append(swatch(palette.zero, f"bound{power}", "┄┄"))
            return parts

        title = Text("‖∂L/∂h_t‖ ÷ at loss ", "bold")
        return self.fitting(Text.assemble(title, *legend(" γ^k")),
                            Text.assemble(title, *legend("")), Text.assemble(*legend("")))

    def draw(self, history: RunHistory, palette: Palette) -> None:
        canvas = self.canvas
        latest = history.last_profile
        self.x_label = steps_back_label(history)
        if latest is None or not latest.dh_norms:
            canvas.xlim(0, 1)
            return
        n = len(latest.dh_norms)
        measured = normalised(latest.dh_norms)
        # The powers start where L's first term is (on copy, the recall's first step, 9
        # back): from there back the gradient only flows back, and the bound caps each
        # step; inside the recall each term adds its own share, which no bound limits.
        start = min(loss_start(history), n - 1)
        gamma, _ = law_rate(history.last_profile)
        lines = [(from_start(power_line(gamma, start + 1), measured[start]), palette.loss,
                  "dot")] if gamma else []
        lines.append((measured, palette.hidden, "hd"))  # last: drawn on top
        axis = LogAxis.fit([values for values, _, _ in lines])
        bound = scalar(latest, "gamma_bound")
        if bound:  # the envelope, as far as it stays near the data
            envelope = from_start(power_line(bound, start + 1), measured[start])
            axis = LogAxis(axis.low, max(axis.high, min(axis.high + ABOVE_DATA,
                                                         math.ceil(math.log10(envelope[0])))),
                           axis.zero_row)
            kept = [(n - 1 - t, y) for t, y in enumerate(axis.values(envelope))
                    if axis.bottom <= y <= axis.high]
            canvas.plot([k for k, _ in kept], [y for _, y in kept], color=palette.zero,
                     marker="dot")
        for values, colour, marker in lines:
            ks = [n - 1 - t for t in range(len(values))]
            canvas.plot(ks, axis.values(values), color=colour, marker=marker)
        canvas.ylim(axis.bottom, axis.high)
        self.log_axis, self.x_range = axis, (0, max(1, n - 1))
        canvas.xlim(*self.x_range)
