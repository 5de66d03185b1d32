"""The teaching text (live numbers in, English and Japanese out) and the compare view
of several recorded runs."""

from __future__ import annotations

import math

from insight_support import fixture_path, history_of

from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.insight.compare import CompareApp
from rnn_tui.ui.insight.help_text import mean_product, teaching_text


def test_teaching_text_fills_live_numbers() -> None:
    rnn, lstm = history_of("adding-rnn"), history_of("adding-lstm")
    text = teaching_text([rnn, lstm])
    rho = rnn.last_profile.scalars["rho_W"]  # type: ignore[union-attr]
    assert f"ρ(W) = **{rho:.3g}**" in text
    assert "Panel 2: lstm" in text and "> 40" in text  # the solved LSTM's cell path
    assert "{" not in text  # every placeholder filled


def test_teaching_text_in_japanese() -> None:
    text = teaching_text([history_of("relu-exploding100", until=1), history_of("gru-adding30")],
                         "ja")
    assert "爆発" in text and "更新ゲート" in text and "{" not in text


def test_teaching_text_before_any_profile() -> None:
    assert "Waiting" in teaching_text([RunHistory()])


def test_mean_product_underflows_to_a_number() -> None:
    assert math.isclose(mean_product([0.5] * 100) or 0, 0.5 ** 100, rel_tol=1e-9)
    assert mean_product([0.5, 0.0]) == 0.0


def test_compare_three_runs(snap_compare) -> None:
    app = CompareApp([fixture_path(f"lstm-adding{t}") for t in (20, 40, 60)])
    assert snap_compare(app, terminal_size=(120, 36))
