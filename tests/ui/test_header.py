"""The header's second line: the run logs being written, and only those."""

from __future__ import annotations

from pathlib import Path

from rnn_tui.run.config import RunConfig
from rnn_tui.run.events import LogStopped, RunStarted
from rnn_tui.ui.history import RunHistory
from rnn_tui.ui.widgets.header import header_text

PATHS = [Path("runs/0-rnn-adding100.jsonl"), Path("runs/1-lstm-adding100.jsonl")]


def started(cell: str, **settings) -> RunHistory:
    history = RunHistory()
    config = RunConfig(cell=cell, **settings)
    history.apply(RunStarted(config=config.to_dict(), seed=0, baseline_loss=1 / 6))
    return history


def second_line(histories: list[RunHistory], state: str, paths: list) -> str:
    return header_text(histories, state, 1.0, paths).plain.split("\n")[1]


def test_a_log_that_is_not_written_is_not_listed_as_a_log() -> None:
    # `runs` a file: each panel said "run log runs/... not written", while the header
    # still listed both paths under "logs:".
    rnn, lstm = started("rnn"), started("lstm")
    lstm.apply(LogStopped(step=0, message=f"run log {PATHS[1]} not written (runs is a file, "
                                          "not a directory): this run carries on unlogged"))
    line = second_line([rnn, lstm], "running", PATHS)
    assert line.startswith(f"logs: {PATHS[0]}")
    assert f"{PATHS[1]} (not written)" in line


def test_no_log_is_said_only_of_runs_started_without_logs() -> None:
    # The first frame, before the workers had started, said "not logging (--no-log)"
    # for a run that was being logged.
    assert "--no-log" not in second_line([RunHistory(), RunHistory()], "starting", [None, None])
    assert second_line([started("rnn"), started("lstm")], "running",
                       [None, None]) == "not logging (--no-log)"


def test_a_replay_of_two_tasks_names_both() -> None:
    # `rnn-tui replay copy.jsonl adding.jsonl` was headed "copy T=10 · lstm vs rnn": the
    # right panel's adding T=100 run was under the left one's task.
    copy = started("lstm", task="copy", seq_len=10)
    adding = started("rnn", task="adding", seq_len=100)
    first = header_text([copy, adding], "replay", 1.0, PATHS).plain.split("\n")[0]
    assert first.startswith("rnn-tui copy T=10 / adding T=100 · seed 0 · lstm vs rnn")
    same = header_text([started("rnn"), started("lstm")], "running", 1.0, PATHS).plain
    assert same.startswith("rnn-tui adding T=100 · seed 0 · rnn vs lstm")


def test_four_panels_in_80_columns_keep_the_state_and_whole_step_counts() -> None:
    # "rnn-tui adding T=100 · rnn vs lstm vs gru vs irnn · steps 1254, 329, 227, 127…":
    # the state was cut off, and the last count may have been 1270.
    histories = [started(cell) for cell in ("rnn", "lstm", "gru", "irnn")]
    for history, step in zip(histories, (1254, 329, 227, 1270), strict=True):
        history.progress.step = step
    first = header_text(histories, "paused", 1.0, PATHS, width=78).plain.split("\n")[0]
    assert first == "rnn-tui adding T=100 · seed 0 · steps 1254, 329, 227, 1270 · 0:01 · paused"
    wide = header_text(histories, "paused", 1.0, PATHS, width=158).plain.split("\n")[0]
    assert "rnn vs lstm vs gru vs irnn" in wide


def test_the_seed_is_shown_and_gives_way_after_the_cells_before_the_state() -> None:
    # The seed was nowhere on screen: after `r` only a toast said which one trained.
    histories = [started("rnn", seed=7), started("lstm", seed=7)]
    wide = header_text(histories, "running", 1.0, PATHS).plain.split("\n")[0]
    assert wide == "rnn-tui adding T=100 · seed 7 · rnn vs lstm · steps 0, 0 · 0:01 · running"
    for width, kept in ((70, "rnn-tui adding T=100 · seed 7 · steps 0, 0 · 0:01 · running"),
                        (55, "rnn-tui adding T=100 · steps 0, 0 · 0:01 · running")):
        line = header_text(histories, "running", 1.0, PATHS, width=width).plain.split("\n")[0]
        assert line == kept
    # A replay of logs of two seeds names both, as it does two tasks.
    mixed = [started("rnn", seed=0), started("lstm", seed=3)]
    assert "· seed 0 / 3 ·" in header_text(mixed, "replay", 1.0, PATHS).plain
