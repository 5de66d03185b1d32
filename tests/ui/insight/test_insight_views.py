"""Snapshots of the insight views, fed by recorded run logs (deterministic: no sleeping).
Update with --snapshot-update after looking at the new SVGs."""

from __future__ import annotations

from insight_support import ViewApp, history_of, settle

from rnn_tui.ui.insight.views import FlowView, WhyView


def test_flow_rnn_vs_lstm(snap_compare) -> None:
    app = ViewApp(FlowView, [history_of("adding-rnn"), history_of("adding-lstm")])
    assert snap_compare(app, terminal_size=(140, 40), run_before=settle)


def test_law_relu_exploding(snap_compare) -> None:
    app = ViewApp(WhyView, [history_of("relu-exploding100"), history_of("adding-rnn")])
    assert snap_compare(app, terminal_size=(140, 40), run_before=settle)


def test_gates_lstm_vs_gru(snap_compare) -> None:
    app = ViewApp(WhyView, [history_of("adding-lstm"), history_of("gru-adding30")])
    assert snap_compare(app, terminal_size=(140, 40), run_before=settle)


def test_views_at_80x24(snap_compare) -> None:
    app = ViewApp(FlowView, [history_of("adding-rnn"), history_of("adding-lstm")])
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
