"""What `rnn-tui sweep` prints: the map at the end, read where it was written to."""

from __future__ import annotations

import io
import re

from rnn_tui.run.sweep_grid import expand
from rnn_tui.run.sweep_map import sweep_maps
from rnn_tui.run.sweep_report import print_maps


def test_the_map_written_to_a_file_is_not_wrapped_at_80_columns() -> None:
    # `rnn-tui sweep horizon > out.txt` (or a pipe, or a CI log) wrapped the map at 80
    # columns, cutting entries in two: "0/1 (of" on one line, "3)" on the next.
    sweep = expand({"task": "adding", "cells": ["rnn", "lstm", "gru"], "seed": [0, 1, 2],
                    "seq_len": [10, 20, 50, 100, 200, 400], "hidden_size": 8,
                    "steps": 100}, "horizon.toml")
    grid = [{"id": r.id, "config": r.config.to_dict()} for r in sweep.runs]
    results = {r.id: {"state": "finished", "solved_step": 632}
               for r in sweep.runs if r.config.seed == 0}
    out = io.StringIO()
    print_maps(out, sweep_maps(grid, results, sweep.swept))
    lines = out.getvalue().splitlines()
    rows = [line for line in lines if line.startswith("│ ")]
    assert [row.split()[1] for row in rows] == ["rnn", "lstm", "gru"], out.getvalue()
    assert all(row.count("1/1 · 632 (of 3)") == 6 for row in rows), out.getvalue()
    assert lines[-1].startswith("each entry:") and lines[-1].endswith("failed)"), lines[-1]


def test_an_even_number_of_solved_seeds_shows_their_median_as_it_is() -> None:
    # Seeds solved at 622 and 687 read "2/3 · 654": the median is 654.5 (format rounds
    # half to even), and recomputing it from results.jsonl did not give what was shown.
    from rnn_tui.run.sweep_map import MapEntry
    from rnn_tui.run.sweep_report import entry_text

    entry = MapEntry(runs=3, finished=3, solved_steps=[622, 687])
    assert entry_text(entry) == "[yellow]2/3 · 654.5[/]"
    assert entry_text(MapEntry(runs=3, finished=3, solved_steps=[622, 687, 700])) == (
        "[green]3/3 · 687[/]")


def test_a_cluster_without_workers_is_said_once_not_waited_on_in_silence(
        monkeypatch) -> None:
    # A scheduler whose only worker could not import rnn-tui (it died at once): the
    # sweep waited for ever, printing nothing (the bar: "0 running").
    from rnn_tui.run import sweep_report
    from rnn_tui.run.sweep_report import NO_WORKERS_AFTER, SweepProgress

    clock = [1000.0]
    monkeypatch.setattr(sweep_report.time, "monotonic", lambda: clock[0])
    out = io.StringIO()
    with SweepProgress(out, total=8, skipped=0) as progress:
        progress.tick(0, 2)
        progress.tick(0, 0)       # a local worker its nanny restarts: gone for a moment
        clock[0] += NO_WORKERS_AFTER / 2
        progress.tick(0, 1)
        clock[0] += NO_WORKERS_AFTER
        progress.tick(0, 0)
        assert out.getvalue() == "" and "0 running" in progress._status()
        clock[0] += NO_WORKERS_AFTER
        progress.tick(0, 0)       # none for a while: said
        progress.tick(0, 0)
        assert "no worker in the cluster" in progress._status()
        progress.tick(1, 1)
        assert "1 running" in progress._status()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("no worker in the cluster: the runs "
                                                   "wait for one to join"), lines



def test_the_bars_two_times_say_which_is_which(monkeypatch) -> None:
    # The bar read "ETA 0:03:10 0:00:41": two bare times.
    from rnn_tui.run.sweep_report import SweepProgress

    monkeypatch.setenv("FORCE_COLOR", "1")  # (Rich: a terminal, so the bar is drawn)
    monkeypatch.setenv("COLUMNS", "120")
    out = io.StringIO()
    with SweepProgress(out, total=4, skipped=0) as progress:
        assert progress.bar is not None
        progress.run_done({"id": "a", "state": "finished"})
    last = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue()).splitlines()[-1]
    assert re.search(r"1/4 done · 0 running · 0 failed · left 0:00:\d\d · elapsed "
                     r"0:00:\d\d", last), last
