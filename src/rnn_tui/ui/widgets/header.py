"""The top of the screen: task, cells, steps, elapsed time, state and log paths."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from ..cut import cut_text, first_that_fits
from ..history import RunHistory
from .panel import format_seconds

STATE_STYLES = {"running": "bold green", "paused": "bold yellow", "finished": "bold",
                "finished, paused": "bold yellow",
                "replay": "bold cyan", "stopped": "bold"}


def header_text(histories: Sequence[RunHistory], state: str, elapsed: float,
                log_paths: Sequence[Path | None], replay_step: int | None = None,
                replay_last: int = 0, width: int | None = None) -> Text:
    """Task, seed, cells, steps, time and state; the logs below. In `width` cells the
    cells give way first (each panel's title names its own), then the seed, then the
    line is cut after a word: the state and whole step counts stay."""
    configs = [h.config for h in histories if h.config]
    # Each task once: a replay may hold logs of different tasks, a live run never does.
    tasks = dict.fromkeys(f"{c.task} T={c.seq_len}" for c in configs)
    task = " / ".join(tasks) if tasks else "starting…"
    # The data seed (`r` moves it): the same for every panel, but in a replay of logs.
    seeds = " / ".join(dict.fromkeys(str(c.seed) for c in configs))
    seed = f" · seed {seeds}" if seeds else ""
    cells = " vs ".join(h.config.cell if h.config else "?" for h in histories)
    # Each cell's step in the order of the cells ("2734 / 608" read as a fraction).
    steps = ", ".join(str(h.step) for h in histories)

    def line(*shown: str) -> Text:
        return Text.assemble(
            ("rnn-tui ", "bold"), (task, "bold"), *shown,
            " · step " if len(histories) == 1 else " · steps ", steps,
            " · ", format_seconds(elapsed), " · ", (state, STATE_STYLES.get(state, "bold")))

    forms = [line(seed, f" · {cells}"), line(seed), line()]
    line1 = forms[0] if width is None else cut_text(first_that_fits(forms, width), width)
    # A log the worker could not write is named as such: its panel says why.
    logs = [f"{path} (not written)" if history.log_warning else str(path)
            for history, path in zip(histories, log_paths, strict=False) if path]
    # No paths yet while starting: the workers are not asked to log until they start.
    no_logs = "" if state == "starting" else "not logging (--no-log)"
    line2 = Text("logs: " + "  ".join(logs) if logs else no_logs, "dim")
    if replay_step is not None:
        line2 = Text.assemble((f"step {replay_step} of {replay_last} ", "bold"),
                              ("(←/→ scrub, home/end) · ", "dim"), line2)
    if width is not None:
        line2 = cut_text(line2, width)
    return Text("\n").join([line1, line2])


class RunHeader(Static):
    """Two lines; the app calls `update(header_text(...))` when anything in them moves."""
