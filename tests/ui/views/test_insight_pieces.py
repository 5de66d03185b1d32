"""The small functions under the views: the heatmap's fixed scale and row choice, the
law's line, and the horizon's words."""

from __future__ import annotations

import math

import pytest

from rnn_tui.run.events import Profile
from rnn_tui.ui.profiles import (
    horizon_text,
    law_rate,
    memory_series,
    rate_horizon,
    underflow_back,
)
from rnn_tui.ui.registry import next_view
from rnn_tui.ui.views.heatmap import (
    RAMP,
    ZERO,
    GradientHeatmap,
    heatmap_lines,
    norm_colour,
    pick_rows,
    ramp_colour,
)
from rnn_tui.ui.views.law import end_to_end, normalised, power_line


def profile(step: int, dh: list[float], **series: list[float]) -> Profile:
    return Profile(step=step, dh_norms=dh, h_norms=[1.0] * len(dh), series=series)


def test_scale_is_fixed_and_zero_is_off_the_ramp() -> None:
    assert norm_colour(1e-30) == RAMP[0] and norm_colour(1e30) == RAMP[-1]  # clamped
    assert norm_colour(0.0) == ZERO and norm_colour(float("nan")) == ZERO
    assert ZERO not in {ramp_colour(i / 100) for i in range(101)}
    assert norm_colour(1e-10) != norm_colour(1e-2)


def test_rows_fill_the_height_and_keep_first_and_latest() -> None:
    runs = [profile(s, [1.0]) for s in range(100)]
    chosen = pick_rows(runs, 10)
    assert len(chosen) == 10 and chosen[0].step == 0 and chosen[-1].step == 99
    few = pick_rows(runs[:3], 12)
    assert len(few) == 12 and [p.step for p in few[::4]] == [0, 1, 2]


def test_heatmap_draws_the_lstm_cell_path() -> None:
    lstm = profile(5, [1e-3] * 8, dc_norms=[0.0] * 4 + [1e-2] * 4)
    assert memory_series(lstm)[0] == "‖∂L/∂c_t‖"
    lines = heatmap_lines([lstm], width=40, height=6, faint=(128, 128, 128), paper=(0, 0, 0))
    text = "\n".join(line.text for line in lines)
    assert "t=7 → loss" in text and "= 0" in text
    assert len(lines) == 6 and all(line.cell_length == 40 for line in lines)


def test_the_heatmap_names_its_series_only_once_a_profile_says_which() -> None:
    """An LSTM's flow view maps its cell path: before its first profile the caption
    names no series (it once said ‖∂L/∂h_t‖ there, then switched to c)."""
    from rnn_tui.run.config import RunConfig
    from rnn_tui.ui.history import RunHistory
    from rnn_tui.ui.palette import Palette

    history, palette = RunHistory(config=RunConfig(cell="lstm")), Palette.from_theme({}, True)
    assert "∂L/∂" not in GradientHeatmap().caption(history, palette).plain
    history.apply(profile(5, [1e-3] * 8, dc_norms=[1e-2] * 8))
    assert "log10 ‖∂L/∂c_t‖" in GradientHeatmap().caption(history, palette).plain


def test_the_heatmap_remembers_rows_but_never_shows_a_stale_one() -> None:
    """Rows kept by profile and width: the same lines as colouring every row afresh,
    as profiles come and the width changes."""
    heatmap = GradientHeatmap()
    runs = [profile(s, [10.0 ** -(s * k % 30) for k in range(12)]) for s in range(40)]
    for n, width in [(5, 40), (20, 40), (40, 40), (40, 60), (40, 40)]:
        kwargs = {"width": width, "height": 12, "faint": (128, 128, 128), "paper": (0, 0, 0)}
        remembered = heatmap_lines(runs[:n], colours=heatmap.remembered_row, **kwargs)
        assert remembered == heatmap_lines(runs[:n], **kwargs), (n, width)
    later = profile(99, [0.0] * 12)  # a new object, though other profiles were seen
    row = heatmap.remembered_row(later, 10)
    assert row == [ZERO] * 10 and heatmap.remembered_row(later, 10) is row
    heatmap.forget_all_but([runs[-1], later])  # the others were thinned out of the history
    assert {kept[0].step for kept in heatmap.rows.values()} == {39, 99}


def test_law_lines_start_at_the_loss() -> None:
    grows = profile(1, [8.0, 4.0, 2.0, 1.0])  # doubles going back
    assert end_to_end(grows.dh_norms) == 8.0
    assert normalised([0.0, 3.0, 6.0]) == [0.0, 0.5, 1.0]
    assert all(math.isclose(a, b) for a, b in zip(power_line(2.0, 4), grows.dh_norms,
                                                  strict=True))
    assert all(v > 0 and math.isfinite(v) for v in power_line(1e-9, 400))  # no 0 on a log axis
    assert underflow_back([0.0, 0.0, 1e-30, 1.0]) == 2 and underflow_back([1.0, 2.0]) is None


def test_the_law_table_keeps_its_numbers_whole_in_an_80_column_panel() -> None:
    """At 80x24 a panel's table has 36 columns: a live run's numbers (T=100, every
    scalar set) fit whole, labels and all (once they were cut: "σ' mean/RMS… 0.9/0…")."""
    from rich.console import Console

    from rnn_tui.run.config import RunConfig
    from rnn_tui.ui.history import RunHistory
    from rnn_tui.ui.views.law import law_table

    scalars = {"dsigma_mean": 0.9137, "dsigma_rms": 0.9321, "dsigma_max": 0.9999,
               "rho_W": 1.0412, "sigma_max_W": 1.8934, "gamma_bound": 1.8932,
               "gamma_product": 0.83125, "gamma_h": 0.84271}
    history = RunHistory(config=RunConfig(cell="rnn", seq_len=100))
    for step in (1, 3146):
        history.apply(Profile(step=step, dh_norms=[1e-3 * 0.9 ** k for k in range(100)],
                              h_norms=[1.0] * 100, scalars=scalars))
    console = Console(width=36, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(law_table(history, narrow=True))
    text = console.export_text()
    assert "…" not in text and "99 back: ∏" in text and "σ' max" in text, text


def test_the_rate_is_the_products_and_old_logs_fall_back_to_the_fit() -> None:
    new = Profile(step=1, dh_norms=[1.0], h_norms=[1.0],
                  scalars={"gamma_h": 0.5, "gamma_product": 0.4, "gamma_meanfield": 0.9})
    old = Profile(step=1, dh_norms=[1.0], h_norms=[1.0],
                  scalars={"gamma_h": 0.5, "gamma_predicted": 0.9})
    assert law_rate(new) == (0.4, "product") and law_rate(old) == (0.5, "fit")
    assert rate_horizon(0.1, 100) == pytest.approx(2.0) and math.isinf(rate_horizon(0.999, 100))


def test_words() -> None:
    assert horizon_text(math.inf, 100) == "> 100" and horizon_text(23.4) == "24 steps"


@pytest.mark.parametrize("gamma", [0.0272, 0.157, 0.5, 0.9, 0.99, 0.005])
def test_the_horizon_said_is_a_number_of_steps_after_which_the_gradient_is_100x_smaller(
        gamma) -> None:
    # "100x smaller after n steps back" is said with n from horizon_text: it must hold,
    # and n - 1 steps must not already do it (γ = 0.0272 was said as 1 step: only 37x).
    n = int(horizon_text(rate_horizon(gamma, 1000)).split()[0])
    assert gamma ** n <= 0.01 < gamma ** (n - 1)
    assert next_view("plots") == "flow" and next_view("why") == "plots"
    assert next_view("plots", -1) == "why"


def test_a_growth_factor_reads_as_a_number() -> None:
    # "the gradient GROWS going back (x2.9e+02 over the sequence)"
    from rnn_tui.ui.views.law import times

    assert [times(x) for x in (2.8, 290.3, 12345.6, 2.9e7)] == ["2.8", "290", "12346",
                                                                "2.9e+07"]


def test_the_helps_bound_multiplies_out_as_written() -> None:
    """It read "σ_max(W) · max σ' = 6.64 × 1 = 6.63" (max σ' 0.9998 rounded to 1)."""
    from rnn_tui.run.config import RunConfig
    from rnn_tui.ui.help_text import panel_text
    from rnn_tui.ui.history import RunHistory

    history = RunHistory(config=RunConfig(cell="rnn", seq_len=100))
    history.apply(Profile(step=5, dh_norms=[0.9 ** k for k in range(100)], h_norms=[1.0] * 100,
                          scalars={"sigma_max_W": 6.6352, "dsigma_max": 0.99981,
                                   "gamma_bound": 6.6339, "gamma_product": 0.5,
                                   "gamma_h": 0.5, "rho_W": 1.2, "dsigma_mean": 0.6}))
    for lang in ("en", "ja"):
        assert "6.635 × 0.9998 = **6.63**" in panel_text(0, history, lang)


def test_the_maps_axis_line_never_runs_its_labels_together() -> None:
    """Four panels in 80 columns read "step t=0t=99 → │"."""
    from rnn_tui.ui.views.heatmap import axis_line

    wide = axis_line(100, 60)
    assert len(wide) == 60 and wide.startswith("  step t=0 ") and wide.endswith("t=99 → loss")
    for width in range(1, 60):
        line = axis_line(100, width)
        assert len(line) <= width, (width, line)
        if "t=99" in line:  # (the two labels a space apart at least)
            assert line.index("t=99") >= line.index("t=0") + 4, line
        assert line.endswith(("t=99 → loss", "t=99", "t=0")) or width < 10, line


def test_a_power_past_floats_range_is_a_number_not_zero() -> None:
    # The law table read "999 steps back: product 0" for 0.298^999 (1e-526).
    from rnn_tui.ui.profiles import power_text

    assert power_text(999 * math.log10(0.298)) == "5.5e-526"
    assert power_text(219 * math.log10(0.057879)) == "9.8e-272"
    assert power_text(99 * math.log10(0.9753)) == "0.084"
    assert power_text(-math.inf) == "0" and power_text(-300.0000001) == "1e-300"


def test_the_help_and_the_law_view_call_the_same_growth_the_same() -> None:
    """A ReLU RNN's x380 was "grows a little; W sits at the edge" in the help beside the
    law view's "GROWS", and an LSTM's cell path (no W) got the same words (review)."""
    from rnn_tui.ui.help_text import _verdict

    for gamma, explodes in ((1.06, False), (1.08, True), (1.03, False)):
        for lang in ("en", "ja"):
            words, _ = _verdict(lang, gamma, math.inf, 100)
            assert "W" not in words and "edge" not in words
            assert (("explodes" in words) if lang == "en" else ("爆発" in words)) == explodes
            times = ("x{}" if lang == "en" else "{} 倍").format  # (x7.9 is not Japanese)
            assert times(f"{gamma ** 99:.0f}") in words or times(f"{gamma ** 99:.2g}") in words


def test_a_bound_of_one_is_said_to_permit_no_growth() -> None:
    from rnn_tui.ui.views.law import bound_words

    assert bound_words(1.000000035) == "1: no growth is possible, nor is vanishing guaranteed"
    assert "guaranteed" in bound_words(0.99) and "permits growth" in bound_words(1.01)


def test_the_law_table_heads_both_columns_while_waiting() -> None:
    from rnn_tui.ui.history import RunHistory
    from rnn_tui.ui.views.law import law_table

    table = law_table(RunHistory())
    assert [str(c.header) for c in table.columns[1:]] == ["step 1", "now"]
