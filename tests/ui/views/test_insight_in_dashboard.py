"""The insight views inside the dashboard: the `v` key cycles the selected panel's
view, the "why" view follows the panel's cell (law for rnn, gates for lstm), and the
help screen carries the teaching text with live numbers (in Japanese with lang="ja")."""

from __future__ import annotations

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from ui_support import ScriptedSource, replay_of, wait_for

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import Profile, RunStarted, Step
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.help_text import panel_text
from rnn_tui.ui.screens.help import HelpText
from rnn_tui.ui.views.heatmap import GradientHeatmap
from rnn_tui.ui.views.horizon import HorizonPlot
from rnn_tui.ui.widgets.panel import ModelPanel, PanelStatus


async def settle(pilot: Pilot) -> None:
    """Redraw twice: the first may change which figures show (the panel's cell), and
    the layout settles before the second."""
    for _ in range(2):
        await pilot.pause()
        pilot.app.redraw(force=True)  # type: ignore[attr-defined]
    await pilot.pause()


async def test_view_key_cycles_the_selected_panel() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        left, right = app.query_one("#panel-0", ModelPanel), app.query_one("#panel-1", ModelPanel)
        # Each key is waited for (a press can return before its binding ran, under
        # load), then the figures are drawn for the view it chose.
        await pilot.press("v")
        await wait_for(pilot, lambda: left.view == "flow", "v: the left panel to show flow")
        await settle(pilot)
        assert right.view == "plots"
        heatmap = left.query_one(GradientHeatmap)
        assert heatmap.shown_key[1] == app.histories[0].profile_version  # drawn
        await pilot.press("v")
        await wait_for(pilot, lambda: left.view == "why", "v again: the left panel's why")
        await settle(pilot)
        assert left.query_one(".figure.law-table").display
        assert not left.query_one(".figure.gates").display
        await pilot.press("2")
        await wait_for(pilot, lambda: app.selected == 1, "2: the right panel selected")
        await pilot.press("v")
        await wait_for(pilot, lambda: right.view == "flow", "v: the right panel to show flow")
        await pilot.press("v")
        await wait_for(pilot, lambda: right.view == "why", "v again: the right panel's why")
        await settle(pilot)
        assert right.query_one(".figure.gates").display
        await pilot.press("v")
        await wait_for(pilot, lambda: right.view == "plots", "v: the right panel back to plots")
        assert left.view == "why"


async def test_help_teaches_with_live_numbers_in_japanese() -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"), lang="ja")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: bool(app.screen.query("#help-teaching")), "?: the help")
        teaching = app.screen.query_one("#help-teaching", HelpText)
        rho = app.histories[0].last_profile.scalars["rho_W"]  # type: ignore[union-attr]
        assert "忘れ" in teaching.source and f"{rho:.3g}" in teaching.source


def test_dashboard_why_views(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))

    async def why_both(pilot: Pilot) -> None:
        await pilot.press("v", "v", "2", "v", "v")
        await wait_for(pilot, lambda: [p.view for p in app.query(ModelPanel)] == ["why", "why"],
                       "v v 2 v v: both panels on why")
        app.clear_notifications()  # the toasts come and go with the clock
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=why_both)


def test_dashboard_why_views_at_80x24(snap_compare) -> None:
    """Short screen: the law's table stays, its plot gives way."""
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))

    async def why_both(pilot: Pilot) -> None:
        await pilot.press("v", "v", "2", "v", "v")
        await wait_for(pilot, lambda: [p.view for p in app.query(ModelPanel)] == ["why", "why"],
                       "v v 2 v v: both panels on why")
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=why_both)


def shown_text(widget: Widget) -> str:
    """The lines a widget shows, as text."""
    width, height = widget.content_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def test_the_law_table_fits_an_80_column_panel_uncut() -> None:
    """At 80x24 the narrow table cut its last two rows to "99 back: produ…" and
    "from 76 ba…" (the tanh RNN whose gradient float32 flushed to 0)."""
    app = RnnTuiApp(replay_of("relu-exploding600", "rnn-underflow300"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "v", "v")
        right = app.query_one("#panel-1", ModelPanel)
        await wait_for(pilot, lambda: right.view == "why", "2 v v: the right panel's law")
        await settle(pilot)
        table = shown_text(right.query_one(".figure.law-table", Widget))
        assert "99 back: ∏" in table and "from 76 back" in table, table
        assert "…" not in table.split("step 1")[1], table  # (the caption above may be cut)


async def test_the_law_caption_says_something_whole_in_four_panels_at_80_columns() -> None:
    """It read "the product is…" (cut), with four panels in 80 columns."""
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm", "rnn-underflow300",
                              "relu-exploding100"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "v")
        left = app.query_one("#panel-0", ModelPanel)
        await wait_for(pilot, lambda: left.view == "why", "v v: the left panel's law")
        await settle(pilot)
        caption = shown_text(left.query_one(".figure.law-table", Widget)).splitlines()[0]
        assert caption.strip() == "product = rate", caption


async def test_a_forecast_of_one_step_reads_one_step() -> None:
    """A trained tanh RNN whose product falls 100x within a single step back: the
    verdict said "after 1 steps back"."""
    scripted = ScriptedSource([RunConfig(cell="rnn"), RunConfig(cell="lstm")])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=(160, 48)) as pilot:
        # (γ = 0.008: 125x smaller one step back; 0.0125 would take two for 100x)
        scripted.push(0, Profile(step=5, dh_norms=[0.008 ** k for k in range(99, -1, -1)],
                                 h_norms=[1.0] * 100,
                                 scalars={"gamma_product": 0.008, "gamma_h": 0.008,
                                          "horizon_h": 0.95}))
        await wait_for(pilot, lambda: app.histories[0].last_profile is not None, "the profile")
        await pilot.press("v", "v")
        left = app.query_one("#panel-0", ModelPanel)
        await wait_for(pilot, lambda: left.view == "why", "v v: the left panel's law")
        await settle(pilot)
        table = shown_text(left.query_one(".figure.law-table", Widget))
        assert "100x smaller after 1 step back" in table, table
        await pilot.press("v", "v")  # the horizon's caption, in the flow view
        await wait_for(pilot, lambda: left.view == "flow", "v v: the left panel's flow")
        await settle(pilot)
        assert "→ 1 step" in shown_text(left.query_one(HorizonPlot))
        assert "1 steps" not in panel_text(0, app.histories[0])


async def test_the_copy_tasks_horizon_names_the_sequences_length_not_t() -> None:
    """On copy the sequence is T + 20 steps: under the header's "copy T=80" the horizon's
    line said "T=100; above: > T", two numbers called T."""
    scripted = ScriptedSource([RunConfig(cell="rnn", task="copy", seq_len=80),
                               RunConfig(cell="lstm", task="copy", seq_len=80)])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=(160, 48)) as pilot:
        for step in (10, 20, 30):
            scripted.push(0, Profile(step=step, dh_norms=[0.9 ** k for k in range(99, -1, -1)],
                                     h_norms=[1.0] * 100,
                                     scalars={"gamma_h": 0.9, "horizon_h": 44.0}))
        await wait_for(pilot, lambda: app.histories[0].last_profile is not None
                       and app.histories[0].last_profile.step == 30, "the profiles")
        await pilot.press("v")
        left = app.query_one("#panel-0", ModelPanel)
        await wait_for(pilot, lambda: left.view == "flow", "v: the left panel's flow")
        await settle(pilot)
        shown = shown_text(left.query_one(HorizonPlot))
        assert "all 100 steps (T+20); above: > 100" in shown, shown
        assert "T=100" not in shown and "> T" not in shown, shown


async def test_a_horizon_too_short_for_its_above_row_does_not_point_at_it() -> None:
    """At 80x24 "> T" fell on the T line's own row: the line read "T=40; above: > T"
    (or on copy "> 120 ┤120 steps; above: > 120"), pointing at nothing."""
    for size, above in (((80, 24), False), ((120, 36), True)):
        app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
        async with app.run_test(size=size) as pilot:
            await pilot.press("v")
            left = app.query_one("#panel-0", ModelPanel)
            await wait_for(pilot, lambda left=left: left.view == "flow", "v: the flow view")
            await settle(pilot)
            shown = shown_text(left.query_one(HorizonPlot))
            assert ("T=40; above: > T" in shown) == above, shown
            assert ("> T ┤" in shown) == above and "T=40" in shown, shown


async def test_the_loss_keeps_its_name_in_an_80_column_panel() -> None:
    """A solved LSTM at 80 columns showed "0.000176  beat @460  solved @460": a number
    with no name. The gaps give way before the word "loss" does."""
    scripted = ScriptedSource([RunConfig(cell="rnn"), RunConfig(cell="lstm")])
    app = RnnTuiApp(scripted)
    async with app.run_test(size=(80, 24)) as pilot:
        scripted.push(1, RunStarted(config=RunConfig(cell="lstm").to_dict(), seed=0,
                                    baseline_loss=1 / 6, solved_when={"loss_at_most": 0.01}))
        for step in range(1, 1001):
            scripted.push(1, Step(step=step, loss=0.2 if step < 400 else 0.000176,
                                  metric=0.5, grad_norm=1.0, seconds=step / 100))
        panel = app.query_one("#panel-1", ModelPanel)
        await wait_for(pilot, lambda: app.histories[1].step == 1000, "the thousand steps")
        app.redraw(force=True)
        await wait_for(pilot, lambda: "solved @" in shown_text(panel.query_one(PanelStatus)),
                       "the status line to say when it was solved")
        numbers = shown_text(panel.query_one(PanelStatus)).splitlines()[1]
        assert numbers.strip().startswith("loss 0.000176"), numbers
        assert "beat @" in numbers and "…" not in numbers, numbers
