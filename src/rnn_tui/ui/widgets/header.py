"""The top of the screen: task, cells, steps, elapsed time, state and log paths."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from ..history import RunHistory
from .panel import format_seconds

STATE_STYLES = {"running": "bold green", "paused": "bold yellow", "finished": "bold",
                "finished, paused": "bold yellow",
                "replay": "bold cyan", "stopped": "bold"}


def header_text(histories: Sequence[RunHistory], state: str, elapsed: float,
                log_paths: Sequence[Path | None], replay_step: int | None = None,
                replay_last: int = 0) -> Text:
    # Each task once: a replay may hold logs of different tasks, a live run never does.
    tasks = dict.fromkeys(f"{h.config.task} T={h.config.seq_len}" for h in histories
                          if h.config)
    task = " / ".join(tasks) if tasks else "starting…"
    cells = " vs ".join(h.config.cell if h.config else "?" for h in histories)
    # Each cell's step in the order of the cells ("2734 / 608" read as a fraction).
    steps = ", ".join(str(h.step) for h in histories)
    line1 = Text.assemble(
        ("rnn-tui ", "bold"), (task, "bold"), " · ", cells,
        " · step " if len(histories) == 1 else " · steps ", steps,
        " · ", format_seconds(elapsed), " · ", (state, STATE_STYLES.get(state, "bold")))
    # A log the worker could not write is named as such: its panel says why.
    logs = [f"{path} (not written)" if history.log_warning else str(path)
            for history, path in zip(histories, log_paths, strict=False) if path]
    # No paths yet while starting: the workers are not asked to log until they start.
    no_logs = "" if state == "starting" else "not logging (--no-log)"
    line2 = Text("logs: " + "  ".join(logs) if logs else no_logs, "dim")
    if replay_step is not None:
        line2 = Text.assemble((f"step {replay_step} of {replay_last} ", "bold"),
                              ("(←/→ scrub, home/end) · ", "dim"), line2)
    return Text("\n").join([line1, line2])


class RunHeader(Static):
    """Two lines; the app calls `update(header_text(...))` when anything in them moves."""
