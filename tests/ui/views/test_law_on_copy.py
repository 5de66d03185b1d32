"""The law view on copy, where L is the recall's ten losses: the bound σ_max·max σ' holds
from the recall's first step back, and is drawn from there (from the end, the measured
curve rose 2.4x above it inside the recall: teacher review, 2026-11-30)."""

from __future__ import annotations

from rnn_tui.run.config import RunConfig
from rnn_tui.run.training import build_trainer, profile_event, run_started
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.palette import Palette
from rnn_tui.ui.profiles import loss_start
from rnn_tui.ui.views.law import LawPlot, law_table


def copy_history(seq_len: int = 30) -> RunHistory:
    config = RunConfig(cell="rnn", task="copy", seq_len=seq_len, hidden_size=16, seed=0)
    trainer = build_trainer(config)
    history = RunHistory()
    history.apply(run_started(config, trainer, ""))
    history.apply(profile_event(trainer.step()))
    return history


def test_the_bound_is_drawn_from_the_recalls_first_step_and_lies_above_the_measured() -> None:
    history = copy_history()
    n = len(history.last_profile.dh_norms)
    assert history.profile_loss_steps == 10 and loss_start(history) == n - 10
    plot = LawPlot()
    plot.draw(history, Palette.from_theme({}, True))
    measured, bound = plot.canvas.series[-1], plot.canvas.series[0]  # drawn last, first
    height = dict(zip(measured.xs, measured.ys, strict=True))
    assert min(bound.xs) == 9  # steps back: the recall's first step, 9 before the end
    assert all(y >= height[k] - 1e-9 for k, y in zip(bound.xs, bound.ys, strict=True))
    # drawn from the end, as it was, the bound lay below the measured curve (1.9x here)
    values, b = history.last_profile.dh_norms, history.last_profile.scalars["gamma_bound"]
    assert max(values[n - 1 - k] / values[-1] / b ** k for k in range(n)) > 1.5


def test_the_table_counts_back_from_the_recall() -> None:
    history = copy_history()
    n = len(history.last_profile.dh_norms)
    rows = law_table(history).columns[0]._cells
    assert f"{n - 10} steps before the recall: product" in rows
    assert f"{n - 10} steps before the recall: measured" in rows
