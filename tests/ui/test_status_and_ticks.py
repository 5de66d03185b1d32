"""The panel's numbers line gives way label by label, never the solved milestone; linear
axes tick at 1, 2 or 5 times a power of ten (issue 11 item 5); the gradient caption of an
underflowed RNN and the LSTM's horizon caption fit a half-width panel."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from ui_support import ScriptedSource, replay_of

from rnn_tui.run.config import RunConfig
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.axes import LogAxis, nice_ticks, round_ticks, tick_label
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.palette import Palette
from rnn_tui.ui.views.gates import GatesPlot
from rnn_tui.ui.views.horizon import HorizonPlot
from rnn_tui.ui.views.plots import GradientPlot
from rnn_tui.ui.widgets.panel import numbers_line, rate_text, status_text


def solved_lstm() -> RunHistory:
    history = RunHistory(config=RunConfig(cell="lstm"))
    for _, event in replay_of("adding-lstm").until(600):
        history.apply(event)
    assert history.solved is not None  # the fixture's LSTM solves
    return history


def test_solved_stays_at_every_width() -> None:
    history = solved_lstm()
    solved = f"solved @{history.solved[0]}"  # type: ignore[index]
    # Down to the milestone's own width (four panels in 80 columns read "0.00318  solved…").
    for width in range(len(solved), 100):
        line = numbers_line(history, width)
        assert solved in line.plain, f"width {width}: {line.plain!r}"
        assert line.cell_len <= width, f"width {width} overflows"
    assert "beat baseline @" in numbers_line(history, 100).plain  # wide: the long labels
    # Three panels in 80 columns: "0.00575  solved @280", a bare number, read as nothing.
    tight = len(f"loss {history.smoothed_loss:.3g}  {solved}") - 1
    assert numbers_line(history, tight).plain.startswith("L ")
    assert status_text(history, 36).plain.splitlines()[1].rstrip().endswith(solved)


def test_round_linear_ticks() -> None:
    assert round_ticks(0, 2.61, 3) == [0, 1, 2]
    assert round_ticks(0, 5.6, 4) == [0, 2, 4]
    assert round_ticks(0, 11.3, 6) == [0, 2, 4, 6, 8, 10]
    assert round_ticks(0, 0.3, 3) == [0, 0.1, 0.2, 0.3]
    for ticks in (round_ticks(0, 97.0, 5), round_ticks(1.5, 11.3, 4)):
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
        assert round(mantissa, 9) in (1, 2, 5), ticks
    assert [tick_label(t) for t in (0.0, 2.0, 0.5)] == ["0", "2", "0.5"]


@given(low=st.integers(0, 10_000), span=st.integers(1, 100_000), count=st.integers(2, 12))
def test_a_training_step_axis_always_gets_two_round_ticks(low: int, span: int,
                                                          count: int) -> None:
    """Steps 1 to 4848 at two ticks once got a step of 5000 and no tick at all (the
    80x24 loss plot's x axis went blank)."""
    ticks = nice_ticks(low, low + span, count)
    assert len(ticks) >= 2 and all(low <= t <= low + span for t in ticks), ticks
    step = ticks[1] - ticks[0]
    assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))
    assert str(step).strip("0") in ("1", "2", "5"), step


def test_underflow_caption_fits_a_half_width_panel() -> None:
    """At 160 columns a panel holds 76 cells of caption (80 less border and padding); the
    screenshots once showed "x: = 0 (underflow) from 43 b…", the number cut off."""
    history = RunHistory(config=RunConfig(cell="rnn"))
    source = replay_of("rnn-underflow300")
    for _, event in source.until(source.last_step):
        history.apply(event)
    plot = GradientPlot()
    plot.strips_size = (78, 20)  # (a half-width panel's figure: 76 cells of caption)
    caption = plot.caption(history, Palette.from_theme({}, dark=True))
    assert "underflow from" in caption.plain
    digits_to_spare = 5 - len(str(history.last_profile.step))  # type: ignore[union-attr]
    assert caption.cell_len + digits_to_spare <= 76, caption.plain
    # Narrower (80 columns), the note shortens before it is cut: "x: 0 from 76".
    plot.strips_size = (38, 10)
    narrow = plot.caption(history, Palette.from_theme({}, dark=True))
    assert narrow.cell_len <= 36 and re.search(r"x: 0 from \d+$", narrow.plain.rstrip())


def test_lstm_horizon_caption_fits_a_half_width_panel() -> None:
    """Both series with two-digit horizons ("γ=0.871 → 33 steps") in 76 cells; the
    screenshots once showed "… → 33 s…"."""
    history = RunHistory(config=RunConfig(cell="lstm"))
    for _, event in replay_of("adding-lstm").until(100):  # before it solves: finite horizons
        history.apply(event)
    plot = HorizonPlot()
    plot.strips_size = (78, 20)  # (a half-width panel's figure: 76 cells of caption)
    caption = plot.caption(history, Palette.from_theme({}, dark=True)).plain
    assert caption.count("γ=") == 2 and caption.count(" steps") == 2, caption
    assert len(caption.rstrip()) <= 76, caption
    # At 80 columns the cell path's horizon was the part cut off: γ goes first.
    plot.strips_size = (38, 10)
    narrow = plot.caption(history, Palette.from_theme({}, dark=True)).plain
    assert "∂c → 23 steps" in narrow and len(narrow.rstrip()) <= 36, narrow


def test_a_gated_cell_without_a_profile_yet_is_waiting_not_gateless() -> None:
    """Right after `c` restarts a panel as an LSTM, until its first profile comes."""
    palette = Palette.from_theme({}, dark=True)
    fresh = RunHistory(config=RunConfig(cell="lstm"))
    assert "waiting for the first profile" in GatesPlot().caption(fresh, palette).plain
    rnn = RunHistory(config=RunConfig(cell="rnn"))
    for _, event in replay_of("adding-rnn").until(100):
        rnn.apply(event)
    assert "this cell has none" in GatesPlot().caption(rnn, palette).plain


@given(low=st.integers(-40, 3), span=st.integers(1, 45), zeros=st.booleans(),
       rows=st.integers(3, 60))
def test_log_ticks_leave_a_row_between_labels(low: int, span: int, zeros: bool,
                                              rows: int) -> None:
    """Mapped to rows as a plot maps them (linearly, rounded), two decade labels never
    land on neighbouring rows; the labels are round (every k-th decade for k in 1, 2, 3,
    5, 10, ...) but for the top one; at least one decade is labelled, and so is 0."""
    axis = LogAxis(low, low + span, low - 1.0 if zeros else None)
    ticks, labels = axis.ticks(rows)
    scale = (rows - 1) / (axis.high - axis.bottom)
    at = sorted(round((t - axis.bottom) * scale) for t in ticks)
    assert all(b - a >= 2 for a, b in zip(at, at[1:], strict=False)), (ticks, rows)
    decades = [int(t) for t in ticks if t != axis.zero_row]
    assert (("0" in labels) == zeros) and (decades or zeros)
    if (axis.high - axis.low) * scale >= 2:  # room for two labels: never just one
        assert len(ticks) >= 2, (ticks, rows)
    steps = {a - b for a, b in zip(decades[1:], decades[2:], strict=False)}
    assert len(steps) <= 1 and all(d % step == 0 for step in steps for d in decades[1:])


async def test_no_two_y_labels_on_neighbouring_rows_of_the_real_plots() -> None:
    """The gradient plot of an underflowed RNN spans 20 decades and a zero row: its
    labels once read "1e-7" and "1e-10" on neighbouring rows."""
    source = replay_of("rnn-underflow300")
    for height in (40, 24):
        app = RnnTuiApp(ScriptedSource(source.configs))
        async with app.run_test(size=(160, height)) as pilot:
            app.apply(source.until(source.last_step))
            app.redraw(force=True)
            await pilot.pause()
            for plot in app.query(GradientPlot):
                lines = [plot.render_line(y).text for y in range(plot.size.height)]
                rows = [i for i, line in enumerate(lines)
                        if re.match(r"\s*(1e-?\d+|0\.1|1|10|0)\s*┤", line)]
                assert len(rows) >= 3, lines  # (the decades and the zero row, labelled)
                assert all(b - a >= 2 for a, b in zip(rows, rows[1:], strict=False)), rows


def test_a_speed_is_shown_only_while_the_run_trains() -> None:
    history = RunHistory(config=RunConfig(cell="lstm"))
    for _, event in replay_of("adding-lstm").until(300):
        history.apply(event)
    assert history.state == "running" and "/s running" in status_text(history).plain
    finished = solved_lstm()
    assert finished.state == "finished"
    # "0/s finished" read as a run that never moved.
    assert "/s" not in status_text(finished).plain.splitlines()[0]


def test_a_slow_run_reads_as_moving() -> None:
    """An LSTM at T=1000 read "step 7 · 0/s running", as if stalled."""
    from rnn_tui.run.events import RunStarted, Step

    history = RunHistory(config=RunConfig(cell="lstm", seq_len=1000))
    history.apply(RunStarted(config=history.config.to_dict(), seed=0, baseline_loss=1 / 6))
    for step in range(1, 8):
        history.apply(Step(step=step, loss=0.2, metric=0.0, grad_norm=1.0, seconds=2.5 * step))
    assert "step 7 · 0.4/s running" in status_text(history).plain
    assert [rate_text(v) for v in (0.0, 0.43, 2.46, 9.4, 9.6, 55.4)] == [
        "0", "0.43", "2.5", "9.4", "10", "55"]


def test_the_state_line_is_the_longest_form_that_fits() -> None:
    # relu-exploding at 120x40 read "RELU lr=0.0001 · @149 · 47/s running" in a 56-cell
    # panel: H= and the preset's point, W×1.5, were dropped below a fixed 64 cells.
    history = RunHistory()
    for _, event in replay_of("adding-lstm").until(300):
        history.apply(event)
    history.config = RunConfig(cell="relu", hidden_size=128, lr=1e-4, recurrent_scale=1.5)
    assert history.state == "running"
    speed = f"{history.steps_per_second:.0f}/s"
    full = f"ReLU H=128 lr=0.0001 W×1.5 · step 300 · {speed} running"
    assert status_text(history, len(full)).plain.splitlines()[0] == full
    forms = [status_text(history, width).plain.splitlines()[0] for width in range(20, 80)]
    assert all(len(line) <= max(width, 8) for line, width in zip(forms, range(20, 80), strict=True))
    assert "ReLU lr=0.0001 W×1.5 · step 300 · " in forms[len(full) - 1 - 20]  # H= goes first
    assert "ReLU lr=0.0001 W×1.5 · @300 · running" in forms  # then the step, the speed
    # The scale stays longer than the speed and the state do (the header says the state).
    assert not any("W×1.5" not in f and ("/s" in f or "running" in f) for f in forms)
    assert "ReLU lr=0.0001 W×1.5 · @300" in forms


def test_narrow_gates_and_law_captions_keep_what_they_are_for() -> None:
    # At 80 columns the GRU's caption lost its share of units ("whole sequence…"), and at
    # 120 the law plot's never named its second dashed line, the bound.
    from rnn_tui.ui.views.law import LawPlot

    palette = Palette.from_theme({}, dark=True)
    gru = RunHistory(config=RunConfig(cell="gru"))
    source = replay_of("gru-adding30")
    for _, event in source.until(source.last_step):
        gru.apply(event)
    gates = GatesPlot()
    gates.strips_size = (38, 10)
    caption = gates.caption(gru, palette).plain.rstrip()
    assert re.search(r"Πz > 0\.1 over T: \d+%", caption) and len(caption) <= 36, caption
    rnn = RunHistory(config=RunConfig(cell="relu"))
    source = replay_of("relu-exploding600")
    for _, event in source.until(source.last_step):
        rnn.apply(event)
    law = LawPlot()
    for width in (56, 38):
        law.strips_size = (width, 10)
        caption = law.caption(rnn, palette).plain.rstrip()
        assert "bound" in caption and len(caption) <= width - 2, caption
