"""Snapshots of every view through the real panel in the real app, fed by recorded
run logs (deterministic: no sleeping). Update with --snapshot-update after looking
at the new SVGs."""

from __future__ import annotations

from textual.pilot import Pilot
from ui_support import replay_of, wait_for

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.registry import VIEWS
from rnn_tui.ui.widgets.panel import ModelPanel


def view_of_both(presses: int):  # noqa: ANN201 - a run_before callback
    """Press `v` that many times on each panel, then redraw until the layout settles
    (the first redraw may change which figures a view shows)."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press(*["v"] * presses, "2", *["v"] * presses)
        view = list(VIEWS)[presses % len(VIEWS)]
        panels = pilot.app.query(ModelPanel)
        await wait_for(pilot, lambda: [p.view for p in panels] == [view, view],
                       f"v pressed {presses} times on each panel: both on {view}")
        pilot.app.clear_notifications()  # the toasts come and go with the clock
        for _ in range(2):
            await pilot.pause()
            pilot.app.redraw(force=True)  # type: ignore[attr-defined]
        await pilot.pause()

    return run_before


def test_flow_rnn_vs_lstm(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=view_of_both(1))


def test_law_relu_exploding(snap_compare) -> None:
    """The law view on the ReLU RNN at ρ(W) = 1.5 (the bound permits growth, the product
    says it barely happens) beside the tanh RNN whose gradient has underflowed to 0 (the
    product still gives the rate). Both logs: shipped presets through `rnn-tui train`,
    cut to a few profiles (relu-exploding 600 steps, adding-100 300 steps)."""
    app = RnnTuiApp(replay_of("relu-exploding600", "rnn-underflow300"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=view_of_both(2))


def test_law_of_logs_from_before_the_product(snap_compare) -> None:
    """Logs that carry gamma_predicted and no product or bound still replay."""
    app = RnnTuiApp(replay_of("relu-exploding100", "adding-rnn"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=view_of_both(2))


def test_gates_lstm_vs_gru(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-lstm", "gru-adding30"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=view_of_both(2))


def test_views_at_80x24(snap_compare) -> None:
    app = RnnTuiApp(replay_of("adding-rnn", "adding-lstm"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=view_of_both(1))
