"""The teaching text (live numbers in, English and Japanese out) and the compare view
of several recorded runs."""

from __future__ import annotations

import math
from pathlib import Path

from textual.pilot import Pilot
from ui_support import fixture_path, history_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import Profile
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.help_text import mean_log10, panel_text, teaching_text
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.palette import Palette
from rnn_tui.ui.profiles import share_text
from rnn_tui.ui.screens.compare import CompareScreen
from rnn_tui.ui.screens.help import HelpText
from rnn_tui.ui.sources import ReplaySource
from rnn_tui.ui.views.gates import GatesPlot


def test_teaching_text_fills_live_numbers() -> None:
    rnn, lstm = history_of("rnn-underflow300"), history_of("adding-lstm")
    text = teaching_text([rnn, lstm])
    law = rnn.last_profile.scalars  # type: ignore[union-attr]
    assert f"= **{law['gamma_bound']:.3g}**, the bound" in text
    assert f"give **{law['gamma_product']:.3g}** per step" in text
    assert "it only permits an explosion" in text and "it is 0 from" in text
    assert "Panel 2: lstm" in text and "> 40" in text  # the solved LSTM's cell path
    # The share is of (sequence, unit) pairs, not of units: it said "of the units".
    assert "of the (sequence, unit) pairs of the batch keep" in text
    assert "{" not in text  # every placeholder filled


def test_teaching_text_of_a_log_from_before_the_product() -> None:
    old = history_of("adding-rnn")            # carries gamma_predicted, no product
    predicted = old.last_profile.scalars["gamma_predicted"]  # type: ignore[union-attr]
    text = teaching_text([old])
    assert f"gives {predicted:.3g}: neither the rate" in text and "{" not in text


def test_teaching_text_in_japanese() -> None:
    text = teaching_text([history_of("relu-exploding100", until=1), history_of("gru-adding30")],
                         "ja")
    assert "爆発" in text and "更新ゲート" in text and "{" not in text
    # no stray space between a word and its particle, and no sentence left a fragment
    # ("（実測した勾配に当てはめると 0.443）" said nothing of the 0.443: review)
    assert "**到達範囲** は" not in text and "*積* を" not in text and "になります" in text


def test_teaching_text_before_any_profile() -> None:
    assert "Waiting" in teaching_text([RunHistory()])


def gru_history(held: float, horizon: float, means: list[float] | None = None) -> RunHistory:
    means = [0.9] * 100 if means is None else means
    history = RunHistory(config=RunConfig(cell="gru"))
    history.apply(Profile(step=371, dh_norms=[1.0] * len(means), h_norms=[1.0] * len(means),
                          series={"update_mean": means, "update_hold": [held] * len(means)},
                          scalars={"gamma_h": 0.987, "horizon_h": horizon,
                                   "update_hold_all": held}))
    return history


def test_a_small_share_of_units_holding_is_not_read_as_none() -> None:
    assert [share_text(x) for x in (0.0, 0.0004, 0.004, 0.03, 0.996, 1.0)] == [
        "0%", "< 0.1%", "0.4%", "3%", "> 99%", "100%"]
    text = panel_text(2, gru_history(0.004, math.inf))
    assert "**0.4%**" in text and "averages hide the few units that hold" in text


def test_with_no_unit_holding_the_help_names_no_few_units_that_hold() -> None:
    """A solved GRU: 0 of its pairs hold, its gradient is level (review, 2026-11-30)."""
    for lang in ("en", "ja"):
        text = panel_text(2, gru_history(0.0, math.inf), lang)
        assert "few units that hold" not in text and "少数のユニット" not in text
        assert ("recurrent weights" in text) if lang == "en" else ("再帰重み" in text)
    fading = panel_text(2, gru_history(0.0, 12.0))
    assert "few units" not in fading and "recurrent weights" not in fading


def test_the_gates_caption_says_a_small_share_as_it_is() -> None:
    caption = GatesPlot().caption(gru_history(0.004, math.inf), Palette.from_theme({}, True))
    assert "0.4%" in caption.plain


def test_mean_product_underflows_to_a_number() -> None:
    assert math.isclose(mean_log10([0.5] * 100) or 0, 100 * math.log10(0.5), rel_tol=1e-9)
    assert mean_log10([0.5, 0.0]) == -math.inf and mean_log10([]) is None
    # Past float's range (an LSTM at T = 1000) the help still gives a number, not 0.
    text = panel_text(1, gru_history(0.01, 40.0, means=[0.3] * 1000))
    assert "is only 1.3e-523" in text


def test_compare_three_runs(snap_compare) -> None:
    """A screen of the one app, as `rnn-tui replay A B C` opens it."""
    source = ReplaySource.from_logs([fixture_path(f"lstm-adding{t}") for t in (20, 40, 60)])
    source.log_paths = [Path(p.name) for p in source.log_paths]  # (snapshots path-free)
    compare = CompareScreen(source)
    app = RnnTuiApp(source, first_screen=compare)

    async def shown(pilot: Pilot) -> None:
        await pilot.pause()
        assert app.screen is compare

    assert snap_compare(app, terminal_size=(120, 36), run_before=shown)


async def test_dozens_of_logs_leave_the_plots_on_screen() -> None:
    """`rnn-tui replay runs/*.jsonl` after a session (every restart leaves two logs):
    the legend's 30 lines took the whole 80x24 screen and pushed both plots below it."""
    names = [f"lstm-adding{t}" for t in (20, 40, 60)] * 10
    source = ReplaySource.from_logs([fixture_path(n) for n in names])
    compare = CompareScreen(source)
    app = RnnTuiApp(source, first_screen=compare)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen is compare, "the compare screen shown")
        await pilot.pause()
        for name in ("#compare-loss", "#compare-horizon"):
            region = compare.query_one(name).region
            assert region.height >= 4 and region.bottom <= 24, (name, region)
        box = compare.query_one("#legend-box")
        assert box.max_scroll_y > 0  # the rest of the legend: a scroll away
        # ... and it says so (nothing showed it scrolled), and how many runs it holds
        await wait_for(pilot, lambda: box.border_subtitle == "↑ ↓ scroll", "the hint")
        assert box.border_title == "30 runs"
        # Past ten runs a colour comes again, dotted: run 1 and run 11 told apart.
        from rnn_tui.ui.screens.compare import run_colour, run_marker
        assert run_colour(0) == run_colour(10) and run_marker(0) != run_marker(10)
        box.scroll_end(animate=False)
        await wait_for(pilot, lambda: box.scroll_y == box.max_scroll_y, "the legend scrolled")
        # The hidden panels' keys (1 2 tab v, the replay's scrub) are off, not shown.
        shown = {binding.action for _, binding, enabled, _ in app.active_bindings.values()
                 if enabled}
        assert shown >= {"help", "quit", "screenshot"}, shown
        assert not shown & {"next_panel", "select_panel(0)", "view(1)", "scrub(1)"}, shown
        await pilot.press("question_mark")  # the help tells this screen's story
        await wait_for(pilot, lambda: bool(app.screen.query("#help-teaching")), "?: the help")
        teaching = app.screen.query_one("#help-teaching", HelpText).source
        assert "Recorded runs, overlaid" in teaching and "Panel 1" not in teaching, teaching


def test_the_compare_legend_says_which_runs_diverged_or_failed() -> None:
    # A ReLU RNN at lr=10 that diverged at step 2 read "not solved by step 1".
    from rnn_tui.run.config import RunConfig
    from rnn_tui.run.events import Diverged, RunFailed, RunStarted, Step
    from rnn_tui.ui.screens.compare import legend_text

    histories = []
    for ending in (Diverged(step=2, what="loss", value="nan"),
                   RunFailed(step=2, message="MemoryError"), None):
        history = RunHistory()
        history.apply(RunStarted(config=RunConfig(cell="relu").to_dict(), seed=0,
                                 baseline_loss=1 / 6))
        history.apply(Step(step=1, loss=1.0, metric=0.0, grad_norm=1.0, seconds=0.01))
        if ending is not None:
            history.apply(ending)
        histories.append(history)
    lines = legend_text(histories, [Path(f"{n}.jsonl") for n in "abc"]).plain.splitlines()
    assert "diverged at step 2 ·" in lines[0]
    assert "failed at step 2 ·" in lines[1]
    assert "not solved by step 1 ·" in lines[2]


def test_the_compare_legend_tells_runs_apart_by_their_seed() -> None:
    # Enter on an entry of a sweep's map overlays its seeds: three legend lines read
    # "rnn adding T=5 H=16 lr=0.01  solved @234 · ...", the seed only in the log's name,
    # cut off at 80 columns.
    from rnn_tui.run.config import RunConfig
    from rnn_tui.run.events import RunStarted
    from rnn_tui.ui.screens.compare import legend_text

    histories = []
    for seed in (0, 1):
        history = RunHistory()
        history.apply(RunStarted(config=RunConfig(cell="rnn", seed=seed).to_dict(),
                                 seed=seed, baseline_loss=1 / 6))
        histories.append(history)
    lines = legend_text(histories, [Path("a.jsonl"), Path("b.jsonl")]).plain.splitlines()
    assert [line.split("  ")[0].split()[-1] for line in lines] == ["seed=0", "seed=1"], lines
